package io.jenkins.plugins.gitopsrelease.deploy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a Git commit SHA with the revision strings controllers report: Flux {@code main@sha1:<sha>} (or the
 * older {@code main/<sha>}), a chart version {@code 0.1.0+<sha12>}, Argo CD's bare SHA. A hexadecimal run of at
 * least 7 characters in the observed string must be a prefix of the expected SHA or the other way round, so short
 * SHAs work but {@code abc1234} never matches {@code abc1235...}.
 */
final class Revisions {
    private static final Pattern HEX_RUN = Pattern.compile("(?<![0-9a-f])[0-9a-f]{7,64}(?![0-9a-f])");
    static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{7,64}");

    private Revisions() {
    }

    static boolean matches(String observed, String expectedSha) {
        if (observed == null || expectedSha == null) {
            return false;
        }
        String want = expectedSha.toLowerCase(Locale.ROOT);
        Matcher m = HEX_RUN.matcher(observed.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String got = m.group();
            if (got.startsWith(want) || want.startsWith(got)) {
                return true;
            }
        }
        return false;
    }

    /** A revision shortened for a log line: SHAs cut to 12 characters, the rest as is. */
    static String shortForm(String revision) {
        if (revision == null) {
            return "none";
        }
        return HEX_RUN.matcher(revision).replaceAll(r -> r.group().length() > 12 ? r.group().substring(0, 12) : r.group());
    }
}
