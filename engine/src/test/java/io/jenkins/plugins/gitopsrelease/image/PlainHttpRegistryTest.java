package io.jenkins.plugins.gitopsrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry that speaks plain HTTP, reached over TLS (the {@code --*-insecure} flag forgotten): the client must say
 * so within its handshake bound, naming the registry and the flag, instead of waiting for the request timeout.
 */
class PlainHttpRegistryTest {
    /** Well over the client's handshake bound, well under its 60 s request timeout. */
    static final Duration HANG_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static RegistryFixture plain = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture tls = RegistryFixture.withTls();

    /** Runs {@code work} on another thread, failing the test if it has not returned within {@link #HANG_BOUND}. */
    static Throwable failureOf(Runnable work) throws Exception {
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                work.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        return f.get(HANG_BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void tlsToAPlainHttpRegistryNamesTheInsecureFlag() throws Exception {
        RegistryClient c = RegistryClient.builder(plain.host()).insecureHint("pass --dest-insecure").build();
        Throwable t = failureOf(c::ping);
        assertThat(t).isInstanceOf(InvalidInputException.class)
                .hasMessage("registry " + plain.host() + " answered plain HTTP to a TLS request; pass --dest-insecure"
                        + " if it has no TLS");
    }

    @Test
    void promoteImageToAPlainHttpDestinationWithoutDestInsecure() throws Exception {
        Manifest img = TestImages.image(plain, "team/tls-mix", "1.0", "amd64", 1000);
        PromoteImage p = PromoteImage.from(plain.host() + "/team/tls-mix:1.0").to(plain.host() + "/prod/tls-mix:1.0")
                .srcInsecure(true).auth(TestImages.auth(plain));
        Throwable t = failureOf(p::call);
        assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageContaining("registry " + plain.host()
                + " answered plain HTTP to a TLS request; pass --dest-insecure if it has no TLS");
        assertThat(TestImages.client(plain).headManifest("prod/tls-mix", "1.0")).isEmpty();
        assertThat(img.digest()).startsWith("sha256:");

        PromoteImage fromPlain = PromoteImage.from(plain.host() + "/team/tls-mix:1.0")
                .to(plain.host() + "/prod/tls-mix:1.0").destInsecure(true).auth(TestImages.auth(plain));
        assertThat(failureOf(fromPlain::call)).hasMessageContaining("pass --src-insecure if it has no TLS");
    }

    @Test
    void aRealTlsRegistryIsUnaffected() throws Exception {
        RegistryClient c = RegistryClient.builder(tls.host()).caFile(tls.caCertificate(), "--ca-file")
                .insecureHint("--insecure-registry " + tls.host()).build();
        assertThat(failureOf(c::ping)).isNull();
    }

    @Test
    void aTlsRegistryWithAnUntrustedCertificateIsNotMistakenForPlainHttp() throws Exception {
        RegistryClient c = RegistryClient.builder(tls.host()).insecureHint("--insecure-registry " + tls.host()).build();
        Throwable t = failureOf(c::ping);
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).doesNotContain("plain HTTP");
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeIsBoundedToo() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            String host = "127.0.0.1:" + silent.getLocalPort();
            RegistryClient c = RegistryClient.builder(host).insecureHint("pass --dest-insecure").maxAttempts(3).build();
            Throwable t = failureOf(c::ping);
            assertThat(t).isNotNull();
            assertThat(t.getMessage()).contains(host).contains("did not complete a TLS handshake within 10 s");
            assertThatThrownBy(() -> {
                throw t;
            }).isNotInstanceOf(InvalidInputException.class);
        }
    }

    /**
     * A plain-HTTP server that reads a request line before anything else waits for a line end that a TLS ClientHello
     * never sends, and holds a thread meanwhile (the JDK's own HttpServer does). Once the probe has shown plain
     * HTTP, the TLS request must let go of its connection at once, not after its 60 s read timeout: inside a Jenkins
     * agent the process does not end, and a server with few threads would stall.
     */
    @Test
    void theLosingTlsRequestLetsGoOfItsConnection() throws Exception {
        // Without the abort, the TLS request's connection stays open until its 60 s read timeout.
        java.util.concurrent.CountDownLatch tlsClosed = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    java.net.Socket s;
                    try {
                        s = server.accept();
                    } catch (java.io.IOException e) {
                        return;
                    }
                    Thread conn = new Thread(() -> {
                        try (s) {
                            java.io.InputStream in = s.getInputStream();
                            int first = in.read();
                            StringBuilder line = new StringBuilder().append((char) first);
                            for (int b; (b = in.read()) >= 0; ) {
                                line.append((char) b);
                                if (line.toString().endsWith("\r\n\r\n")) {
                                    s.getOutputStream().write(("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
                                            + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                                    return;
                                }
                            }
                            // not a plain request (a ClientHello, or nothing yet): the TLS side closed it
                            tlsClosed.countDown();
                        } catch (java.io.IOException e) {
                            tlsClosed.countDown(); // reset by the TLS side
                        }
                    });
                    conn.setDaemon(true);
                    conn.start();
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String host = "127.0.0.1:" + server.getLocalPort();
            RegistryClient c = RegistryClient.builder(host).insecureHint("pass --dest-insecure").build();
            assertThat(failureOf(c::ping)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("answered plain HTTP to a TLS request");
            assertThat(tlsClosed.await(5, TimeUnit.SECONDS)).as("the TLS connection was closed").isTrue();
        }
    }

    /**
     * A JVM-wide Authenticator (Jenkins sets one for its proxy) must never answer a registry's 401: the client sends
     * only the credentials it was given, in its own Authorization header.
     */
    @Test
    void theJvmsDefaultAuthenticatorIsNeverAsked() throws Exception {
        java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 5);
        server.createContext("/", ex -> {
            String a = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(a == null ? "none" : a);
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });
        server.start();
        java.net.Authenticator canary = new java.net.Authenticator() {
            @Override
            protected java.net.PasswordAuthentication getPasswordAuthentication() {
                return new java.net.PasswordAuthentication("canary-user", "canary-s3cr3t-AUTHN".toCharArray());
            }
        };
        java.net.Authenticator.setDefault(canary);
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            RegistryClient c = RegistryClient.builder(host).insecure(true).build();
            Throwable t = failureOf(c::ping);
            assertThat(t).hasMessageContaining("needs credentials");
            assertThat(authorizations).isNotEmpty().containsOnly("none");
        } finally {
            java.net.Authenticator.setDefault(null);
            server.stop(0);
        }
    }
}
