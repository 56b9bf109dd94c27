package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate;
import io.jenkins.plugins.gitopsrelease.testinfra.OpenChoreoApiStub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The occ verbs with {@code --mode api-server} against the validating OpenChoreo API stub. */
class ApiModeCommandsTest {
    static final String SECRET = "canary-cli-secret-19be4c2d";
    static final String TOKEN = "canary-cli-token-7a0f55e1";

    @TempDir
    Path dir;
    OpenChoreoApiStub stub;
    Path secretFile;
    Path tokenFile;
    final List<String> output = new ArrayList<>();

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        stub = new OpenChoreoApiStub(OpenChoreoApiStub.specOrSkip(), SECRET);
        stub.acceptFixedToken(TOKEN);
        stub.pipeline("default", "standard", "development", "staging");
        stub.project("default", "shop", "standard");
        stub.component("default", "shop", "web");
        stub.component("default", "shop", "cart");
        secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
    }

    @AfterEach
    void stop() {
        if (stub == null) {
            return; // skipped in set-up: ../shared is absent
        }
        List<String> v = stub.violations();
        stub.close();
        assertThat(v).as("OpenAPI violations").isEmpty();
        assertThat(String.join("\n", output)).doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        output.add(out.toString());
        output.add(err.toString());
        return new Run(code, out.toString(), err.toString());
    }

    List<String> api(String... rest) {
        List<String> a = new ArrayList<>(List.of("--mode", "api-server", "--server", stub.url(), "--client-id",
                OpenChoreoApiStub.CLIENT_ID, "--client-secret-file", secretFile.toString()));
        a.addAll(List.of(rest));
        return a;
    }

    Run runApi(String verb, String sub, String... rest) {
        List<String> a = new ArrayList<>(List.of(verb, sub));
        a.addAll(api(rest));
        return run(a.toArray(String[]::new));
    }

    @Test
    void workloadReleaseAndBindingsThroughTheApi() throws Exception {
        Run w = runApi("workload", "create", "-p", "shop", "-c", "web", "--image", "reg/web@sha256:" + "b".repeat(64),
                "--build-url", "https://ci.example.com/job/web/7/", "--commit", "c0ffee",
                "--image-digest", "sha256:" + "b".repeat(64));
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(w.out()).contains("Created: " + stub.url() + "/api/v1/namespaces/default/workloads/web-workload");
        assertThat(stub.object("workloads", "default", "web-workload").orElseThrow()
                .at("/metadata/annotations").get(WorkloadCreate.ANNOTATION_COMMIT).asText()).isEqualTo("c0ffee");

        Run again = runApi("workload", "create", "-p", "shop", "-c", "web", "--image", "reg/web:2", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(again.out());
        assertThat(j.get("outcome").asText()).isEqualTo("updated");
        assertThat(stub.count("workloads")).isEqualTo(1);

        Run c = runApi("componentrelease", "generate", "-p", "shop", "-c", "web");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Generated: web-");

        Run b = runApi("releasebinding", "generate", "-p", "shop", "-c", "web");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("Created: " + stub.url() + "/api/v1/namespaces/default/releasebindings/web-development");

        // Bulk: --project P --all --target-env staging; cart has no development binding, so it fails by name.
        Run bulk = runApi("releasebinding", "generate", "-p", "shop", "--all", "--target-env", "staging");
        assertThat(bulk.code()).isEqualTo(1);
        assertThat(bulk.out()).contains("Created: " + stub.url() + "/api/v1/namespaces/default/releasebindings/web-staging");
        assertThat(bulk.err()).contains("error: shop/cart: no ReleaseBinding found in previous environment")
                .contains("1 component(s) failed: shop/cart");
        assertThat(bulk.out()).contains("Summary: 1 bindings generated, 1 errors");
        assertThat(stub.tokensIssued()).isEqualTo(5); // one per CLI run, each a new process in real life
    }

    @Test
    void fixedTokenFromAFile() {
        Run w = run("workload", "create", "--mode", "api-server", "--server", stub.url(), "--token-file",
                tokenFile.toString(), "-p", "shop", "-c", "cart", "--image", "reg/cart:1");
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(stub.tokensIssued()).isZero();
    }

    @Test
    void credentialMistakesAreInputErrors() {
        Run none = run("workload", "create", "--mode", "api-server", "--server", stub.url(), "-p", "shop", "-c", "web",
                "--image", "i:1");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("needs credentials");
        Run both = run("workload", "create", "--mode", "api-server", "--server", stub.url(), "--token-file",
                tokenFile.toString(), "--client-id", "x", "--client-secret-file", secretFile.toString(), "-p", "shop",
                "-c", "web", "--image", "i:1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        Run noServer = run("workload", "create", "--mode", "api-server", "--token-file", tokenFile.toString(), "-p",
                "shop", "-c", "web", "--image", "i:1");
        assertThat(noServer.code()).isEqualTo(2);
        assertThat(noServer.err()).contains("--server is required");
        Run wrong = run("workload", "create", "--mode", "api-server", "--server", stub.url(), "--client-id",
                OpenChoreoApiStub.CLIENT_ID, "--client-secret-file", tokenFile.toString(), "-p", "shop", "-c", "web",
                "--image", "i:1");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("invalid_client");
        assertThat(stub.count("workloads")).isZero();
    }
}
