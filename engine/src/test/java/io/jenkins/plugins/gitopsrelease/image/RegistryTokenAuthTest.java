package io.jenkins.plugins.gitopsrelease.image;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImage;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImageResult;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages.Recorder;
import io.jenkins.plugins.gitopsrelease.testinfra.TokenServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Bearer-token flow against a real distribution registry with {@code auth.token}, its JWTs issued by the
 * fixture's token service: promotion in and out, one token per scope, wrong password, a pull-only token, skopeo
 * reading what we pushed, and a Jib build pushing through the same flow.
 */
class RegistryTokenAuthTest {
    static final String USER = "releaser";
    static final String CANARY = "canary-s3cr3t-TOKEN";
    static final String READER = "reader";
    static final String READER_CANARY = "canary-s3cr3t-READER";

    @RegisterExtension
    static RegistryFixture plain = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture token = RegistryFixture.withTokenAuth(USER, CANARY).readOnlyUser(READER, READER_CANARY);

    @TempDir
    Path tmp;

    static final AtomicInteger N = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    static String repo(String name) {
        return "team/" + name + N.incrementAndGet();
    }

    static PromoteImage promote(String from, String to, RegistryAuth auth) {
        return PromoteImage.from(from).to(to).srcInsecure(true).destInsecure(true).auth(auth);
    }

    static RegistryAuth as(String user, String password) {
        return RegistryAuth.anonymous().with(token.host(), user, Secret.of(password));
    }

    /** The scopes of the token requests for one repository since the last reset, in order. */
    static List<List<String>> scopesFor(String repo) {
        return token.tokenServer().requests().stream().map(TokenServer.Request::scopes)
                .filter(s -> String.join(" ", s).contains(":" + repo + ":")).toList();
    }

    @Test
    void registryDemandsBearerTokensFromTheTokenService() throws Exception {
        HttpResponse<Void> r = token.httpClient().send(HttpRequest.newBuilder(URI.create(token.baseUrl()
                + "/v2/x/manifests/1")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer ").contains("realm=\"" + token.tokenServer().realm() + "\"")
                .contains("scope=\"repository:x:pull\""));

        // a token from the service, used by hand: accepted for what it grants, insufficient_scope beyond that
        String auth = "Basic " + Base64.getEncoder().encodeToString((READER + ":" + READER_CANARY).getBytes(UTF_8));
        HttpResponse<String> t = token.httpClient().send(HttpRequest.newBuilder(URI.create(token.tokenServer().realm()
                + "?service=fixture-registry&scope=repository:x:pull,push")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(t.body());
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);
        String jwt = body.path("token").asText();
        assertThat(body.path("access_token").asText()).isEqualTo(jwt);
        String[] parts = jwt.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("x5c")).hasSize(1);
        assertThat(claims.path("sub").asText()).isEqualTo(READER);
        assertThat(claims.path("aud").asText()).isEqualTo("fixture-registry");
        assertThat(claims.path("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"x\",\"actions\":[\"pull\"]}]");
        HttpResponse<String> get = token.httpClient().send(HttpRequest.newBuilder(URI.create(token.baseUrl()
                + "/v2/x/manifests/1")).header("Authorization", "Bearer " + jwt).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(404); // past auth: the manifest is unknown
        HttpResponse<Void> post = token.httpClient().send(HttpRequest.newBuilder(URI.create(token.baseUrl()
                + "/v2/x/blobs/uploads/")).header("Authorization", "Bearer " + jwt)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(post.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"insufficient_scope\"");
    }

    @Test
    void rejectedTokenIsReplacedOnce() {
        String repo = repo("spoiled");
        Manifest img = TestImages.image(plain, repo, "1.0", "amd64", 1000);
        RegistryClient c = TestImages.client(token);
        c.ping();
        token.tokenServer().spoilNext(1); // the next token names another audience: the registry refuses it
        assertThat(c.headManifest("other/" + repo, "1.0")).isEmpty();
        assertThat(token.tokenServer().requests()).filteredOn(r -> r.scopes().toString().contains("other/" + repo))
                .hasSize(2);
        // the replacement stays cached: more requests, no more tokens
        for (int i = 0; i < 3; i++) {
            assertThat(c.headManifest("other/" + repo, img.digest())).isEmpty();
        }
        assertThat(token.tokenServer().requests()).filteredOn(r -> r.scopes().toString().contains("other/" + repo))
                .hasSize(2);
    }

    @Test
    void promotesIntoAndOutOfTheTokenRegistryWithOneTokenPerScope() {
        String repo = repo("app");
        Manifest img = TestImages.image(plain, repo, "1.0", "amd64", 1000, 300_000, 700_000, 50_000);
        Recorder rec = new Recorder();
        PromoteResult in = promote(plain.host() + "/" + repo + ":1.0", token.host() + "/" + repo + ":1.0",
                as(USER, CANARY)).listener(rec).call();

        assertThat(in.destinationDigest()).isEqualTo(img.digest());
        assertThat(in.blobsCopied()).isEqualTo(5);
        // HEADs, 5 parallel uploads (POST + PUT each), manifest PUTs, the verifying HEAD: two scopes, two tokens
        assertThat(rec.to(token)).hasSizeGreaterThan(15);
        assertThat(scopesFor(repo)).containsExactly(
                List.of("repository:" + repo + ":pull"), List.of("repository:" + repo + ":pull,push"));
        assertThat(token.tokenServer().requests()).filteredOn(r -> r.scopes().toString().contains(repo))
                .allSatisfy(r -> assertThat(r.user()).isEqualTo(USER)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

        // and back out, the token registry as the source: one more token, for pull
        String back = repo + "-back";
        PromoteResult out = promote(token.host() + "/" + repo + ":1.0", plain.host() + "/" + back + ":1.0",
                as(USER, CANARY)).call();
        assertThat(out.destinationDigest()).isEqualTo(img.digest());
        assertThat(plain.skopeoDigest(back + ":1.0")).isEqualTo(img.digest());
        assertThat(scopesFor(repo)).hasSize(3).last().isEqualTo(List.of("repository:" + repo + ":pull"));

        // skopeo, through its own token flow (tokens of its own), sees the same digest
        assertThat(token.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        assertThat(scopesFor(repo)).hasSizeGreaterThan(3);
    }

    @Test
    void parallelRequestsForANewScopeShareOneToken() throws Exception {
        String repo = repo("race");
        Manifest img = TestImages.image(TestImages.client(token), repo, "1.0", "amd64", 1000, 2000, 3000);
        RegistryClient c = TestImages.client(token);
        c.ping(); // the challenge is known; the next scope's token is fetched up front, by whoever needs it first
        int before = scopesFor(repo).size();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String digest = img.blobs().get(i % img.blobs().size()).digest();
                all.add(pool.submit(() -> c.blobExists(repo, digest)));
            }
            for (Future<Boolean> f : all) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(scopesFor(repo).subList(before, scopesFor(repo).size()))
                .containsExactly(List.of("repository:" + repo + ":pull"));
        assertThat(c.tags(repo)).containsExactly("1.0");
    }

    @Test
    void wrongPasswordFailsClearlyWithoutTheSecret() {
        String repo = repo("wrong");
        TestImages.image(plain, repo, "1.0", "amd64", 1000);
        String wrong = "canary-s3cr3t-WRONG";
        assertThatThrownBy(() -> promote(plain.host() + "/" + repo + ":1.0", token.host() + "/" + repo + ":1.0",
                as(USER, wrong)).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("token service")
                .hasMessageContaining("'" + USER + "'")
                .hasMessageContaining("check the username and password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(CANARY)
                        .doesNotContain("Basic "));
        assertThat(token.tokenServer().requests()).filteredOn(r -> r.scopes().toString().contains(repo))
                .isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
        assertThat(TestImages.client(token).headManifest(repo, "1.0")).isEmpty();
    }

    @Test
    void pullOnlyTokenCannotPushAndSaysWhichPermissionIsMissing() {
        String repo = repo("readonly");
        Manifest img = TestImages.image(plain, repo, "1.0", "amd64", 1000, 2000);
        assertThatThrownBy(() -> promote(plain.host() + "/" + repo + ":1.0", token.host() + "/" + repo + ":1.0",
                as(READER, READER_CANARY)).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("insufficient_scope")
                .hasMessageContaining("push")
                .hasMessageContaining("'" + READER + "'")
                .hasMessageContaining(repo)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(READER_CANARY));
        assertThat(TestImages.client(token).headManifest(repo, "1.0")).isEmpty();

        // the same user may pull: promote out of the token registry with it
        promote(plain.host() + "/" + repo + ":1.0", token.host() + "/" + repo + ":1.0", as(USER, CANARY)).call();
        PromoteResult out = promote(token.host() + "/" + repo + ":1.0", plain.host() + "/" + repo + "-ro:1.0",
                as(READER, READER_CANARY)).call();
        assertThat(out.destinationDigest()).isEqualTo(img.digest());
    }

    @Test
    void jibBuildPushesThroughTheTokenFlow() throws Exception {
        Path ctx = tmp.resolve("app");
        Files.createDirectories(ctx.resolve("srv"));
        Files.writeString(ctx.resolve("srv/index.html"), "<h1>token</h1>\n");
        String repo = repo("jib");
        BuildImageResult r = BuildImage.context(ctx).image(token.host() + "/" + repo + ":1.0").builder("jib")
                .insecure(List.of(token.host())).auth(as(USER, CANARY)).cacheDir(tmp.resolve("cache")).call();

        assertThat(r.digest()).isEqualTo(token.skopeoDigest(repo + ":1.0"));
        assertThat(token.tokenServer().requests()).filteredOn(x -> x.scopes().toString().contains(repo + ":"))
                .isNotEmpty().allSatisfy(x -> assertThat(x.user()).isEqualTo(USER))
                .anySatisfy(x -> assertThat(x.scopes().toString()).contains("push"));
    }

    /**
     * A streamed upload answered 401 (a token that expired on the way): HttpURLConnection does not resend a streamed
     * body itself, but the client sees the 401, fetches a new token and sends the blob once more from a new stream.
     */
    @Test
    void aStreamedUploadRefusedWithABearerChallengeGetsANewTokenAndIsSentAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tokens = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> puts = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 5);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String challenge = "Bearer realm=\"" + base + "/token\",service=\"test\"";
        server.createContext("/token", ex -> {
            byte[] b = ("{\"token\":\"t" + tokens.incrementAndGet() + "\"}").getBytes(UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/v2/", ex -> {
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("PUT")) {
                puts.add(auth + " " + body.length);
                // the first upload's token "expired": refused; the next one is accepted
                ex.getResponseHeaders().add("WWW-Authenticate", challenge);
                ex.sendResponseHeaders(puts.size() == 1 ? 401 : 201, -1);
            } else if (auth.startsWith("Bearer t")) {
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", challenge);
                ex.sendResponseHeaders(401, -1);
            }
            ex.close();
        });
        server.start();
        try {
            RegistryClient c = RegistryClient.builder("127.0.0.1:" + server.getAddress().getPort()).insecure(true)
                    .build();
            c.ping(); // learns the Bearer challenge
            byte[] blob = new byte[4096];
            c.putUpload("team/app", java.net.URI.create(base + "/v2/team/app/blobs/uploads/u1"),
                    Manifest.sha256(blob), () -> new java.io.ByteArrayInputStream(blob), blob.length);
            assertThat(puts).hasSize(2);
            assertThat(puts.get(1)).endsWith(" 4096").startsWith("Bearer t").isNotEqualTo(puts.get(0));
        } finally {
            server.stop(0);
        }
    }

    /** A Bearer challenge whose realm is not an http(s) URL (file:, or garbage) is refused before any request to it. */
    @Test
    void aTokenRealmThatIsNotHttpIsRefusedClearly() throws Exception {
        for (String realm : java.util.List.of("file:///etc/passwd", "not a url", "ftp://127.0.0.1/token")) {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 5);
            server.createContext("/", ex -> {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"x\"");
                ex.sendResponseHeaders(401, -1);
                ex.close();
            });
            server.start();
            try {
                String host = "127.0.0.1:" + server.getAddress().getPort();
                assertThatThrownBy(RegistryClient.builder(host).insecure(true).build()::ping)
                        .as(realm).isInstanceOf(OperationFailedException.class)
                        .hasMessage(host + " named a token service that is not an http(s) URL; cannot authenticate");
            } finally {
                server.stop(0);
            }
        }
    }
}
