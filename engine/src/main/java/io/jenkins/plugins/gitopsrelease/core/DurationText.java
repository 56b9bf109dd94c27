package io.jenkins.plugins.gitopsrelease.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 10m}, {@code 30s}, {@code 1h30m}, {@code 500ms}, {@code 90} (seconds), or ISO {@code PT10M}. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private DurationText() {
    }

    public static Duration parse(String field, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return positive(field, text, Duration.ofSeconds(Long.parseLong(t)));
        }
        if (t.startsWith("pt")) {
            try {
                return positive(field, text, Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw bad(field, text);
            }
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw bad(field, text);
            }
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw bad(field, text);
        }
        return positive(field, text, d);
    }

    private static Duration positive(String field, String text, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw InvalidInputException.invalid(field, text, "give a duration above zero, such as 10m");
        }
        return d;
    }

    private static InvalidInputException bad(String field, String text) {
        return InvalidInputException.invalid(field, text, "write a duration such as 10m, 30s, 1h30m or 500ms");
    }
}
