package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * How to reach the Kubernetes API: a kubeconfig file and context (default: {@code $KUBECONFIG}, {@code
 * ~/.kube/config} or the in-cluster service account, as kubectl finds them), or an explicit server URL with a bearer
 * token and CA, which is how Jenkins passes credentials. The token is a {@link Secret}: {@link #toString()} and
 * {@link #describe()} never contain it, and it goes only into fabric8's configuration.
 */
public final class KubeAccess implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Connect timeout: an unreachable server must fail in seconds, not at the overall timeout. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int REQUEST_TIMEOUT_MS = 15_000;
    /** Retries of a failed request (fabric8 doubles the 250 ms interval each time): about 0.75 s in all. */
    static final int REQUEST_RETRIES = 2;
    static final int WATCH_RECONNECT_INTERVAL_MS = 250;
    /** Consecutive failed watch reconnects before the watch reports itself closed and we re-list (and report). */
    static final int WATCH_RECONNECT_LIMIT = 6;

    private final Path kubeconfig;
    private final String context;
    private final String server;
    private final Secret token;
    private final Path caFile;
    private final String caPem;
    /** A kubeconfig given as content (a Jenkins secret file), never written to disk. */
    private Secret kubeconfigContent;
    private int watchReconnectIntervalMs = WATCH_RECONNECT_INTERVAL_MS;
    private int watchReconnectLimit = WATCH_RECONNECT_LIMIT;

    private KubeAccess(Path kubeconfig, String context, String server, Secret token, Path caFile, String caPem) {
        this.kubeconfig = kubeconfig;
        this.context = context;
        this.server = server;
        this.token = token;
        this.caFile = caFile;
        this.caPem = caPem;
    }

    /** Tests shorten fabric8's watch reconnect backoff so that fault paths run in milliseconds. */
    KubeAccess withWatchReconnect(int intervalMs, int limit) {
        KubeAccess copy = new KubeAccess(kubeconfig, context, server, token, caFile, caPem);
        copy.kubeconfigContent = kubeconfigContent;
        copy.watchReconnectIntervalMs = intervalMs;
        copy.watchReconnectLimit = limit;
        return copy;
    }

    /** What kubectl would use: $KUBECONFIG or ~/.kube/config (current context), else the in-cluster account. */
    public static KubeAccess defaults() {
        return new KubeAccess(null, null, null, null, null, null);
    }

    /** A kubeconfig file (null: the default locations) and a context in it (null: its current context). */
    public static KubeAccess kubeconfig(Path file, String context) {
        if (file != null && !Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--kubeconfig", file, "the file does not exist; give the path of a"
                    + " kubeconfig file");
        }
        if (context != null && context.isBlank()) {
            throw InvalidInputException.invalid("--context", context, "give a context name from the kubeconfig");
        }
        return new KubeAccess(file, context, null, null, null, null);
    }

    /**
     * A kubeconfig passed as content (how Jenkins hands over a secret-file credential) and a context in it (null: its
     * current context). The content stays in memory.
     */
    public static KubeAccess kubeconfigContent(Secret content, String context) {
        if (content == null || content.isEmpty()) {
            throw new InvalidInputException("kubeconfig credentials: the secret is empty; upload a kubeconfig file");
        }
        KubeAccess a = new KubeAccess(null, context, null, null, null, null);
        a.kubeconfigContent = content;
        return a;
    }

    /**
     * An explicit API server with a bearer token (may be null for anonymous access) and the CA that signed the
     * server's certificate, as a file or PEM text (both null: the JVM's trust store).
     */
    public static KubeAccess server(String url, Secret token, Path caFile, String caPem) {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw InvalidInputException.invalid("--server", redact(url),
                    "give the API server URL, e.g. https://api.cluster.example.com:6443");
        }
        if (uri.getPort() > 65535) {
            throw InvalidInputException.invalid("--server", redact(url), "the port is out of range (1-65535)");
        }
        if (token != null) {
            token.singleLine("--token");
        }
        if (uri.getUserInfo() != null) {
            throw InvalidInputException.invalid("--server", redact(url),
                    "do not put credentials in the URL; pass the token with --token-env or --token-file");
        }
        if (caFile != null && !Files.isRegularFile(caFile)) {
            throw InvalidInputException.invalid("--ca-file", caFile, "the file does not exist; give the PEM file of"
                    + " the cluster's CA certificate");
        }
        if (caPem != null && !caPem.contains("-----BEGIN CERTIFICATE-----")) {
            throw InvalidInputException.invalid("CA certificate", "(" + caPem.length() + " characters)",
                    "give PEM text starting with -----BEGIN CERTIFICATE-----");
        }
        return new KubeAccess(null, null, url.trim(), token, caFile, caPem);
    }

    /** One line for logs, e.g. "server https://10.0.0.1:6443 (token)" or "kubeconfig ~/.kube/config". */
    public String describe() {
        if (server != null) {
            return "server " + server + (token == null ? " (anonymous)" : " (token)");
        }
        String file = kubeconfigContent != null ? "kubeconfig from credentials"
                : kubeconfig == null ? "default kubeconfig or in-cluster account" : "kubeconfig " + kubeconfig;
        return file + (context == null ? "" : " (context " + context + ")");
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A client with bounded connect/retry behaviour; the interceptor (may be null) sees every request. */
    KubernetesClient connect(Interceptor interceptor) {
        Config config = config();
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        config.setWatchReconnectInterval(watchReconnectIntervalMs);
        config.setWatchReconnectLimit(watchReconnectLimit);
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        if (interceptor != null) {
            builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("gitops-release-count", interceptor));
        }
        return builder.build();
    }

    /** The server URL the client will talk to (for error messages; never contains the token). */
    String serverUrl(KubernetesClient client) {
        return redact(client.getConfiguration().getMasterUrl());
    }

    private Config config() {
        if (server != null) {
            ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(server).withAutoConfigure(false);
            if (token != null) {
                b.withOauthToken(token.reveal());
            }
            if (caFile != null) {
                b.withCaCertFile(caFile.toAbsolutePath().toString());
            } else if (caPem != null) {
                b.withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
            }
            return b.build();
        }
        if (kubeconfigContent != null) {
            try {
                ParseLimits.checkYaml(kubeconfigContent.reveal(), "kubeconfig credentials");
                Config c = checked(Config.fromKubeconfig(context, kubeconfigContent.reveal(), null),
                        "kubeconfig credentials");
                if (context != null && (c.getCurrentContext() == null
                        || !context.equals(c.getCurrentContext().getName()))) {
                    throw InvalidInputException.invalid("context", context, "no such context in the kubeconfig credentials");
                }
                return c;
            } catch (InvalidInputException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw new InvalidInputException("kubeconfig credentials: not a valid kubeconfig ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        try {
            String content = new String(ParseLimits.readFile("--kubeconfig", kubeconfig), StandardCharsets.UTF_8);
            ParseLimits.checkYaml(content, "--kubeconfig " + kubeconfig);
            Config c = checked(Config.fromKubeconfig(context, content, kubeconfig.toAbsolutePath().toString()),
                    "--kubeconfig " + kubeconfig);
            if (context != null && (c.getCurrentContext() == null
                    || !context.equals(c.getCurrentContext().getName()))) {
                throw InvalidInputException.invalid("--context", context, "no such context in " + kubeconfig
                        + " (see kubectl config get-contexts)");
            }
            return c;
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // fabric8 reports YAML errors with the content; keep only the kind of problem.
            throw InvalidInputException.invalid("--kubeconfig", kubeconfig, "not a valid kubeconfig ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A kubeconfig's credentials and server as fabric8 read them, refused when they would break the HTTP client
     * later: a token or password with a control character (the client's error quotes the header), a bad server URL.
     */
    private static Config checked(Config c, String where) {
        for (String[] v : new String[][] {{"token", c.getOauthToken()}, {"password", c.getPassword()},
                {"username", c.getUsername()}}) {
            if (v[1] != null && v[1].chars().anyMatch(ch -> Character.isISOControl(ch))) {
                throw new InvalidInputException(where + ": the user's " + v[0] + " holds a control character (the"
                        + " value is not shown): fix the kubeconfig");
            }
        }
        String master = c.getMasterUrl();
        if (master != null) {
            URI u;
            try {
                u = URI.create(master.trim());
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (u == null || u.getHost() == null || u.getPort() > 65535) {
                throw new InvalidInputException(where + ": the cluster's server '" + redact(master)
                        + "' is not a valid URL: fix the kubeconfig");
            }
        }
        return c;
    }

    /** Drops user-info from a URL so that nothing secret can ride along into a message. */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?<=://)[^/@]*@", "***@");
    }

}
