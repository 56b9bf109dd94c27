package io.jenkins.plugins.gitopsrelease.webhook;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repository URL normalisation for matching a push against a component's {@code repository.url}, as OpenChoreo's
 * auto-build does it: SSH forms become HTTPS, a {@code .git} suffix and trailing slashes are dropped, and the result
 * is compared case-insensitively. Unlike OpenChoreo, an {@code ssh://} URL's port is dropped instead of becoming a
 * path segment, user info never survives, and {@code http://} equals {@code https://}, so the SSH and HTTP clone URLs
 * of one repository (e.g. Bitbucket Data Center's {@code ssh://git@host:7999/p/r.git}) normalise alike.
 */
public final class RepoUrls {
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]*)(.*)$");
    /** scp-like syntax: [user@]host:path, where the host has no '/' and the path does not start with '//'. */
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.*)$");

    private RepoUrls() {
    }

    /** The comparable form, e.g. {@code https://github.com/org/repo}; "" for a blank or unusable URL. */
    public static String normalize(String url) {
        if (url == null) {
            return "";
        }
        String u = url.strip();
        if (u.isEmpty()) {
            return "";
        }
        String host;
        String path;
        Matcher m = SCHEME.matcher(u);
        if (m.matches()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            String authority = m.group(2);
            path = m.group(3);
            int at = authority.lastIndexOf('@');
            String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
            host = hostPort;
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && hostPort.indexOf(']') < colon) {
                String port = hostPort.substring(colon + 1);
                host = hostPort.substring(0, colon);
                // An HTTP(S) port other than the default is part of the address; an SSH/git port never is.
                boolean http = scheme.equals("http") || scheme.equals("https");
                boolean defaultPort = port.isEmpty() || port.equals("443") || port.equals("80");
                if (http && !defaultPort) {
                    host = host + ":" + port;
                }
            }
        } else {
            Matcher s = SCP.matcher(u);
            if (!s.matches()) {
                return "";
            }
            host = s.group(1);
            path = "/" + s.group(2);
        }
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        StringBuilder p = new StringBuilder();
        for (String seg : path.split("/")) {
            if (!seg.isEmpty()) {
                p.append('/').append(seg);
            }
        }
        String out = p.toString();
        while (out.endsWith(".git") || out.endsWith("/")) {
            out = out.endsWith("/") ? out.substring(0, out.length() - 1) : out.substring(0, out.length() - 4);
        }
        if (host.isEmpty()) {
            return "";
        }
        return ("https://" + host + out).toLowerCase(Locale.ROOT);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }
}
