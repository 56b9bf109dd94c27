package io.jenkins.plugins.gitopsrelease.testinfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker/OCI token service (the {@code realm} of distribution's {@code auth.token}) in the test JVM: checks HTTP
 * basic credentials and issues RS256 JWTs that distribution 2.8 accepts. The signing key and its self-signed
 * certificate come from {@code openssl} at start; the certificate is the registry's {@code rootcertbundle} and
 * travels in the JWT header as {@code x5c}, so distribution verifies the chain instead of looking up a libtrust
 * {@code kid}. Grants exactly the actions a {@code scope} asks for ({@code pull} only for read-only users).
 * Counts requests and records the scopes asked for, so tests can check that clients cache tokens.
 */
public final class TokenServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens live 5 minutes, as Docker Hub's do; distribution allows 60 s of clock skew on exp/nbf. */
    public static final int EXPIRES_IN = 300;

    /** One credential the service knows; {@code readOnly} users get {@code pull} whatever they ask for. */
    private record User(String password, boolean readOnly) {
    }

    /** One request as the service saw it: who (null = anonymous or refused), the scopes, and the answer. */
    public record Request(String user, List<String> scopes, int status) {
    }

    private final String service;
    private final String issuer;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger spoil = new AtomicInteger();
    private final Path certificate;
    private final PrivateKey key;
    private final String x5c;
    private final HttpServer server;
    private final ExecutorService executor;

    /** Generates the key pair in {@code dir} and starts listening on a free 127.0.0.1 port. */
    public TokenServer(Path dir, String service, String issuer) {
        this.service = service;
        this.issuer = issuer;
        try {
            Files.createDirectories(dir);
            Path keyFile = dir.resolve("token-signing.key");
            certificate = dir.resolve("token-signing.crt");
            ExternalTool.require("openssl", "openssl");
            ExternalTool.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=" + issuer, "-keyout", keyFile.toString(), "-out", certificate.toString());
            key = readPkcs8(keyFile);
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(certificate)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            // x5c is standard base64 of the DER (RFC 7515 §4.1.6), not base64url
            x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the token server", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the token signing key", e);
        }
        server.createContext("/token", this::handle);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "token-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    private static PrivateKey readPkcs8(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem);
        if (!text.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalStateException("openssl wrote no PKCS#8 key to " + pem);
        }
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    /** A user who may pull and push whatever it asks for. */
    public TokenServer user(String name, String password) {
        users.put(name, new User(password, false));
        return this;
    }

    /** A user whose tokens grant {@code pull} only, whatever the scope asks for. */
    public TokenServer readOnlyUser(String name, String password) {
        users.put(name, new User(password, true));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String realm() {
        return "http://127.0.0.1:" + port() + "/token";
    }

    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }

    /** The PEM certificate distribution trusts ({@code rootcertbundle}). */
    public Path certificate() {
        return certificate;
    }

    /** Every request so far, in order (successful or not). */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Tokens issued so far. */
    public int issued() {
        return issued.get();
    }

    /**
     * The next {@code n} tokens name another audience, so the registry rejects them ({@code invalid_token}) as it
     * would a revoked or expired token: tests that a client fetches a fresh one.
     */
    public void spoilNext(int n) {
        spoil.set(n);
    }

    /** Forgets the recorded requests (the users stay). */
    public void reset() {
        requests.clear();
        issued.set(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
            List<String> scopes = q.getOrDefault("scope", List.of());
            if (!"GET".equals(ex.getRequestMethod())) {
                answer(ex, null, scopes, 405, "{\"details\":\"GET only\"}");
                return;
            }
            String who = authenticatedUser(ex.getRequestHeaders().getFirst("Authorization"));
            if (who == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fixture token service\"");
                answer(ex, null, scopes, 401, "{\"details\":\"incorrect username or password\"}");
                return;
            }
            List<String> svc = q.getOrDefault("service", List.of());
            if (!svc.isEmpty() && !svc.contains(service)) {
                answer(ex, who, scopes, 400, "{\"details\":\"unknown service\"}");
                return;
            }
            long now = Instant.now().getEpochSecond();
            ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
            header.putArray("x5c").add(x5c);
            ObjectNode claims = JSON.createObjectNode()
                    .put("iss", issuer).put("sub", who)
                    .put("aud", spoil.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? "another-service" : service) // 2.8: a string, not a list
                    .put("exp", now + EXPIRES_IN).put("nbf", now - 1).put("iat", now)
                    .put("jti", UUID.randomUUID().toString());
            claims.set("access", access(scopes, users.get(who).readOnly()));
            String signingInput = b64url(JSON.writeValueAsBytes(header)) + "." + b64url(JSON.writeValueAsBytes(claims));
            String jwt = signingInput + "." + b64url(sign(signingInput));
            ObjectNode body = JSON.createObjectNode().put("token", jwt).put("access_token", jwt)
                    .put("expires_in", EXPIRES_IN).put("issued_at", Instant.ofEpochSecond(now).toString());
            issued.incrementAndGet();
            answer(ex, who, scopes, 200, JSON.writeValueAsString(body));
        } catch (RuntimeException e) {
            // a bug here must show up in the test output, not as a hung client
            e.printStackTrace();
            throw e;
        }
    }

    /** {@code repository:NAME:a,b} → {type, name, actions}; several scopes for one resource merge. */
    private static ArrayNode access(List<String> scopes, boolean readOnly) {
        Map<String, Set<String>> byResource = new LinkedHashMap<>();
        for (String scope : scopes) {
            for (String one : scope.trim().split("\\s+")) { // a single param may hold several, space-separated
                int first = one.indexOf(':');
                int last = one.lastIndexOf(':');
                if (first < 0 || last == first) {
                    continue;
                }
                String type = one.substring(0, first);
                if (!type.equals("repository")) {
                    continue; // registry:catalog:* and friends: nothing for tests
                }
                Set<String> actions = byResource.computeIfAbsent(one.substring(first + 1, last), k -> new LinkedHashSet<>());
                for (String a : one.substring(last + 1).split(",")) {
                    if (!a.isBlank() && (!readOnly || a.equals("pull"))) {
                        actions.add(a.trim());
                    }
                }
            }
        }
        ArrayNode out = JSON.createArrayNode();
        byResource.forEach((name, actions) -> {
            if (!actions.isEmpty()) {
                ObjectNode r = out.addObject().put("type", "repository").put("name", name);
                ArrayNode a = r.putArray("actions");
                actions.forEach(a::add);
            }
        });
        return out;
    }

    private String authenticatedUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String name = decoded.substring(0, colon);
        User u = users.get(name);
        return u != null && java.security.MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8)) ? name : null;
    }

    private byte[] sign(String input) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private void answer(HttpExchange ex, String user, List<String> scopes, int status, String json) throws IOException {
        requests.add(new Request(user, List.copyOf(scopes), status));
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
