package io.jenkins.plugins.gitopsrelease.openchoreo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.forge.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenChoreo control-plane REST API ({@code openapi/openchoreo-api.yaml}) over java.net.http with Jackson. Every
 * call carries {@code Authorization: Bearer}, from a fixed token or from client credentials ({@link TokenSource}:
 * cached until it expires, fetched again once when the API answers 401). Errors name the call, the status and the
 * fix; 429 (and 503 with Retry-After) is waited out within a bound; a server slower than the timeout fails with
 * that said. No secret is ever part of a message: the server's error text is redacted before it is quoted.
 */
public final class OpenChoreoApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String base;
    private final TokenSource tokens;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration maxRateLimitWait;
    private final Sleeper sleeper;
    /** Tells a plain-HTTP server given as https:// apart at the first call, instead of after the connect timeout. */
    private final io.jenkins.plugins.gitopsrelease.core.PlainHttpProbe probe;

    private OpenChoreoApi(Builder b) {
        this.server = b.server;
        String s = b.server.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
        this.maxRateLimitWait = b.maxRateLimitWait;
        this.sleeper = b.sleeper;
        // HTTP/1.1: the API is plain HTTP behind most gateways; h2c upgrade attempts only add a round trip.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout)
                // Never followed: the JDK client re-sends every header, the bearer token too, to wherever a
                // redirect points (another host included).
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.probe = new io.jenkins.plugins.gitopsrelease.core.PlainHttpProbe(URI.create(base + "/"),
                Duration.ofSeconds(Math.min(10, b.timeout.toSeconds())));
        this.tokens = new TokenSource(b.auth, base, http, b.timeout, b.clock, probe);
    }

    /** {@code server}: the API's base URL, e.g. {@code https://api.openchoreo.example.com}. */
    public static Builder builder(String server) {
        return new Builder(server);
    }

    public static final class Builder {
        private final URI server;
        private OpenChoreoAuth auth;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration maxRateLimitWait = Duration.ofSeconds(60);
        private Sleeper sleeper = Sleeper.REAL;
        private Clock clock = Clock.systemUTC();

        private Builder(String server) {
            this.server = checkServer(server);
        }

        public Builder auth(OpenChoreoAuth auth) {
            this.auth = auth;
            return this;
        }

        /** Per-request timeout (and connect timeout). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Rate-limit answers waited out at most this many times per call, and for at most {@code maxWait} in all. */
        public Builder rateLimit(int maxRetries, Duration maxWait) {
            this.maxRetries = maxRetries;
            this.maxRateLimitWait = maxWait;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public OpenChoreoApi build() {
            if (auth == null) {
                throw new InvalidInputException("no OpenChoreo API credentials: give --token-env/--token-file or"
                        + " --client-id with --client-secret-env/--client-secret-file");
            }
            return new OpenChoreoApi(this);
        }
    }

    static URI checkServer(String server) {
        if (server == null || server.isBlank()) {
            throw new InvalidInputException("--server is required in api-server mode: give the OpenChoreo API URL,"
                    + " e.g. https://api.openchoreo.example.com");
        }
        URI u;
        try {
            u = URI.create(server.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid("--server", server, "give an http(s) URL of the OpenChoreo API");
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
            throw InvalidInputException.invalid("--server", server, "give an http(s) URL of the OpenChoreo API");
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null) {
            throw InvalidInputException.invalid("--server", u.getScheme() + "://" + u.getHost(), "give the URL without"
                    + " user info or query: credentials go in --token-env/--client-secret-env");
        }
        return u;
    }

    public URI server() {
        return server;
    }

    /** The API URL of a namespaced object, e.g. {@code objectUrl("workloads", "default", "web-workload")}. */
    public String objectUrl(String plural, String namespace, String name) {
        return base + nsPath(namespace, plural) + "/" + enc(name);
    }

    // ---- typed calls ------------------------------------------------------------------------------------------

    /** Workloads owned by {@code component}. */
    public List<ObjectNode> workloads(String namespace, String component) {
        return list(nsPath(namespace, "workloads"), "component", component);
    }

    public Optional<ObjectNode> workload(String namespace, String name) {
        return get(nsPath(namespace, "workloads") + "/" + enc(name));
    }

    public ObjectNode createWorkload(String namespace, ObjectNode workload) {
        return send("POST", nsPath(namespace, "workloads"), workload);
    }

    public ObjectNode updateWorkload(String namespace, String name, ObjectNode workload) {
        return send("PUT", nsPath(namespace, "workloads") + "/" + enc(name), workload);
    }

    /** {@code POST components/{c}/generate-release}; {@code releaseName} null lets the server name it. */
    public ObjectNode generateRelease(String namespace, String component, String releaseName) {
        ObjectNode body = JSON.createObjectNode();
        if (releaseName != null) {
            body.put("releaseName", releaseName);
        }
        return send("POST", nsPath(namespace, "components") + "/" + enc(component) + "/generate-release", body);
    }

    public Optional<ObjectNode> component(String namespace, String name) {
        return get(nsPath(namespace, "components") + "/" + enc(name));
    }

    /** Components of a project (every one in the namespace when {@code project} is null). */
    public List<ObjectNode> components(String namespace, String project) {
        return list(nsPath(namespace, "components"), "project", project);
    }

    public Optional<ObjectNode> project(String namespace, String name) {
        return get(nsPath(namespace, "projects") + "/" + enc(name));
    }

    public Optional<ObjectNode> deploymentPipeline(String namespace, String name) {
        return get(nsPath(namespace, "deploymentpipelines") + "/" + enc(name));
    }

    public List<ObjectNode> componentReleases(String namespace, String component) {
        return list(nsPath(namespace, "componentreleases"), "component", component);
    }

    public Optional<ObjectNode> componentRelease(String namespace, String name) {
        return get(nsPath(namespace, "componentreleases") + "/" + enc(name));
    }

    public List<ObjectNode> releaseBindings(String namespace, String component) {
        return list(nsPath(namespace, "releasebindings"), "component", component);
    }

    public Optional<ObjectNode> releaseBinding(String namespace, String name) {
        return get(nsPath(namespace, "releasebindings") + "/" + enc(name));
    }

    public ObjectNode createReleaseBinding(String namespace, ObjectNode binding) {
        return send("POST", nsPath(namespace, "releasebindings"), binding);
    }

    public ObjectNode updateReleaseBinding(String namespace, String name, ObjectNode binding) {
        return send("PUT", nsPath(namespace, "releasebindings") + "/" + enc(name), binding);
    }

    // ---- generic calls ----------------------------------------------------------------------------------------

    /** GET; empty on 404. */
    public Optional<ObjectNode> get(String path) {
        try {
            return Optional.of(send("GET", path, null));
        } catch (OpenChoreoApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A paginated list ({@code items} + {@code pagination.nextCursor}), filtered by {@code key=value} if not null. */
    public List<ObjectNode> list(String path, String key, String value) {
        List<ObjectNode> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            StringBuilder q = new StringBuilder("?limit=100");
            if (value != null) {
                q.append('&').append(key).append('=').append(enc(value));
            }
            if (cursor != null) {
                q.append("&cursor=").append(enc(cursor));
            }
            ObjectNode res = send("GET", path + q, null);
            JsonNode items = res.path("items");
            if (items.isArray()) {
                items.forEach(i -> {
                    if (i.isObject()) {
                        out.add((ObjectNode) i);
                    }
                });
            }
            String next = res.path("pagination").path("nextCursor").asText("");
            if (next.isEmpty() || next.equals(cursor)) {
                return out;
            }
            cursor = next;
        }
        throw new OpenChoreoApiException("OpenChoreo API GET " + path + " returned more than 10000 pages: stopped", 0);
    }

    /** Sends one call; returns the JSON body (an empty object for an empty body). */
    public ObjectNode send(String method, String path, JsonNode body) {
        String call = method + " " + stripQuery(path);
        Duration waited = Duration.ZERO;
        boolean refreshed = false;
        for (int attempt = 0; ; attempt++) {
            String token = tokens.bearer();
            HttpResponse<String> res = exchange(method, path, body, token, call);
            int status = res.statusCode();
            if (status >= 200 && status < 300) {
                return parse(res.body(), call);
            }
            if (status == 401 && !refreshed && tokens.canRefresh()) {
                // The cached token may have been revoked or expired early: one fresh token, one more try.
                tokens.invalidate(token);
                refreshed = true;
                continue;
            }
            if (status >= 300 && status < 400) {
                throw new OpenChoreoApiException("OpenChoreo API answered " + call + " with a redirect (HTTP " + status
                        + ") to " + res.headers().firstValue("Location").map(this::withoutQuery).orElse("nowhere")
                        + ": redirects are not followed (the token would go along); give the API's own URL as"
                        + " --server", status);
            }
            Optional<Duration> wait = retryAfter(status, res);
            if (wait.isPresent()) {
                Duration w = wait.get();
                if (attempt >= maxRetries || waited.plus(w).compareTo(maxRateLimitWait) > 0) {
                    throw new OpenChoreoApiException("OpenChoreo API " + (status == 429 ? "rate limit" : "unavailable")
                            + " on " + call + " (HTTP " + status + "): the server asks to wait " + w.toSeconds()
                            + "s; gave up after " + attempt + " retries and " + waited.toSeconds() + "s (limit "
                            + maxRateLimitWait.toSeconds() + "s): retry later", status);
                }
                sleeper.sleep(w);
                waited = waited.plus(w);
                continue;
            }
            throw error(call, status, res.body());
        }
    }

    private HttpResponse<String> exchange(String method, String path, JsonNode body, String token, String call) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Accept", "application/json").header("User-Agent", "gitops-release");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return probe.race(http, b.build(), HttpResponse.BodyHandlers.ofString(), () -> new InvalidInputException(
                    "--server " + base + " answered plain HTTP to a TLS request: give its http:// URL if it has no"
                    + " TLS"));
        } catch (IllegalArgumentException e) {
            // the JDK client refuses what it cannot send (a header value, a URI), quoting it: scrubbed by describe
            throw new OpenChoreoApiException("OpenChoreo API " + call + " cannot be sent: "
                    + io.jenkins.plugins.gitopsrelease.core.Failures.describe(e), 0, e);
        } catch (HttpTimeoutException e) {
            throw new OpenChoreoApiException("OpenChoreo API " + call + " did not answer within " + timeout.toSeconds()
                    + "s (" + base + "): the server is slow or unreachable; retry, or raise the timeout", 0, e);
        } catch (IOException e) {
            throw new OpenChoreoApiException("OpenChoreo API " + call + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()) + " (is --server " + base
                    + " right and reachable?)", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted calling OpenChoreo API " + call, e);
        }
    }

    private OpenChoreoApiException error(String call, int status, String body) {
        String detail = tokens.redact(excerpt(body));
        String said = detail.isEmpty() ? "" : ": " + detail;
        String msg = switch (status) {
            case 400 -> "OpenChoreo API rejected " + call + " as a bad request (HTTP 400)" + said;
            case 401 -> "OpenChoreo API rejected the credentials for " + call + " (HTTP 401)" + said + ": "
                    + tokens.fixFor401();
            case 403 -> "OpenChoreo API refused " + call + " (HTTP 403 forbidden)" + said + ": grant the CI's"
                    + " client or token a role that allows this action in the namespace";
            case 404 -> "OpenChoreo API found nothing at " + call + " (HTTP 404)" + said + ": check --namespace,"
                    + " --project and --component, and that the Component exists on the server";
            case 409 -> "OpenChoreo API reports a conflict on " + call + " (HTTP 409)" + said + ": the object"
                    + " already exists or was changed concurrently; run again";
            case 422 -> "OpenChoreo API refused the content of " + call + " (HTTP 422 unprocessable)" + said
                    + ": fix the workload descriptor or inputs named above";
            default -> status >= 500
                    ? "OpenChoreo API server error on " + call + " (HTTP " + status + ")" + said
                            + ": the server failed; retry later or ask the platform team"
                    : "OpenChoreo API answered " + call + " with HTTP " + status + said;
        };
        return new OpenChoreoApiException(msg, status);
    }

    static Optional<Duration> retryAfter(int status, HttpResponse<?> res) {
        if (status != 429 && status != 503) {
            return Optional.empty();
        }
        Optional<String> h = res.headers().firstValue("Retry-After");
        if (h.isEmpty()) {
            return status == 429 ? Optional.of(Duration.ofSeconds(1)) : Optional.empty();
        }
        String v = h.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException ignored) {
                return Optional.of(Duration.ofSeconds(1));
            }
        }
    }

    private ObjectNode parse(String body, String call) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (!n.isObject()) {
                throw new OpenChoreoApiException("OpenChoreo API " + call + " returned JSON that is not an object", 0);
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new OpenChoreoApiException("OpenChoreo API " + call + " returned a body that is not JSON: "
                    + tokens.redact(excerpt(body)) + " (is --server the API, not the console?)", 0);
        }
    }

    /** The API's ErrorResponse {@code error} text (with field details), else the body, at most 300 characters. */
    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        try {
            JsonNode n = JSON.readTree(b);
            if (n != null && n.isObject() && n.hasNonNull("error")) {
                StringBuilder s = new StringBuilder(n.get("error").asText());
                for (JsonNode d : n.path("details")) {
                    s.append("; ").append(d.path("field").asText()).append(": ").append(d.path("message").asText());
                }
                b = s.toString();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: quote the text
        }
        return b.length() > 300 ? b.substring(0, 300) + "..." : b;
    }

    static String nsPath(String namespace, String plural) {
        return "/api/v1/namespaces/" + enc(namespace) + "/" + plural;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** A redirect target for a message: resolved against the API, without query or fragment (they may hold secrets). */
    private String withoutQuery(String location) {
        try {
            URI u = URI.create(base + "/").resolve(location.trim());
            return io.jenkins.plugins.gitopsrelease.core.Failures.printable(u.getScheme() + "://" + u.getRawAuthority()
                    .replaceFirst("^.*@", "") + (u.getRawPath() == null ? "" : u.getRawPath()));
        } catch (RuntimeException e) {
            return "an invalid URL";
        }
    }
}
