package io.jenkins.plugins.gitopsrelease.webhook;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A delivery's HTTP headers; names compare case-insensitively (HTTP/2 sends them in lower case). Immutable. */
public final class Headers {
    private final Map<String, String> values;

    private Headers(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Headers of(Map<String, String> headers) {
        Map<String, String> m = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                m.put(k.trim().toLowerCase(Locale.ROOT), v.trim());
            }
        });
        return new Headers(m);
    }

    /**
     * Parses "Name: value" lines as a delivery log shows them (GitHub's "Recent Deliveries", GitLab's "View
     * details"); blank lines and lines starting with '#' are skipped, a line without ':' is an error naming its number.
     */
    public static Headers parse(String text, String where) {
        Map<String, String> m = new TreeMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new WebhookRejectedException(WebhookRejectedException.Reason.MALFORMED, where + ":" + (i + 1)
                        + ": not a 'Name: value' header line: write one header per line, e.g. 'X-GitHub-Event: push'");
            }
            m.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new Headers(m);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The header's value, or "" when absent. */
    public String value(String name) {
        return get(name).orElse("");
    }

    public Map<String, String> asMap() {
        return values;
    }
}
