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

    /** One path segment of a forge repository name (owner, project, group or name). */
    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9_.~-]{1,100}");

    /**
     * Everything is checked here, when the settings are made, because they are made before the release branch is
     * pushed: a repository name the forge cannot take must fail the verb before its first side effect.
     */
    public ForgeSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(token, "token");
        token.singleLine("forge token");
        checkRepository(kind, repository);
        URI api = null;
        try {
            api = apiUrl == null ? null : URI.create(apiUrl.trim());
        } catch (IllegalArgumentException e) {
            api = null;
        }
        if (api == null || api.getHost() == null || api.getPort() > 65535 || api.getUserInfo() != null
                || !("https".equalsIgnoreCase(api.getScheme()) || "http".equalsIgnoreCase(api.getScheme()))) {
            throw InvalidInputException.invalid("--forge-url", io.jenkins.plugins.gitopsrelease.core.Failures
                    .printable(apiUrl), "give the " + kind.title() + " API URL over http(s), without credentials"
                    + " (e.g. https://api.github.com)");
        }
        limits = limits == null ? Limits.defaults() : limits;
    }

    private static void checkRepository(Kind kind, String repository) {
        String[] parts = repository == null ? new String[0] : repository.split("/", -1);
        boolean segmentsOk = parts.length >= 2;
        for (String p : parts) {
            segmentsOk &= SEGMENT.matcher(p).matches() && !p.equals(".") && !p.equals("..");
        }
        // GitLab takes nested groups; the others exactly two segments.
        boolean countOk = kind == Kind.GITLAB ? parts.length <= 20 : parts.length == 2;
        if (!segmentsOk || !countOk) {
            String shape = switch (kind) {
                case GITLAB -> "the project path, group/name (subgroups allowed)";
                case BITBUCKET -> "workspace/slug";
                case BITBUCKET_SERVER -> "PROJECT/slug";
                default -> "owner/name";
            };
            throw InvalidInputException.invalid("--forge-repo", io.jenkins.plugins.gitopsrelease.core.Failures
                    .printable(repository), kind.title() + " needs the repository as " + shape + "; it could not be"
                    + " derived from --repo, so give --forge-repo");
        }
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
