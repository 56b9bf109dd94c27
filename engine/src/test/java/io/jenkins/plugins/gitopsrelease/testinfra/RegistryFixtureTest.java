package io.jenkins.plugins.gitopsrelease.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry fixture is a real distribution registry: a blob pushed over the v2 API comes back byte for byte. */
class RegistryFixtureTest {
    @RegisterExtension
    static RegistryFixture plain = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secured = RegistryFixture.withTlsAndAuth("fixture-user", "canary-s3cr3t-REG");

    @Test
    void blobRoundTripOnPlainRegistry() throws Exception {
        roundTrip(plain, null);
    }

    @Test
    void blobRoundTripOnTlsRegistryWithBasicAuth() throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (secured.user() + ":" + secured.password()).getBytes(StandardCharsets.UTF_8));
        roundTrip(secured, auth);
    }

    @Test
    void authRegistryRejectsAnonymousAndWrongPassword() throws Exception {
        HttpClient http = secured.httpClient();
        HttpResponse<Void> anon = http.send(HttpRequest.newBuilder(URI.create(secured.baseUrl() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        String wrong = "Basic " + Base64.getEncoder().encodeToString("fixture-user:wrong".getBytes(StandardCharsets.UTF_8));
        HttpResponse<Void> bad = http.send(HttpRequest.newBuilder(URI.create(secured.baseUrl() + "/v2/"))
                .header("Authorization", wrong).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(bad.statusCode()).isEqualTo(401);
    }

    @Test
    void stopAndRestartKeepsPortAndContent() throws Exception {
        String digest = roundTrip(plain, null);
        plain.stop();
        assertThat(plain.isRunning()).isFalse();
        plain.start();
        HttpResponse<byte[]> r = plain.httpClient().send(HttpRequest.newBuilder(
                URI.create(plain.baseUrl() + "/v2/fixture/blob/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static String roundTrip(RegistryFixture registry, String auth) throws Exception {
        byte[] data = ("blob-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        HttpClient http = registry.httpClient();
        HttpRequest.Builder start = HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/fixture/blob/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            start.header("Authorization", auth);
        }
        HttpResponse<Void> started = http.send(start.build(), HttpResponse.BodyHandlers.discarding());
        assertThat(started.statusCode()).isEqualTo(202);
        URI location = URI.create(registry.baseUrl()).resolve(started.headers().firstValue("Location").orElseThrow());
        String sep = location.getQuery() == null ? "?" : "&";
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
        if (auth != null) {
            put.header("Authorization", auth);
        }
        assertThat(http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);

        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/fixture/blob/blobs/" + digest));
        if (auth != null) {
            get.header("Authorization", auth);
        }
        HttpResponse<byte[]> back = http.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(data);
        return digest;
    }
}
