package io.jenkins.plugins.gitopsrelease.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.PlainHttpProbe;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client for the OCI distribution API (v2) on {@code HttpURLConnection} ({@code java.net.http} for PATCH,
 * see {@link UrlConnectionExchange}): manifests with exact bytes, blobs
 * streamed in and out, monolithic/chunked/mounted uploads, tags, referrers. Handles the WWW-Authenticate challenge
 * (Basic, or Bearer with a token per scope, cached), retries idempotent requests on 5xx, 429 (honouring
 * Retry-After) and connection failures with exponential backoff and jitter, and follows redirects itself so that
 * credentials never go to another host. Credentials only ever travel in the Authorization header; no message this
 * class produces contains a password or token. Thread-safe: one instance serves parallel blob copies.
 */
public final class RegistryClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Connection and TLS handshake (the JDK client's connect timeout covers both). Without the probe in
     * {@link #exchange}, a forgotten insecure flag waited for this bound on every retry.
     */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static {
        // the JDK client reads sockets in 16 KiB buffers by default; blobs move faster (and with less per-buffer
        // overhead while the JIT warms up) in larger ones. Only a default: an explicit -D setting wins.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(256 * 1024));
        }
    }

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=([^,\\s]+)");

    private final String host;
    private final String scheme;
    private final Credential credential;
    /** HTTPS trust for the blocking transport: the CA file's, or null for the JVM's default. */
    private final javax.net.ssl.SSLSocketFactory tls;
    private final javax.net.ssl.SSLContext caContext;
    private final boolean insecure;
    /** {@code java.net.http}, made on first use: only chunked uploads (PATCH) need it. */
    private HttpClient jdk;
    private final RequestListener listener;
    private final int maxAttempts;
    private final Duration backoff;
    private final String insecureHint;

    /** Tells a plain-HTTP server on the registry's port apart while the first requests go over TLS. */
    private final PlainHttpProbe probe;

    private volatile Challenge challenge;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    /** One lock per scope: parallel requests that need a new scope's token wait for one fetch, not one each. */
    private final Map<String, Object> tokenLocks = new ConcurrentHashMap<>();

    private record Challenge(String scheme, String realm, String service) {
    }

    private record Token(String value, long expiresAtNanos) {
        boolean valid() {
            return System.nanoTime() < expiresAtNanos;
        }
    }

    /** Result of a mount attempt: mounted, or an upload session to push the bytes to. */
    public record MountResult(boolean mounted, URI location) {
    }

    /** What the registry said when a manifest was stored. */
    public record PushResult(String digest, boolean referrersSupported) {
    }

    private RegistryClient(Builder b) {
        this.host = b.host;
        this.scheme = b.insecure ? "http" : "https";
        this.credential = b.credential;
        this.listener = b.listener;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.insecureHint = b.insecureHint;
        try {
            this.probe = new PlainHttpProbe(URI.create(scheme + "://" + host + "/v2/"), HANDSHAKE_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid("registry", host, "give host[:port], e.g. registry.example.com:5000");
        }
        this.insecure = b.insecure;
        // the CA file is read now: a bad one fails before the first request
        this.caContext = b.caFile != null && !b.insecure
                ? io.jenkins.plugins.gitopsrelease.core.TlsTrust.sslContext(b.caFile, b.caField, false) : null;
        this.tls = caContext != null ? caContext.getSocketFactory() : null;
    }

    /** The {@code java.net.http} client for PATCH (which HttpURLConnection refuses), with the same trust. */
    private synchronized HttpClient jdk() {
        if (jdk == null) {
            HttpClient.Builder hb = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1) // parallel connections beat one h2 stream window for blobs
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(HANDSHAKE_TIMEOUT);
            if (caContext != null) {
                hb.sslContext(caContext);
            } else if (insecure) {
                // Plain HTTP: no TLS set-up unless redirected to HTTPS storage.
                hb.sslContext(io.jenkins.plugins.gitopsrelease.core.LazySslContext.ofDefault())
                        .sslParameters(new javax.net.ssl.SSLParameters());
            }
            jdk = hb.build();
        }
        return jdk;
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** Options of one registry connection. */
    public static final class Builder {
        private final String host;
        private boolean insecure;
        private Path caFile;
        private String caField = "CA file";
        private Credential credential;
        private RequestListener listener = RequestListener.NONE;
        private int maxAttempts = 5;
        private Duration backoff = Duration.ofMillis(200);
        private String insecureHint = "mark it an insecure (plain HTTP) registry";

        private Builder(String host) {
            if (host == null || host.isBlank() || host.contains("/")) {
                throw InvalidInputException.invalid("registry", host, "give host[:port], e.g. registry.example.com:5000");
            }
            this.host = host;
        }

        /** Plain HTTP instead of HTTPS (a registry on a trusted network without TLS). */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * What the user does to reach this registry over plain HTTP, e.g. {@code pass --dest-insecure}: said when
         * the registry answers plain HTTP to a TLS request.
         */
        public Builder insecureHint(String hint) {
            this.insecureHint = hint;
            return this;
        }

        /** Trust exactly the certificates in this PEM file; {@code field} names the option in errors. */
        public Builder caFile(Path caFile, String field) {
            this.caFile = caFile;
            this.caField = field;
            return this;
        }

        public Builder credential(Credential credential) {
            this.credential = credential;
            return this;
        }

        public Builder listener(RequestListener listener) {
            this.listener = listener == null ? RequestListener.NONE : listener;
            return this;
        }

        /** Tries per request (and per blob transfer), at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Math.max(1, maxAttempts);
            return this;
        }

        /** First backoff; doubles per attempt, with jitter. */
        public Builder backoff(Duration backoff) {
            this.backoff = backoff;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }

    public String host() {
        return host;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Sleeps before retry {@code attempt} (1-based): backoff × 2^(attempt-1), ±50% jitter, at most 10 s. */
    public void pause(int attempt, Duration retryAfter) {
        long ms = retryAfter != null ? Math.min(retryAfter.toMillis(), 30_000)
                : Math.min(10_000, backoff.toMillis() << Math.min(attempt - 1, 16));
        if (retryAfter == null) {
            ms = (long) (ms * (0.5 + ThreadLocalRandom.current().nextDouble()));
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting to retry " + host);
        }
    }

    // ---------------------------------------------------------------- API

    /** {@code GET /v2/}: reachable and, with credentials, authorised. */
    public void ping() {
        HttpResponse<InputStream> r = send("GET", url("/v2/"), Map.of(), null, null, true);
        expect(r, "GET /v2/", 200);
        drain(r);
    }

    /** The descriptor of a manifest ({@code HEAD}), or empty when the tag or digest does not exist. */
    public Optional<Descriptor> headManifest(String repo, String reference) {
        HttpResponse<InputStream> r = send("HEAD", url("/v2/" + repo + "/manifests/" + reference),
                Map.of("Accept", MediaTypes.ACCEPT), null, pull(repo), true);
        drain(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, "HEAD " + repo + ":" + reference, 200);
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (digest == null) {
            // some registries omit the header on HEAD; the bytes are authoritative
            return getManifest(repo, reference).map(Manifest::descriptor);
        }
        return Optional.of(new Descriptor(contentType(r), digest,
                r.headers().firstValueAsLong("Content-Length").orElse(-1), null, null, null));
    }

    /** The manifest bytes as stored, or empty when the tag or digest does not exist. */
    public Optional<Manifest> getManifest(String repo, String reference) {
        HttpResponse<InputStream> r = send("GET", url("/v2/" + repo + "/manifests/" + reference),
                Map.of("Accept", MediaTypes.ACCEPT), null, pull(repo), true);
        if (r.statusCode() == 404) {
            drain(r);
            return Optional.empty();
        }
        expect(r, "GET manifest " + repo + ":" + reference, 200);
        Manifest m = new Manifest(contentType(r), readAll(r));
        if (reference.startsWith("sha256:") && !m.digest().equals(reference)) {
            throw new OperationFailedException(host + "/" + repo + "@" + reference + ": the registry served a manifest"
                    + " whose sha256 is " + m.digest() + "; refusing corrupt content");
        }
        return Optional.of(m);
    }

    /** Stores a manifest under a tag or its digest, byte for byte. */
    public PushResult putManifest(String repo, String reference, Manifest m) {
        HttpResponse<InputStream> r = send("PUT", url("/v2/" + repo + "/manifests/" + reference),
                Map.of("Content-Type", m.mediaType()), RequestBody.of(m.rawBytes()), push(repo), true);
        expect(r, "PUT manifest " + repo + ":" + reference, 201);
        drain(r);
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse(m.digest());
        return new PushResult(digest, r.headers().firstValue("OCI-Subject").isPresent());
    }

    public boolean blobExists(String repo, String digest) {
        HttpResponse<InputStream> r = send("HEAD", url("/v2/" + repo + "/blobs/" + digest), Map.of(), null, pull(repo), true);
        drain(r);
        if (r.statusCode() == 404) {
            return false;
        }
        expect(r, "HEAD blob " + repo + "@" + digest, 200);
        return true;
    }

    /** A stream of the blob from {@code offset}; the caller closes it. */
    public InputStream openBlob(String repo, String digest, long offset) {
        Map<String, String> h = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = send("GET", url("/v2/" + repo + "/blobs/" + digest), h, null, pull(repo), true);
        if (r.statusCode() == 404) {
            drain(r);
            throw new OperationFailedException(host + "/" + repo + ": blob " + digest + " is missing although a"
                    + " manifest lists it; the source image is incomplete");
        }
        expect(r, "GET blob " + repo + "@" + digest, offset > 0 ? 206 : 200, 200);
        InputStream in = r.body();
        if (offset > 0 && r.statusCode() == 200) {
            try {
                in.skipNBytes(offset); // the registry ignored Range: skip what we already have
            } catch (IOException e) {
                closeQuietly(in);
                throw new OperationFailedException(host + ": cannot read blob " + digest + ": " + e.getMessage(), e);
            }
        }
        return in;
    }

    /** Starts an upload session ({@code POST .../blobs/uploads/}). */
    public URI startUpload(String repo) {
        HttpResponse<InputStream> r = send("POST", url("/v2/" + repo + "/blobs/uploads/"), Map.of(),
                RequestBody.EMPTY, push(repo), true);
        expect(r, "POST upload " + repo, 202);
        drain(r);
        return location(r);
    }

    /** Cross-repository mount on the same registry; falls back to an upload session when the registry declines. */
    public MountResult mount(String repo, String digest, String fromRepo) {
        URI u = url("/v2/" + repo + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(fromRepo));
        HttpResponse<InputStream> r = send("POST", u, Map.of(), RequestBody.EMPTY,
                push(repo) + " " + pull(fromRepo), true);
        drain(r);
        if (r.statusCode() == 201) {
            return new MountResult(true, null);
        }
        expect(r, "POST mount " + digest + " from " + fromRepo + " into " + repo, 202);
        return new MountResult(false, location(r));
    }

    /**
     * Monolithic upload: {@code PUT location?digest=} with the whole blob streamed as the body (fixed length). Not
     * retried here: the stream is consumed; the caller restarts with a fresh stream.
     */
    public void putUpload(String repo, URI location, String digest, Supplier<InputStream> body, long size) {
        URI u = withQuery(location, "digest=" + enc(digest));
        HttpResponse<InputStream> r = send("PUT", u, Map.of("Content-Type", "application/octet-stream"),
                RequestBody.stream(body, size), push(repo), false);
        expect(r, "PUT blob " + repo + "@" + digest, 201);
        drain(r);
    }

    /** One chunk ({@code PATCH} with Content-Range); returns the location for the next request. */
    public URI patchUpload(String repo, URI location, Supplier<InputStream> body, long offset, long length) {
        HttpResponse<InputStream> r = send("PATCH", location, Map.of("Content-Type", "application/octet-stream",
                        "Content-Range", offset + "-" + (offset + length - 1)),
                RequestBody.stream(body, length), push(repo), false);
        expect(r, "PATCH upload " + repo, 202);
        drain(r);
        return location(r);
    }

    /** How many bytes the registry holds for an upload session (GET location → Range), or empty if unknown. */
    public OptionalLong uploadOffset(String repo, URI location) {
        HttpResponse<InputStream> r = send("GET", location, Map.of(), null, push(repo), true);
        drain(r);
        if (r.statusCode() != 204 && r.statusCode() != 202) {
            return OptionalLong.empty();
        }
        return r.headers().firstValue("Range").map(v -> {
            int dash = v.lastIndexOf('-');
            return OptionalLong.of(Long.parseLong(v.substring(dash + 1).trim()) + 1);
        }).orElse(OptionalLong.of(0));
    }

    /** Closes a chunked upload ({@code PUT location?digest=}, empty body); the registry checks the digest. */
    public void completeUpload(String repo, URI location, String digest) {
        HttpResponse<InputStream> r = send("PUT", withQuery(location, "digest=" + enc(digest)),
                Map.of("Content-Type", "application/octet-stream"), RequestBody.EMPTY, push(repo), false);
        expect(r, "PUT blob " + repo + "@" + digest, 201);
        drain(r);
    }

    /**
     * Stores a small blob held in memory (an artifact's JSON, an empty config) unless the registry already has it;
     * returns its digest. Retried as a whole: the bytes can be sent again.
     */
    public String pushBlob(String repo, byte[] data) {
        String digest = Manifest.sha256(data);
        if (blobExists(repo, digest)) {
            return digest;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                URI location = startUpload(repo);
                putUpload(repo, location, digest, () -> new java.io.ByteArrayInputStream(data), data.length);
                return digest;
            } catch (TransferException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                pause(attempt, null);
            }
        }
    }

    /** All tags of a repository (follows {@code Link} pagination). */
    public List<String> tags(String repo) {
        List<String> out = new ArrayList<>();
        URI next = url("/v2/" + repo + "/tags/list?n=1000");
        while (next != null) {
            HttpResponse<InputStream> r = send("GET", next, Map.of(), null, pull(repo), true);
            if (r.statusCode() == 404) {
                drain(r);
                return out;
            }
            expect(r, "GET tags " + repo, 200);
            JsonNode n = readJson(r);
            n.path("tags").forEach(t -> out.add(t.asText()));
            next = r.headers().firstValue("Link")
                    .map(l -> l.replaceFirst("^\\s*<([^>]*)>.*$", "$1"))
                    .map(l -> URI.create(scheme + "://" + host).resolve(l))
                    .orElse(null);
        }
        return out;
    }

    /**
     * The referrers API ({@code GET /v2/<name>/referrers/<digest>}): descriptors of artifacts whose
     * {@code subject} is the digest; empty when the registry does not implement the API (use the tag fallback).
     */
    public Optional<List<Descriptor>> referrers(String repo, String digest) {
        HttpResponse<InputStream> r = send("GET", url("/v2/" + repo + "/referrers/" + digest),
                Map.of("Accept", MediaTypes.OCI_INDEX), null, pull(repo), true);
        if (r.statusCode() != 200) {
            drain(r);
            return Optional.empty();
        }
        String ct = contentType(r);
        JsonNode n = readJson(r);
        if (ct != null && !ct.startsWith(MediaTypes.OCI_INDEX) && !n.has("manifests")) {
            return Optional.empty();
        }
        List<Descriptor> out = new ArrayList<>();
        n.path("manifests").forEach(d -> out.add(Descriptor.of(d)));
        return Optional.of(out);
    }

    // ---------------------------------------------------------------- HTTP with auth, redirects and retries

    private static String pull(String repo) {
        return "repository:" + repo + ":pull";
    }

    private static String push(String repo) {
        return "repository:" + repo + ":pull,push";
    }

    private URI url(String path) {
        return URI.create(scheme + "://" + host + path);
    }

    /**
     * One logical request. {@code body} is a factory so the request can be re-sent (null for none); with
     * {@code retry} false a failure is not repeated (streamed bodies). Returns the final response whatever its
     * status, except that connection failures after the last attempt throw.
     */
    HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, RequestBody body,
            String scope, boolean retry) {
        URI target = uri;
        boolean sameHost = true;
        boolean reauthenticated = false;
        int redirects = 0;
        int attempt = 1;
        while (true) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            String auth = sameHost ? authorization(scope) : null;
            if (auth != null) {
                h.put("Authorization", auth);
            }
            HttpResponse<InputStream> r;
            listener.before(method, target);
            try {
                r = exchange(method, target, h, body, sameHost);
            } catch (IOException e) {
                listener.after(method, target, -1);
                if (retry && attempt < maxAttempts) {
                    pause(attempt++, null);
                    continue;
                }
                throw new TransferException(host + ": " + method + " " + target.getPath() + " failed"
                        + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted: " + method + " " + target.getPath());
            }
            listener.after(method, target, r.statusCode());
            int status = r.statusCode();
            if (status == 401 && sameHost && !reauthenticated) {
                String wwwAuth = r.headers().firstValue("WWW-Authenticate").orElse("");
                drain(r);
                authenticate(wwwAuth, scope, auth);
                reauthenticated = true;
                continue;
            }
            if (status == 401) {
                Map<String, String> p = params(r.headers().firstValue("WWW-Authenticate").orElse(""));
                drain(r);
                if ("insufficient_scope".equals(p.get("error")) && credential != null) {
                    // the credentials are fine (the token service accepted them) but grant too little
                    boolean write = !"GET".equals(method) && !"HEAD".equals(method);
                    String repo = scope == null ? "" : scope.replaceFirst("^repository:([^:]+):.*$", "$1");
                    throw new OperationFailedException(host + " refused " + method + " " + target.getPath()
                            + " (401 insufficient_scope): user '" + credential.username() + "' may not "
                            + (write ? "push to " : "pull from ") + repo + "; the token service granted less than "
                            + p.getOrDefault("scope", scope) + " — give the user the "
                            + (write ? "push" : "pull") + " permission or use other credentials");
                }
                throw new OperationFailedException(host + " refused " + method + " " + target.getPath() + " (401): "
                        + (credential == null ? "the registry needs credentials; give them (creds env variable or"
                        + " auth file)" : "the credentials for user '" + credential.username() + "' were not accepted;"
                        + " check the username and password/token"));
            }
            if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && r.headers().firstValue("Location").isPresent() && redirects++ < 5) {
                URI next = target.resolve(r.headers().firstValue("Location").get());
                drain(r);
                // credentials stay with the registry: a redirect to storage (S3, CDN) goes without them
                sameHost = sameHost && next.getAuthority() != null && next.getAuthority().equals(uri.getAuthority());
                target = next;
                continue;
            }
            if ((status >= 500 || status == 429) && retry && attempt < maxAttempts) {
                Duration retryAfter = r.headers().firstValue("Retry-After").flatMap(RegistryClient::seconds).orElse(null);
                drain(r);
                pause(attempt++, retryAfter);
                continue;
            }
            return r;
        }
    }

    /**
     * Sends one request. Until the registry has answered over TLS once, a plain-HTTP probe of the same port runs
     * alongside ({@link PlainHttpProbe}): a registry that answers plain HTTP is reported at once (exit 2, naming the
     * insecure option), and a server that takes the connection but never completes the TLS handshake fails after
     * {@link #HANDSHAKE_TIMEOUT} (the probe's bound) without the retries.
     */
    private HttpResponse<InputStream> exchange(String method, URI target, Map<String, String> headers,
            RequestBody body, boolean sameHost) throws IOException, InterruptedException {
        Send call;
        UrlConnectionExchange.Handle handle = new UrlConnectionExchange.Handle();
        if ("PATCH".equals(method)) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(target)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.publisher());
            headers.forEach(rb::header);
            call = () -> jdk().send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } else {
            // uploads have no read timeout: committing a large blob may take the registry long
            Duration read = "PUT".equals(method) ? null : REQUEST_TIMEOUT;
            call = () -> UrlConnectionExchange.send(method, target, headers, body, HANDSHAKE_TIMEOUT, read, tls,
                    handle);
        }
        if (!sameHost) {
            return call.call();
        }
        // not retried: a server that keeps a TLS handshake waiting 10 s will do so on the next attempt
        return probe.race(target, call::call, this::plainHttp, () -> new TransferException("registry " + host
                + " accepted the connection but did not complete a TLS handshake within "
                + HANDSHAKE_TIMEOUT.toSeconds() + " s; check that it serves HTTPS on this port (or " + insecureHint
                + " if it has no TLS)", null), handle::abort);
    }

    /** One exchange on either transport. */
    private interface Send {
        HttpResponse<InputStream> call() throws IOException, InterruptedException;
    }

    private InvalidInputException plainHttp() {
        return new InvalidInputException("registry " + host + " answered plain HTTP to a TLS request; " + insecureHint
                + " if it has no TLS");
    }

    private static Optional<Duration> seconds(String v) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private String authorization(String scope) {
        Challenge c = challenge;
        if (c == null) {
            return null;
        }
        if ("basic".equals(c.scheme())) {
            return credential == null ? null : basic();
        }
        String key = scope == null ? "" : scope;
        return "Bearer " + token(c, key, key, null).value();
    }

    /**
     * The cached token for {@code key}, or a new one for {@code fetchScope} when there is none, it expired, or it
     * is the one the registry just {@code rejected}. Fetches under a per-scope lock so that threads racing for a
     * scope share one token request.
     */
    private Token token(Challenge c, String key, String fetchScope, String rejected) {
        synchronized (tokenLocks.computeIfAbsent(key, k -> new Object())) {
            Token t = tokens.get(key);
            if (t != null && t.valid() && !("Bearer " + t.value()).equals(rejected)) {
                return t;
            }
            t = fetchToken(c, fetchScope);
            tokens.put(key, t);
            return t;
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (credential.username() + ":" + credential.password().reveal()).getBytes(StandardCharsets.UTF_8));
    }

    private void authenticate(String wwwAuthenticate, String scope, String sentAuth) {
        String lower = wwwAuthenticate.toLowerCase(Locale.ROOT);
        if (lower.startsWith("basic")) {
            if (credential == null || sentAuth != null) {
                throw new OperationFailedException(host + " refused the request (401): " + (credential == null
                        ? "the registry needs credentials; give them (creds env variable or auth file)"
                        : "the credentials for user '" + credential.username() + "' were not accepted; check the"
                        + " username and password/token"));
            }
            challenge = new Challenge("basic", null, null);
            return;
        }
        if (lower.startsWith("bearer")) {
            Map<String, String> p = params(wwwAuthenticate.substring(6));
            String realm = p.get("realm");
            if (realm == null) {
                throw new OperationFailedException(host + " sent a Bearer challenge without a realm; cannot authenticate");
            }
            Challenge c = new Challenge("bearer", realm, p.get("service"));
            challenge = c;
            String key = scope == null ? "" : scope;
            String s = key;
            if (p.containsKey("scope") && !s.contains(p.get("scope"))) {
                s = (s + " " + p.get("scope")).trim();
            }
            // a thread that lost the race to the first 401 finds the token the winner fetched
            token(c, key, s, sentAuth);
            return;
        }
        throw new OperationFailedException(host + " answered 401 with an unsupported challenge '"
                + wwwAuthenticate.split("\\s", 2)[0] + "'; only Basic and Bearer are supported");
    }

    private static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(s);
        while (m.find()) {
            out.put(m.group(1) != null ? m.group(1).toLowerCase(Locale.ROOT) : m.group(3).toLowerCase(Locale.ROOT),
                    m.group(1) != null ? m.group(2) : m.group(4));
        }
        return out;
    }

    private Token fetchToken(Challenge c, String scope) {
        StringBuilder q = new StringBuilder();
        if (c.service() != null) {
            q.append("service=").append(enc(c.service()));
        }
        for (String s : scope.split("\\s+")) {
            if (!s.isBlank()) {
                q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(s));
            }
        }
        URI realm;
        try {
            realm = URI.create(c.realm());
        } catch (IllegalArgumentException e) {
            realm = null;
        }
        if (realm == null || realm.getHost() == null
                || !("http".equalsIgnoreCase(realm.getScheme()) || "https".equalsIgnoreCase(realm.getScheme()))) {
            throw new OperationFailedException(host + " named a token service that is not an http(s) URL; cannot"
                    + " authenticate");
        }
        URI u = q.length() == 0 ? realm : withQuery(realm, q.toString());
        Map<String, String> h = credential != null ? Map.of("Authorization", basic()) : Map.of();
        for (int attempt = 1; ; attempt++) {
            listener.before("GET", u);
            HttpResponse<InputStream> r;
            try {
                r = UrlConnectionExchange.send("GET", u, h, null, HANDSHAKE_TIMEOUT, REQUEST_TIMEOUT, tls);
            } catch (IOException e) {
                listener.after("GET", u, -1);
                if (attempt < maxAttempts) {
                    pause(attempt, null);
                    continue;
                }
                throw new TransferException("token service " + realm.getAuthority() + " for " + host
                        + " cannot be reached: " + describe(e), e);
            }
            listener.after("GET", u, r.statusCode());
            if ((r.statusCode() >= 500 || r.statusCode() == 429) && attempt < maxAttempts) {
                drain(r);
                pause(attempt, null);
                continue;
            }
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                drain(r);
                throw new OperationFailedException("token service " + realm.getAuthority() + " refused " + (credential
                        == null ? "anonymous access to " + host + ": give credentials" : "the credentials for user '"
                        + credential.username() + "' on " + host + ": check the username and password/token"));
            }
            if (r.statusCode() != 200) {
                String err = errorText(r);
                throw new OperationFailedException("token service " + realm.getAuthority() + " answered "
                        + r.statusCode() + " for " + host + err);
            }
            JsonNode n = readJson(r);
            String token = n.path("token").asText(n.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new OperationFailedException("token service " + realm.getAuthority() + " returned no token for " + host);
            }
            long ttl = Math.max(30, n.path("expires_in").asLong(60)) - 10;
            return new Token(token, System.nanoTime() + Duration.ofSeconds(ttl).toNanos());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A network-level failure (connection refused/reset): worth retrying at a higher level. */
    public static final class TransferException extends OperationFailedException {
        private static final long serialVersionUID = 1L;

        TransferException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void expect(HttpResponse<InputStream> r, String what, int... ok) {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        String err = errorText(r);
        String msg = host + ": " + what + " answered " + r.statusCode() + err;
        if (r.statusCode() >= 500 || r.statusCode() == 429) {
            throw new RegistryStatusException(msg, r.statusCode());
        }
        throw new RegistryStatusException(msg, r.statusCode());
    }

    /** An unexpected HTTP status; {@link #status()} tells 4xx (permanent) from 5xx (transient). */
    public static final class RegistryStatusException extends OperationFailedException {
        private static final long serialVersionUID = 1L;
        private final int status;

        RegistryStatusException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** " (CODE: message)" from the registry's error body, if any; never echoes request headers. */
    private static String errorText(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(16 * 1024);
            if (b.length == 0) {
                return "";
            }
            JsonNode n = io.jenkins.plugins.gitopsrelease.core.ParseLimits.tree(b);
            List<String> parts = new ArrayList<>();
            n.path("errors").forEach(e -> parts.add(e.path("code").asText() + ": " + e.path("message").asText()));
            return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse(null);
    }

    private static URI location(HttpResponse<?> r) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new OperationFailedException(
                r.uri().getAuthority() + ": upload answered without a Location header"));
        return r.uri().resolve(loc);
    }

    static URI withQuery(URI u, String param) {
        String s = u.toString();
        return URI.create(s + (u.getRawQuery() == null ? "?" : "&") + param);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private byte[] readAll(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new TransferException(host + ": reading " + r.uri().getPath() + " failed: " + describe(e), e);
        }
    }

    private JsonNode readJson(HttpResponse<InputStream> r) {
        byte[] b = readAll(r);
        try {
            return io.jenkins.plugins.gitopsrelease.core.ParseLimits.tree(b);
        } catch (IOException e) {
            throw new OperationFailedException(host + ": " + r.uri().getPath() + " did not return JSON");
        }
    }

    private static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        String msg = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return msg != null ? msg : e.getClass().getSimpleName();
    }
}
