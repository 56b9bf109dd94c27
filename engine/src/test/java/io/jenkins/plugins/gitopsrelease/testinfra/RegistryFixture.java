package io.jenkins.plugins.gitopsrelease.testinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The CNCF distribution registry ({@code docker-registry serve}) on a free 127.0.0.1 port: plain HTTP, with htpasswd
 * basic auth, and/or with a self-signed TLS certificate, or with Bearer-token auth against a {@link TokenServer} in
 * the test JVM ({@link #withTokenAuth}). Use as {@code @RegisterExtension static RegistryFixture
 * registry = RegistryFixture.plain();} or try-with-resources. {@link #stop()} and {@link #start()} keep port and
 * storage, so fault tests can take the registry away mid-copy and bring it back.
 */
public final class RegistryFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final String user;
    private final String password;
    private final boolean tls;
    private final boolean tokenAuth;
    private final List<String[]> readOnlyUsers = new ArrayList<>();
    private TokenServer tokenServer;
    private Path dir;
    private int port;
    private Process process;
    private Path log;

    private RegistryFixture(String user, String password, boolean tls) {
        this(user, password, tls, false);
    }

    private RegistryFixture(String user, String password, boolean tls, boolean tokenAuth) {
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.tokenAuth = tokenAuth;
    }

    public static RegistryFixture plain() {
        return new RegistryFixture(null, null, false);
    }

    public static RegistryFixture withAuth(String user, String password) {
        return new RegistryFixture(user, password, false);
    }

    public static RegistryFixture withTls() {
        return new RegistryFixture(null, null, true);
    }

    public static RegistryFixture withTlsAndAuth(String user, String password) {
        return new RegistryFixture(user, password, true);
    }

    /**
     * Plain HTTP with distribution's {@code auth.token}: the registry answers {@code 401 Bearer realm=...} and trusts
     * only JWTs from this fixture's {@link TokenServer}, which knows {@code user} (pull and push).
     */
    public static RegistryFixture withTokenAuth(String user, String password) {
        return new RegistryFixture(user, password, false, true);
    }

    /** Another user of the token service whose tokens grant {@code pull} only (token-auth fixtures). */
    public synchronized RegistryFixture readOnlyUser(String name, String secret) {
        if (!tokenAuth) {
            throw new IllegalStateException("read-only users need withTokenAuth");
        }
        readOnlyUsers.add(new String[] {name, secret});
        if (tokenServer != null) {
            tokenServer.readOnlyUser(name, secret);
        }
        return this;
    }

    /** The token service of a token-auth fixture (request counts, scopes asked for). */
    public TokenServer tokenServer() {
        if (tokenServer == null) {
            throw new IllegalStateException("no token server: use withTokenAuth and start the fixture");
        }
        return tokenServer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts (or restarts, on the same port and storage) the registry and waits until /v2/ answers. */
    public synchronized RegistryFixture start() {
        Path binary = ExternalTool.require("docker-registry", "docker-registry");
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("registry-fixture");
                port = FreePorts.next();
                writeConfig();
            }
            log = dir.resolve("registry.log");
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "serve", dir.resolve("config.yml").toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
            waitReady();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
    }

    private void writeConfig() throws IOException {
        List<String> yml = new ArrayList<>(List.of(
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("data"),
                "  delete:",
                "    enabled: true",
                "health:",
                "  storagedriver:",
                "    enabled: false",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: fixture-http-secret"));
        if (tls) {
            Path key = dir.resolve("registry.key");
            Path crt = dir.resolve("certs").resolve("registry.crt");
            Files.createDirectories(crt.getParent());
            ExternalTool.require("openssl", "openssl");
            ExternalTool.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", crt.toString());
            yml.add("  tls:");
            yml.add("    certificate: " + crt);
            yml.add("    key: " + key);
        }
        if (tokenAuth) {
            // outlives registry restarts; closed with the fixture
            tokenServer = new TokenServer(dir.resolve("token"), "fixture-registry", "fixture-token-issuer")
                    .user(user, password);
            readOnlyUsers.forEach(u -> tokenServer.readOnlyUser(u[0], u[1]));
            yml.addAll(List.of("auth:", "  token:",
                    "    realm: " + tokenServer.realm(),
                    "    service: " + tokenServer.service(),
                    "    issuer: " + tokenServer.issuer(),
                    "    rootcertbundle: " + tokenServer.certificate()));
        } else if (user != null) {
            ExternalTool.require("htpasswd", "apache2-utils");
            String line = ExternalTool.run("htpasswd", "-Bbn", user, password).trim();
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            yml.addAll(List.of("auth:", "  htpasswd:", "    realm: fixture", "    path: " + dir.resolve("htpasswd")));
        }
        Files.write(dir.resolve("config.yml"), yml);
    }

    private void waitReady() {
        HttpClient client = httpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": " + logText());
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer on " + baseUrl() + " within 15 s: " + logText());
    }

    private String logText() {
        try {
            return log != null && Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the process; port and storage stay for {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (tokenServer != null) {
            tokenServer.close();
            tokenServer = null;
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
        }
    }

    static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; best effort
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** host:port, the form image references use, e.g. {@code 127.0.0.1:5123/app:1.0}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return (tls ? "https://" : "http://") + host();
    }

    public boolean tls() {
        return tls;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** PEM of the self-signed CA/server certificate (TLS registries only). */
    public Path caCertificate() {
        if (!tls) {
            throw new IllegalStateException("registry has no TLS");
        }
        return dir.resolve("certs").resolve("registry.crt");
    }

    /** A directory holding only {@code registry.crt}: what skopeo's {@code --src-cert-dir}/{@code --dest-cert-dir} read. */
    public Path certDir() {
        return caCertificate().getParent();
    }

    /** The registry's on-disk storage (for tests that check what was written). */
    public Path storage() {
        return dir.resolve("data");
    }

    /** An HTTP client that trusts this registry's certificate (or a plain one without TLS). */
    public HttpClient httpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls) {
            b.sslContext(sslContext());
        }
        return b.build();
    }

    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("registry", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load registry certificate", e);
        }
    }

    /**
     * Arguments for skopeo to reach this registry: {@code side} "src" or "dest" for copy, null for inspect
     * (whose flags have no prefix).
     */
    public List<String> skopeoArgs(String side) {
        String p = side == null ? "--" : "--" + side + "-";
        List<String> args = new ArrayList<>();
        if (tls) {
            args.add(p + "cert-dir=" + certDir());
        } else {
            args.add(p + "tls-verify=false");
        }
        if (user != null) {
            args.add(p + "creds=" + user + ":" + password);
        }
        return args;
    }

    /** {@code skopeo inspect --raw}-free digest lookup: the manifest digest of {@code repo:tag} as skopeo sees it. */
    public String skopeoDigest(String repoAndTag) {
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("skopeo", "skopeo").toString(), "inspect",
                "--format", "{{.Digest}}"));
        cmd.addAll(skopeoArgs(null));
        cmd.add("docker://" + host() + "/" + repoAndTag);
        return ExternalTool.run(cmd).trim();
    }
}
