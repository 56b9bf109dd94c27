package io.jenkins.plugins.gitopsrelease.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 10m}, {@code 30s}, {@code 1h30m}, {@code 500ms}, {@code 90} (seconds), or ISO {@code PT10M}. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d{1,18})(ms|h|m|s)");
    /** The longest wait any verb accepts: every wait is bounded, and deadlines in nanoseconds cannot overflow. */
    public static final Duration MAX = Duration.ofDays(7);

    private DurationText() {
    }

    public static Duration parse(String field, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.length() > 64) {
            throw bad(field, text.substring(0, 20) + "…");
        }
        if (t.matches("\\d{1,18}")) {
            if (t.length() > 12) {
                throw tooLong(field, text);
            }
            return positive(field, text, Duration.ofSeconds(Long.parseLong(t)));
        }
        if (t.startsWith("pt")) {
            try {
                return positive(field, text, Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException | ArithmeticException e) {
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
            Duration part;
            try {
                part = switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                };
            } catch (ArithmeticException e) {
                throw tooLong(field, text);
            }
            if (part.compareTo(MAX) > 0 || d.plus(part).compareTo(MAX) > 0) {
                throw tooLong(field, text);
            }
            d = d.plus(part);
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
        return checkMax(field, text, d);
    }

    /** {@code d}, or an error when it is over {@link #MAX} (also for durations that did not come from text). */
    public static Duration checkMax(String field, Object shown, Duration d) {
        if (d != null && d.compareTo(MAX) > 0) {
            throw tooLong(field, shown);
        }
        return d;
    }

    private static InvalidInputException tooLong(String field, Object text) {
        return InvalidInputException.invalid(field, text, "the longest wait is " + MAX.toDays() + " days; give a"
                + " shorter duration such as 30m");
    }

    private static InvalidInputException bad(String field, String text) {
        return InvalidInputException.invalid(field, text, "write a duration such as 10m, 30s, 1h30m or 500ms");
    }
}
