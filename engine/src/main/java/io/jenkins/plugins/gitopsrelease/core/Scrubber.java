package io.jenkins.plugins.gitopsrelease.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that is about to reach a user, including text a library built (an HTTP client that echoes
 * a header, JGit quoting a URL with credentials). Every {@link Secret} registers its value here while it is alive
 * (weakly: a collected secret drops out), so the boundary can scrub without knowing which secrets a run holds.
 * Also masks the user-info of URLs and the credential after {@code Bearer}/{@code Basic}, which may hold a secret
 * that never became a {@link Secret} (a token pasted into {@code --repo https://user:token@host/...}).
 */
public final class Scrubber {
    static final String MASK = "****";
    /** Shorter values are not masked: replacing every "ab" in a message would garble it and hide nothing. */
    static final int MIN_LENGTH = 3;

    // Keyed by the Secret's own char[] (identity hash), so an entry lives exactly as long as its Secret.
    private static final Map<char[], Boolean> LIVE = Collections.synchronizedMap(new WeakHashMap<>());
    // Greedy to the last '@' before white space: a password may hold '/' or '@' itself (over-masking is harmless).
    // Not an '@' that starts a digest: docker://reg/app@sha256:... is an image, not a credential.
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^\\s'\"]*)@(?!sha\\d+:)");
    /** scp-like Git URLs with a password: {@code user:token@host:path}. */
    private static final Pattern SCP_USERINFO = Pattern.compile(
            "(?<=^|[\\s'\"(])[^\\s/@:'\"(]+:(?!//)[^\\s@'\"]+@(?=(?!sha\\d+:)[A-Za-z0-9.-]+:)");
    private static final Pattern AUTH_VALUE = Pattern.compile("\\b(Bearer|Basic)(\\s+)[^\\s,;\"']{6,}");

    private Scrubber() {
    }

    static void register(char[] value) {
        if (value.length >= MIN_LENGTH) {
            LIVE.put(value, Boolean.TRUE);
        }
    }

    /** The text with every live secret value, URL user-info and Bearer/Basic credential replaced by {@code ****}. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> values = new ArrayList<>();
        synchronized (LIVE) {
            for (char[] v : LIVE.keySet()) {
                if (v != null) {
                    values.add(new String(v));
                }
            }
        }
        // Longest first, so a secret that contains another is masked whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        // Over HTTP any user info is a credential (a token as user name); elsewhere (ssh://git@host) only a password.
        out = URL_USERINFO.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("http") || m.group(2).contains(":")
                        ? m.group(1) + MASK + "@" : m.group()));
        out = SCP_USERINFO.matcher(out).replaceAll(MASK + "@");
        return AUTH_VALUE.matcher(out).replaceAll("$1$2" + MASK);
    }

    /** {@link #scrub} and then one line: control characters (line breaks included) become spaces. */
    public static String oneLine(String text) {
        String s = scrub(text);
        return s == null ? null : s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }
}
