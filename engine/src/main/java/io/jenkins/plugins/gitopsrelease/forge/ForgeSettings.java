package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Which forge, where its API is, which repository, and the token. {@code apiUrl}: for GitHub the REST endpoint
 * (https://api.github.com, or https://HOST/api/v3 for Enterprise); for GitLab, Gitea and Bitbucket Data Center the
 * server's base URL; for Bitbucket Cloud the API base (https://api.bitbucket.org/2.0). {@code repository}:
 * owner/name (GitHub, Gitea), the project path (GitLab), workspace/slug (Bitbucket Cloud), PROJECT/slug (Data Center).
 * {@code username}: the GitHub login (spares a GET /user) or the Bitbucket user for an app password (else Bearer).
 */
public record ForgeSettings(Kind kind, String apiUrl, String repository, Secret token, String username,
        Limits limits) {

    public enum Kind {
        GITHUB("github", "GitHub"), GITLAB("gitlab", "GitLab"), BITBUCKET("bitbucket", "Bitbucket Cloud"),
        BITBUCKET_SERVER("bitbucket-server", "Bitbucket Data Center"), GITEA("gitea", "Gitea");

        private final String id;
        private final String title;

        Kind(String id, String title) {
            this.id = id;
            this.title = title;
        }

        public String id() {
            return id;
        }

        public String title() {
            return title;
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw InvalidInputException.invalid("--forge", s, "use one of github, gitlab, bitbucket, bitbucket-server,"
                    + " gitea");
        }
    }

    /** Bounds on rate-limit waiting; the sleeper is replaceable for tests. */
    public record Limits(int maxRetries, Duration maxRateLimitWait, Sleeper sleeper) {
        public static Limits defaults() {
            return new Limits(3, Duration.ofSeconds(120), Sleeper.REAL);
        }
    }

    public ForgeSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(token, "token");
        if (repository == null || !repository.contains("/")) {
            throw InvalidInputException.invalid("--forge-repo", repository, "give the repository as owner/name"
                    + " (GitLab: the project path)");
        }
        limits = limits == null ? Limits.defaults() : limits;
    }

    /**
     * Settings derived from the GitOps repository's clone URL: the API URL from its host (unless {@code forgeUrl}
     * overrides it) and the repository from its path.
     */
    public static ForgeSettings fromRepositoryUrl(Kind kind, String repoUrl, String forgeUrl, Secret token,
            String username) {
        URI uri = parseHttp(repoUrl);
        String path = uri == null ? sshPath(repoUrl) : uri.getPath();
        path = path.replaceAll("^/+", "").replaceAll("\\.git$", "").replaceAll("/+$", "");
        String host = uri == null ? null : uri.getScheme() + "://" + uri.getAuthority();
        String api = forgeUrl;
        String repo = path;
        switch (kind) {
            case GITHUB -> {
                if (api == null) {
                    api = host == null || host.endsWith("://github.com") ? "https://api.github.com" : host + "/api/v3";
                }
            }
            case BITBUCKET -> {
                if (api == null) {
                    api = "https://api.bitbucket.org/2.0";
                }
            }
            case BITBUCKET_SERVER -> {
                // Clone URLs look like https://host/scm/PROJ/repo.git (context path before /scm allowed).
                int scm = path.indexOf("scm/");
                if (scm >= 0) {
                    if (api == null && host != null) {
                        api = host + (scm > 0 ? "/" + path.substring(0, scm - 1) : "");
                    }
                    repo = path.substring(scm + 4);
                }
                if (api == null) {
                    api = host;
                }
            }
            default -> {
                if (api == null) {
                    api = host;
                }
            }
        }
        if (api == null) {
            throw InvalidInputException.invalid("--forge-url", "", "the " + kind.title() + " URL cannot be derived from"
                    + " an SSH repository URL: give --forge-url");
        }
        return new ForgeSettings(kind, api, repo, token, username, null);
    }

    private static URI parseHttp(String url) {
        String l = url.toLowerCase(Locale.ROOT);
        if (l.startsWith("http://") || l.startsWith("https://")) {
            return URI.create(url);
        }
        return null;
    }

    private static String sshPath(String url) {
        // ssh://git@host:22/org/repo.git or git@host:org/repo.git
        if (url.contains("://")) {
            String rest = url.substring(url.indexOf("://") + 3);
            return rest.substring(rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        }
        return url.substring(url.indexOf(':') + 1);
    }

    public ForgeSettings withLimits(Limits l) {
        return new ForgeSettings(kind, apiUrl, repository, token, username, l);
    }

    @Override
    public String toString() {
        return kind.title() + " " + apiUrl + " " + repository;
    }
}
