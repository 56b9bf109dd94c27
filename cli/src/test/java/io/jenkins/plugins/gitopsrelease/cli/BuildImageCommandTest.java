package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.testinfra.FreePorts;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** gitops-release build-image end to end: exit codes, --json result, build_result.json, secrets kept out. */
class BuildImageCommandTest {
    static final String CANARY = "canary-s3cr3t-CLI";

    @RegisterExtension
    static RegistryFixture registry = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secured = RegistryFixture.withTlsAndAuth("ci", CANARY);

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path app() throws Exception {
        Path ctx = tmp.resolve("app");
        Files.createDirectories(ctx.resolve("www"));
        Files.writeString(ctx.resolve("www/index.html"), "hi\n");
        Files.writeString(ctx.resolve("workload.yaml"), "kind: Workload\n");
        return ctx;
    }

    @Test
    void jibBuildPrintsJsonAndWritesBuildResult() throws Exception {
        Path ctx = app();
        Path result = tmp.resolve("build_result.json");
        Run r = run("build-image", "--context", ctx.toString(), "--image", registry.host() + "/team/cli:1",
                "--builder", "jib", "--insecure-registry", registry.host(), "--build-result", result.toString(),
                "--entrypoint", "[\"/bin/sh\", \"-c\", \"echo hi\"]", "--label", "team=payments",
                "--cache-dir", tmp.resolve("cache").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        String digest = registry.skopeoDigest("team/cli:1");
        assertThat(json.path("digest").asText()).isEqualTo(digest);
        assertThat(json.path("reference").asText()).isEqualTo(registry.host() + "/team/cli:1@" + digest);
        assertThat(json.path("descriptor").asText()).isEqualTo(ctx.resolve("workload.yaml").toString());
        JsonNode recorded = new ObjectMapper().readTree(result.toFile());
        assertThat(recorded.path("builds").get(0).path("tag").asText()).isEqualTo(json.path("reference").asText());
        assertThat(recorded.path("gitopsRelease").path("descriptor").asText()).isEqualTo("app/workload.yaml");
    }

    @Test
    void badInputExitsWithTwo() throws Exception {
        Path ctx = app();
        String img = registry.host() + "/team/bad:1";
        assertThat(run("build-image", "--context", tmp.resolve("missing").toString(), "--image", img).exit()).isEqualTo(2);
        Run unknown = run("build-image", "--context", ctx.toString(), "--image", img, "--builder", "kaniko");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--builder: invalid value 'kaniko'");
        assertThat(run("build-image", "--context", ctx.toString(), "--image", "Bad//Ref").exit()).isEqualTo(2);
        Run noDockerfile = run("build-image", "--context", ctx.toString(), "--image", img, "--builder", "dockerfile");
        assertThat(noDockerfile.exit()).isEqualTo(2);
        assertThat(noDockerfile.err()).contains("--dockerfile");
        assertThat(run("build-image", "--image", img).exit()).isEqualTo(2); // --context missing
    }

    @Test
    void failedPushExitsWithOneAndKeepsTheSecretOut() throws Exception {
        Path ctx = app();
        Path password = Files.writeString(tmp.resolve("password"), CANARY + "-wrong\n");
        Path result = tmp.resolve("build_result.json");
        List<String> args = new ArrayList<>(List.of("build-image", "--context", ctx.toString(),
                "--image", secured.host() + "/team/cli:2", "--builder", "jib", "--ca-file", secured.caCertificate().toString(),
                "--registry-username", "ci", "--registry-password-file", password.toString(),
                "--build-result", result.toString(), "--cache-dir", tmp.resolve("cache").toString()));
        Run wrong = run(args.toArray(String[]::new));
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("refused the credentials");
        assertThat(wrong.out() + wrong.err()).doesNotContain(CANARY);
        assertThat(result).doesNotExist();

        Files.writeString(password, CANARY + "\n");
        Run right = run(args.toArray(String[]::new));
        assertThat(right.exit()).as(right.err()).isZero();
        assertThat(right.out() + right.err()).doesNotContain(CANARY);
        assertThat(Files.readString(result)).contains(secured.skopeoDigest("team/cli:2"));

        String closed = "127.0.0.1:" + FreePorts.next();
        Run unreachable = run("build-image", "--context", ctx.toString(), "--image", closed + "/team/cli:3",
                "--builder", "jib", "--insecure-registry", closed, "--build-result", result.toString());
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the registry");
    }
}
