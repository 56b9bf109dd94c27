package io.jenkins.plugins.gitopsrelease.openchoreo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.gitops.ComponentReleaseGenerate;
import io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate;
import io.jenkins.plugins.gitopsrelease.gitops.ResourceStore;
import io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate;
import io.jenkins.plugins.gitopsrelease.testinfra.OpenChoreoApiStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * api-server mode against {@link OpenChoreoApiStub}: every request and response is validated against
 * openchoreo-api.yaml, and each test ends with no violation (unless it injects a status the document lacks).
 */
class OpenChoreoApiTest {
    static final String SECRET = "canary-client-secret-5f2a9c77";
    static final String TOKEN = "canary-fixed-token-8d1e03b4";
    static final ObjectMapper JSON = new ObjectMapper();

    OpenChoreoApiStub stub;
    List<Duration> slept = new ArrayList<>();
    boolean skipViolationCheck;

    @BeforeEach
    void start() {
        stub = new OpenChoreoApiStub(OpenChoreoApiStub.specOrSkip(), SECRET);
        stub.acceptFixedToken(TOKEN);
        stub.pipeline("default", "standard", "development", "staging", "production");
        stub.project("default", "shop", "standard");
        stub.component("default", "shop", "web");
    }

    @AfterEach
    void stop() {
        if (stub != null) {
            List<String> v = skipViolationCheck ? List.of() : stub.violations();
            stub.close();
            assertThat(v).as("OpenAPI violations").isEmpty();
        }
    }

    OpenChoreoApi.Builder client() {
        return OpenChoreoApi.builder(stub.url())
                .auth(new OpenChoreoAuth.ClientCredentials(OpenChoreoApiStub.CLIENT_ID, Secret.of(SECRET), null, null))
                .sleeper(slept::add).timeout(Duration.ofSeconds(10));
    }

    ApiStore store() {
        return new ApiStore(client().build());
    }

    static void assertNoSecret(Throwable e) {
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(TOKEN);
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET).doesNotContain(TOKEN);
        }
    }

    @Test
    void validatorIsLive_aRequestTheDocumentForbidsIsReported() throws Exception {
        // A Workload without metadata and a container without image: both required by the document.
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stub.url() + "/api/v1/namespaces/default/workloads"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\":{\"container\":{\"args\":[1]}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isGreaterThanOrEqualTo(200);
        assertThat(stub.violations()).anySatisfy(v -> assertThat(v).contains("POST /api/v1/namespaces/default/workloads")
                .contains("validation.request.body"));
        skipViolationCheck = true; // this test wants violations
    }

    @Test
    void createsTheWorkloadWithDiscoveredClientCredentialsAndBuildAnnotations() {
        WorkloadCreate.Result r = WorkloadCreate.on(store()).project("shop").component("web")
                .image("registry.example.com/shop/web@sha256:" + "a".repeat(64))
                .buildInfo(new WorkloadCreate.BuildInfo("https://ci.example.com/job/web/42/", "0123abcd",
                        "sha256:" + "a".repeat(64)))
                .call();
        assertThat(r.outcome()).isEqualTo(ResourceStore.Outcome.CREATED);
        assertThat(r.path()).isEqualTo(stub.url() + "/api/v1/namespaces/default/workloads/web-workload");
        ObjectNode w = stub.object("workloads", "default", "web-workload").orElseThrow();
        assertThat(w.at("/spec/container/image").asText()).endsWith("a".repeat(64));
        assertThat(w.at("/spec/owner/projectName").asText()).isEqualTo("shop");
        assertThat(w.at("/metadata/annotations").get(WorkloadCreate.ANNOTATION_BUILD_URL).asText())
                .isEqualTo("https://ci.example.com/job/web/42/");
        assertThat(w.at("/metadata/annotations").get(WorkloadCreate.ANNOTATION_COMMIT).asText()).isEqualTo("0123abcd");
        assertThat(stub.tokensIssued()).isEqualTo(1);
        stub.server().verify(1, postRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/workloads")));
        stub.server().verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void replacesTheExistingWorkloadKeepingServerFields_noDuplicate(@TempDir Path dir) throws Exception {
        ObjectNode existing = (ObjectNode) JSON.readTree("""
                {"metadata":{"name":"web-main","namespace":"default","uid":"u-1","creationTimestamp":"2026-01-01T00:00:00Z",
                  "labels":{"openchoreo.dev/project":"shop","openchoreo.dev/component":"web","team":"blue"},
                  "annotations":{"backstage.io/source":"x"}},
                 "spec":{"owner":{"projectName":"shop","componentName":"web"},
                  "container":{"image":"old:1","env":[{"key":"MODE","value":"prod"}]},
                  "endpoints":{"http":{"type":"HTTP","port":8080,"basePath":"/api"}}}}""");
        stub.store("workloads", "default", existing);
        WorkloadCreate.Result r = WorkloadCreate.on(store()).project("shop").component("web").image("new:2")
                .buildInfo(new WorkloadCreate.BuildInfo("https://ci.example.com/job/web/43/", null, null)).call();
        assertThat(r.outcome()).isEqualTo(ResourceStore.Outcome.UPDATED);
        assertThat(r.workloadName()).isEqualTo("web-main");
        assertThat(stub.count("workloads")).isEqualTo(1);
        ObjectNode w = stub.object("workloads", "default", "web-main").orElseThrow();
        assertThat(w.at("/spec/container/image").asText()).isEqualTo("new:2");
        assertThat(w.at("/spec/container/env/0/value").asText()).isEqualTo("prod");
        assertThat(w.at("/spec/endpoints/http/basePath").asText()).isEqualTo("/api");
        assertThat(w.at("/metadata/uid").asText()).isEqualTo("u-1");
        assertThat(w.at("/metadata/labels/team").asText()).isEqualTo("blue");
        assertThat(w.at("/metadata/annotations").get("backstage.io/source").asText()).isEqualTo("x");
        assertThat(w.at("/metadata/annotations").get(WorkloadCreate.ANNOTATION_BUILD_URL).asText()).contains("/43/");
        stub.server().verify(0, postRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/workloads")));
        stub.server().verify(1, putRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/workloads/web-main")));

        // With a descriptor the spec comes from the descriptor; still the same object.
        Path d = dir.resolve("workload.yaml");
        Files.writeString(d, """
                apiVersion: openchoreo.dev/v1alpha1
                metadata:
                  name: web
                endpoints:
                  - name: http
                    port: 9090
                    type: HTTP
                """);
        WorkloadCreate.on(store()).project("shop").component("web").image("new:3").descriptor(d).call();
        assertThat(stub.count("workloads")).isEqualTo(1);
        ObjectNode w2 = stub.object("workloads", "default", "web-main").orElseThrow();
        assertThat(w2.at("/spec/endpoints/http/port").asInt()).isEqualTo(9090);
        assertThat(w2.at("/metadata/labels/team").asText()).isEqualTo("blue");

        // Same input again: nothing to write.
        WorkloadCreate.Result again = WorkloadCreate.on(store()).project("shop").component("web").image("new:3")
                .descriptor(d).call();
        assertThat(again.outcome()).isEqualTo(ResourceStore.Outcome.UNCHANGED);
    }

    @Test
    void fixedBearerToken() {
        OpenChoreoApi api = OpenChoreoApi.builder(stub.url()).auth(new OpenChoreoAuth.Token(Secret.of(TOKEN))).build();
        WorkloadCreate.on(new ApiStore(api)).project("shop").component("web").image("img:1").call();
        assertThat(stub.tokensIssued()).isZero();
        stub.server().verify(anyRequestedFor(urlPathMatching("/api/.*"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + TOKEN)));
    }

    /** An https:// URL for a server that speaks plain HTTP: told at once (the probe's race), with the fix. */
    @Test
    void anHttpsUrlToAPlainHttpServerNamesTheFix() throws Exception {
        // A plain-HTTP server of its own (the stub validates every request it gets, and a TLS hello is none)
        com.sun.net.httpserver.HttpServer plain = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        plain.createContext("/", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        // Concurrent like a real server: on the JDK server's default executor the dispatcher thread parses each
        // request line, so the TLS ClientHello (no line end) would hold up the probe's request behind it.
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "plain-stub");
            t.setDaemon(true);
            return t;
        });
        plain.setExecutor(workers);
        plain.start();
        try {
            String https = "https://127.0.0.1:" + plain.getAddress().getPort();
            OpenChoreoApi api = OpenChoreoApi.builder(https).auth(new OpenChoreoAuth.Token(Secret.of(TOKEN)))
                    .timeout(Duration.ofSeconds(10)).build();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> api.workload("default", "web-workload"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("--server " + https)
                    .hasMessageContaining("answered plain HTTP").hasMessageContaining("http:// URL")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait for a timeout")
                    .isLessThan(Duration.ofSeconds(9));
        } finally {
            plain.stop(0);
            workers.shutdownNow();
        }
    }

    @Test
    void tokenIsCachedAndRefreshedOnceOn401() {
        ApiStore st = store();
        WorkloadCreate.on(st).project("shop").component("web").image("img:1").call();
        WorkloadCreate.on(st).project("shop").component("web").image("img:2").call();
        assertThat(stub.tokensIssued()).isEqualTo(1);
        stub.revokeIssuedTokens();
        WorkloadCreate.on(st).project("shop").component("web").image("img:3").call();
        assertThat(stub.tokensIssued()).isEqualTo(2);
        assertThat(stub.object("workloads", "default", "web-workload").orElseThrow().at("/spec/container/image")
                .asText()).isEqualTo("img:3");
    }

    @Test
    void aRejectedFixedTokenFailsOnceWithoutRetrying() {
        OpenChoreoApi api = OpenChoreoApi.builder(stub.url())
                .auth(new OpenChoreoAuth.Token(Secret.of(TOKEN + "-revoked"))).build();
        assertThatThrownBy(() -> WorkloadCreate.on(new ApiStore(api)).project("shop").component("web").image("i:1")
                .call()).isInstanceOf(OpenChoreoApiException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("--token-env")
                .satisfies(OpenChoreoApiTest::assertNoSecret);
        stub.server().verify(1, anyRequestedFor(urlPathMatching("/api/.*")));
    }

    @Test
    void wrongClientSecretIsAClearErrorWithoutTheSecret() {
        OpenChoreoApi api = OpenChoreoApi.builder(stub.url()).auth(new OpenChoreoAuth.ClientCredentials(
                OpenChoreoApiStub.CLIENT_ID, Secret.of(SECRET + "-wrong"), null, null)).build();
        assertThatThrownBy(() -> WorkloadCreate.on(new ApiStore(api)).project("shop").component("web").image("i:1")
                .call()).hasMessageContaining("invalid_client").hasMessageContaining("jenkins-ci")
                .satisfies(OpenChoreoApiTest::assertNoSecret);
    }

    /** Each status on an operation that documents it (404 is not a POST answer, 409 not a PUT one). */
    @ParameterizedTest
    @CsvSource({
        "POST, 403, FORBIDDEN, HTTP 403, grant the CI's client",
        "PUT, 404, NOT_FOUND, HTTP 404, check --namespace",
        "POST, 409, CONFLICT, HTTP 409, run again",
        "PUT, 422, UNPROCESSABLE_CONTENT, HTTP 422, fix the workload descriptor",
        "POST, 500, INTERNAL_ERROR, HTTP 500, retry later"})
    void apiErrorsAreClear(String method, int status, String code, String expected, String fix) throws Exception {
        String path = "/api/v1/namespaces/default/workloads" + (method.equals("PUT") ? "/web-workload" : "");
        if (method.equals("PUT")) {
            stub.store("workloads", "default", (ObjectNode) JSON.readTree("""
                    {"metadata":{"name":"web-workload","namespace":"default"},
                     "spec":{"owner":{"projectName":"shop","componentName":"web"},"container":{"image":"old:1"}}}"""));
        }
        // The server echoes a canary in its text: it must be redacted before it is quoted.
        stub.server().stubFor((method.equals("PUT") ? put(urlPathEqualTo(path)) : post(urlPathEqualTo(path)))
                .atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"refused (client secret " + SECRET + ")\",\"code\":\"" + code + "\"}")));
        assertThatThrownBy(() -> WorkloadCreate.on(store()).project("shop").component("web").image("i:1").call())
                .isInstanceOf(OpenChoreoApiException.class)
                .hasMessageContaining(method + " " + path).hasMessageContaining(expected).hasMessageContaining(fix)
                .hasMessageContaining("refused (client secret ****)")
                .satisfies(OpenChoreoApiTest::assertNoSecret)
                .satisfies(e -> assertThat(((OpenChoreoApiException) e).status()).isEqualTo(status));
    }

    @Test
    void rateLimitIsWaitedOutWithinTheBound() {
        stub.server().stubFor(put(urlPathMatching("/api/v1/namespaces/default/workloads/.*")).atPriority(1)
                .inScenario("rl").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"slow down\",\"code\":\"BAD_REQUEST\"}")));
        skipViolationCheck = true;
        ApiStore st = store();
        WorkloadCreate.on(st).project("shop").component("web").image("i:1").call();
        WorkloadCreate.on(st).project("shop").component("web").image("i:2").call();
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
        assertThat(stub.object("workloads", "default", "web-workload").orElseThrow().at("/spec/container/image")
                .asText()).isEqualTo("i:2");

        stub.server().stubFor(post(urlPathEqualTo("/api/v1/namespaces/default/releasebindings")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        stub.object("components", "default", "web").orElseThrow();
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(st).project("shop").component("web")
                .componentRelease(ComponentReleaseGenerate.on(st).project("shop").component("web").call().single()
                        .releaseName()).call())
                .hasMessageContaining("HTTP 429").hasMessageContaining("3600s");
    }

    @Test
    void aSlowServerTimesOutWithAClearError() {
        stub.server().stubFor(any(urlPathMatching("/api/v1/namespaces/default/workloads.*")).atPriority(1)
                .willReturn(aResponse().withFixedDelay(3000).withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"items\":[],\"pagination\":{}}")));
        skipViolationCheck = true; // the aborted exchange is never logged as complete
        OpenChoreoApi api = client().timeout(Duration.ofSeconds(1)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> WorkloadCreate.on(new ApiStore(api)).project("shop").component("web").image("i:1")
                .call()).isInstanceOf(OpenChoreoApiException.class).hasMessageContaining("did not answer within 1s")
                .satisfies(OpenChoreoApiTest::assertNoSecret);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void releaseAndBindingsThroughTheApi() throws Exception {
        ApiStore st = store();
        WorkloadCreate.on(st).project("shop").component("web").image("i:1").call();
        ComponentReleaseGenerate.Item rel = ComponentReleaseGenerate.on(st).project("shop").component("web").call()
                .single();
        assertThat(rel.status()).isEqualTo(ComponentReleaseGenerate.Status.GENERATED);
        assertThat(stub.object("componentreleases", "default", rel.releaseName())).isPresent();

        // Root environment: the component's latest release.
        ReleaseBindingGenerate.Item dev = ReleaseBindingGenerate.on(st).project("shop").component("web").call().single();
        assertThat(dev.status()).isEqualTo(ReleaseBindingGenerate.Status.CREATED);
        assertThat(dev.environment()).isEqualTo("development");
        assertThat(dev.releaseName()).isEqualTo(rel.releaseName());
        assertThat(dev.path()).isEqualTo(stub.url() + "/api/v1/namespaces/default/releasebindings/web-development");

        // Staging: the release bound in development; an existing binding keeps its overrides and labels.
        ObjectNode staging = (ObjectNode) JSON.readTree("""
                {"metadata":{"name":"web-staging","namespace":"default","labels":{"tier":"gold"}},
                 "spec":{"owner":{"projectName":"shop","componentName":"web"},"environment":"staging",
                  "releaseName":"old","workloadOverrides":{"container":{"env":[{"key":"X","value":"1"}]}}}}""");
        stub.store("releasebindings", "default", staging);
        ReleaseBindingGenerate.Item st2 = ReleaseBindingGenerate.on(st).project("shop").component("web")
                .targetEnv("staging").call().single();
        assertThat(st2.status()).isEqualTo(ReleaseBindingGenerate.Status.UPDATED);
        ObjectNode b = stub.object("releasebindings", "default", "web-staging").orElseThrow();
        assertThat(b.at("/spec/releaseName").asText()).isEqualTo(rel.releaseName());
        assertThat(b.at("/spec/workloadOverrides/container/env/0/key").asText()).isEqualTo("X");
        assertThat(b.at("/metadata/labels/tier").asText()).isEqualTo("gold");
        stub.server().verify(0, postRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/releasebindings"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("web-staging")));

        // Again: unchanged, no write.
        int puts = stub.server().findAll(putRequestedFor(urlPathMatching(".*"))).size();
        assertThat(ReleaseBindingGenerate.on(st).project("shop").component("web").targetEnv("staging").call()
                .single().status()).isEqualTo(ReleaseBindingGenerate.Status.UNCHANGED);
        assertThat(stub.server().findAll(putRequestedFor(urlPathMatching(".*")))).hasSize(puts);
    }

    @Test
    void unknownComponentAndReleaseAreInputErrors() {
        ApiStore st = store();
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(st).project("shop").component("nope").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("component \"nope\" not found");
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(st).project("shop").component("web")
                .componentRelease("web-missing").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("web-missing");
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(st).project("shop").component("web").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no release");
        stub.server().verify(0, postRequestedFor(urlPathMatching(".*")));
        stub.server().verify(getRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/components/nope")));
    }

    @Test
    void serverUrlAndCredentialsAreChecked() {
        assertThatThrownBy(() -> OpenChoreoApi.builder("ftp://x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--server");
        assertThatThrownBy(() -> OpenChoreoApi.builder("https://user:" + SECRET + "@api.example.com"))
                .isInstanceOf(InvalidInputException.class).satisfies(OpenChoreoApiTest::assertNoSecret);
        assertThatThrownBy(() -> new OpenChoreoAuth.ClientCredentials("", Secret.of(SECRET), null, null))
                .isInstanceOf(GitOpsReleaseException.class).hasMessageContaining("--client-id");
        assertThatThrownBy(() -> OpenChoreoApi.builder(stub.url()).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--token-env");
    }

    @Test
    void generateStepInApiServerMode(@TempDir Path ws) {
        io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress progress =
                new io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress();
        io.jenkins.plugins.gitopsrelease.release.GenerateRequest req = io.jenkins.plugins.gitopsrelease.release
                .GenerateRequest.create().mode("api-server")
                .api(stub.url(), new OpenChoreoAuth.ClientCredentials(OpenChoreoApiStub.CLIENT_ID, Secret.of(SECRET),
                        null, null))
                .project("shop").component("web").image("reg/web:9")
                .buildInfo(new WorkloadCreate.BuildInfo("https://jenkins.example.com/job/web/9/", "abc123", null));
        assertThat(req.secrets()).extracting(Secret::reveal).containsExactly(SECRET);
        var r = req.call(ws, progress);
        assertThat(r.value("environment")).isEqualTo("development");
        assertThat(r.value("workloadUrl")).isEqualTo(stub.url() + "/api/v1/namespaces/default/workloads/web-workload");
        assertThat((String) r.value("bindingUrl")).endsWith("/releasebindings/web-development");
        String release = (String) r.value("releaseName");
        assertThat(stub.object("releasebindings", "default", "web-development").orElseThrow()
                .at("/spec/releaseName").asText()).isEqualTo(release);
        assertThat(stub.object("workloads", "default", "web-workload").orElseThrow().at("/metadata/annotations")
                .get(WorkloadCreate.ANNOTATION_BUILD_URL).asText()).isEqualTo("https://jenkins.example.com/job/web/9/");
        assertThat(progress.text()).contains("created " + stub.url()).doesNotContain(SECRET);
        assertThat(ws.toFile().list()).isEmpty();

        // The run's report links to the API objects.
        var b = io.jenkins.plugins.gitopsrelease.report.ReleaseReport.builder().setComponent("web").setProject("shop")
                .setNamespace("default").setStartedAt(java.time.Instant.now());
        r.contributeTo(b);
        String html = io.jenkins.plugins.gitopsrelease.report.ReportHtml.renderFragment(b.build());
        assertThat(html).contains("OpenChoreo API: created <a href=\"" + stub.url()
                + "/api/v1/namespaces/default/workloads/web-workload\"");
    }

    static ObjectNode binding(String release, String status, String reason, long generation) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"metadata":{"name":"web-development","namespace":"default"},
                 "spec":{"owner":{"projectName":"shop","componentName":"web"},"environment":"development",
                  "releaseName":"%s"},
                 "status":{"observedGeneration":%d,"conditions":[{"type":"Ready","status":"%s","reason":"%s",
                  "lastTransitionTime":"2026-12-03T08:00:00Z","message":"m"}]}}""".formatted(release, generation,
                status, reason));
    }

    @Test
    void watchDeploymentReadsTheBindingStatusFromTheApi() throws Exception {
        stub.store("releasebindings", "default", binding("web-r1", "False", "Progressing", 1));
        Thread t = new Thread(() -> {
            try {
                // Ready only after the watch has seen it not ready at least twice.
                while (stub.server().findAll(getRequestedFor(urlPathEqualTo(
                        "/api/v1/namespaces/default/releasebindings/web-development"))).size() < 2) {
                    Thread.sleep(20);
                }
                stub.store("releasebindings", "default", binding("web-r1", "True", "Ready", 1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress progress =
                new io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress();
        var r = io.jenkins.plugins.gitopsrelease.release.WatchDeploymentRequest.create()
                .target("releasebinding", "web-development", "default").expect(null, null, "web-r1")
                .openChoreoApi(stub.url(), new OpenChoreoAuth.Token(Secret.of(TOKEN)))
                .pollInterval(Duration.ofMillis(50)).timeoutMinutes(1).call(Path.of("."), progress);
        t.join();
        assertThat(r.failure()).isNull();
        assertThat(r.value("state")).isEqualTo("READY");
        assertThat(progress.text()).contains("Ready=False (Progressing)").contains("ReleaseBinding Ready at release web-r1");
        stub.server().verify(com.github.tomakehurst.wiremock.client.WireMock.moreThan(1),
                getRequestedFor(urlPathEqualTo("/api/v1/namespaces/default/releasebindings/web-development")));

        stub.store("releasebindings", "default", binding("web-r1", "False", "RenderingFailed", 1));
        var failed = io.jenkins.plugins.gitopsrelease.release.WatchDeploymentRequest.create()
                .target("releasebinding", "web-development", "default").expect(null, null, "web-r1")
                .openChoreoApi(stub.url(), new OpenChoreoAuth.Token(Secret.of(TOKEN)))
                .pollInterval(Duration.ofMillis(50)).timeoutMinutes(1).call(Path.of("."), progress);
        assertThat(failed.value("state")).isEqualTo("FAILED");
        assertThat(failed.failure()).contains("RenderingFailed");
    }
}
