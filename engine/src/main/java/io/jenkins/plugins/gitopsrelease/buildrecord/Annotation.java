package io.jenkins.plugins.gitopsrelease.buildrecord;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One annotation event on a build: {@code key=value}, who or what wrote it, when, and the run that wrote it (null
 * when none). A later event with the same key does not erase an earlier one; the record keeps both in time order.
 */
public record Annotation(String key, String value, String writer, Instant time, String runUrl) {
    static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?");
    static final int MAX_VALUE = 1024;

    public Annotation {
        checkKey(key);
        value = value == null ? "" : value;
        if (value.length() > MAX_VALUE) {
            throw InvalidInputException.invalid("annotation " + key, value.substring(0, 40) + "...",
                    "values are at most " + MAX_VALUE + " characters; store large data as its own artifact");
        }
        writer = writer == null || writer.isBlank() ? "unknown" : writer;
        Objects.requireNonNull(time, "time");
        runUrl = runUrl == null || runUrl.isBlank() ? null : runUrl;
    }

    /** Keys are lower-case words joined by '.', '-' or '_' ({@code deployed.staging}, {@code smoke}). */
    public static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw InvalidInputException.invalid("annotation key", key, "use lower-case letters, digits, '.', '-' and"
                    + " '_' (at most 128, starting and ending with a letter or digit), e.g. smoke or deployed.staging");
        }
        return key;
    }

    /** {@code KEY=VALUE} as the CLI and policies write it; a bare KEY has the value "true". */
    public static String[] parsePair(String field, String pair) {
        int eq = pair == null ? -1 : pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "true" : pair.substring(eq + 1);
        if (k == null || !KEY.matcher(k.trim()).matches()) {
            throw InvalidInputException.invalid(field, pair, "give KEY=VALUE with a lower-case key, e.g. smoke=passed");
        }
        return new String[] {k.trim(), v};
    }
}
