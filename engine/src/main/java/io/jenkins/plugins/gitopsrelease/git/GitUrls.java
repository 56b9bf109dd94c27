package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.net.URISyntaxException;
import org.eclipse.jgit.transport.URIish;

/** Checks repository URLs before anything connects: credentials belong in {@link GitCredentials}, never in a URL. */
public final class GitUrls {
    private GitUrls() {
    }

    public static URIish check(String url) {
        if (url == null || url.isBlank()) {
            throw InvalidInputException.invalid("--repo", "", "give the GitOps repository URL, e.g."
                    + " https://github.com/org/gitops.git");
        }
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            throw InvalidInputException.invalid("--repo", redact(url), "not a Git URL: use https://host/org/repo.git"
                    + " or ssh://git@host/org/repo.git");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("", "http", "https", "ssh", "git", "file").contains(scheme)
                || url.chars().anyMatch(Character::isISOControl)) {
            throw InvalidInputException.invalid("--repo", redact(url), "not a supported Git URL: use https://, ssh://,"
                    + " git@host:path or file:// (no control characters)");
        }
        boolean http = scheme.equals("http") || scheme.equals("https");
        // Over HTTP any user info is a credential (GitHub takes a bare token as user name); over SSH only a password is.
        // Over HTTP an '@' anywhere means user info (a password may hold '/', which URIish then misreads as a path).
        if ((http && (uri.getUser() != null || uri.getPass() != null || url.contains("@"))) || uri.getPass() != null) {
            throw InvalidInputException.invalid("--repo", redact(url), "the URL carries credentials; remove them from"
                    + " the URL and pass them as git credentials instead (--git-username with --git-password-env or"
                    + " --git-password-file, or --ssh-key-file)");
        }
        return uri;
    }

    /** The URL with any user info replaced by {@code ***}, safe for messages. */
    public static String redact(String url) {
        if (url == null) {
            return "";
        }
        // Up to the last '@' of the URL: a password may itself hold '/' or '@'. scp-like "user:pass@host:path" too.
        String r = url.strip().replaceAll("(?i)^([a-z][a-z0-9+.-]*://)\\S*@", "$1***@");
        return r.contains("://") ? r : r.replaceAll("^[^\\s/@:]+:[^\\s@]*@", "***@");
    }
}
