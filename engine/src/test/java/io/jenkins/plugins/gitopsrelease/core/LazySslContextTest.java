package io.jenkins.plugins.gitopsrelease.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plain-HTTP client never makes its TLS context; the first HTTPS request makes it, once, and uses it. */
class LazySslContextTest {
    @RegisterExtension
    static final RegistryFixture PLAIN = RegistryFixture.plain();

    @RegisterExtension
    static final RegistryFixture TLS = RegistryFixture.withTls();

    @Test
    void madeOnFirstTlsConnectionOnly() throws Exception {
        AtomicInteger made = new AtomicInteger();
        HttpClient client = HttpClient.newBuilder()
                .sslContext(LazySslContext.of(() -> {
                    made.incrementAndGet();
                    return TLS.sslContext();
                }))
                .sslParameters(new SSLParameters())
                .build();
        assertThat(made).as("building the client").hasValue(0);

        HttpResponse<Void> plain = client.send(HttpRequest.newBuilder(URI.create(PLAIN.baseUrl() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(made).as("a plain-HTTP request").hasValue(0);

        for (int i = 0; i < 2; i++) {
            HttpResponse<Void> tls = client.send(HttpRequest.newBuilder(URI.create(TLS.baseUrl() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(tls.statusCode()).isEqualTo(200);
        }
        assertThat(made).as("two HTTPS requests, trusted through the made context").hasValue(1);
    }
}
