package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PromoteImageCommandTest {
    static final String CANARY = "canary-s3cr3t-CLI";

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture prod = RegistryFixture.withTlsAndAuth("ci", CANARY);

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path authFile() throws Exception {
        Path f = dir.resolve("auth.json");
        String auth = Base64.getEncoder().encodeToString(("ci:" + CANARY).getBytes(StandardCharsets.UTF_8));
        Files.writeString(f, "{\"auths\":{\"" + prod.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return f;
    }

    @Test
    void fromToPrintsDigestsAndJson() throws Exception {
        Manifest img = TestImages.image(dev, "team/app", "1.0", "amd64", 1000, 50_000);
        Run r = run("promote-image", "--from", dev.host() + "/team/app:1.0", "--to", prod.host() + "/prod/app:1.0",
                "--src-insecure", "--dest-ca-file", prod.caCertificate().toString(),
                "--registry-auth-file", authFile().toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = Output.json().readTree(r.out());
        assertThat(json.path("sourceDigest").asText()).isEqualTo(img.digest());
        assertThat(json.path("destinationDigest").asText()).isEqualTo(img.digest());
        assertThat(r.err()).contains("destination " + prod.host() + "/prod/app:1.0@" + img.digest());
        assertThat(prod.skopeoDigest("prod/app:1.0")).isEqualTo(img.digest());
        assertThat(r.out() + r.err()).doesNotContain(CANARY);
    }

    @Test
    void buildResultBetweenEnvironments() throws Exception {
        Manifest img = TestImages.image(dev, "team/svc", "2.0", "amd64", 1000);
        Path br = dir.resolve("build_result.json");
        BuildResult.of(new BuildResult.Build("svc", dev.host() + "/team/svc:2.0@" + img.digest())).write(br);
        Run r = run("promote-image", "--build-result", br.toString(), "--source", "dev", "--destination", "prod",
                "--environment", "dev=" + dev.host() + "/team", "--environment", "prod=" + prod.host() + "/release",
                "--src-insecure", "--dest-ca-file", prod.caCertificate().toString(),
                "--registry-auth-file", authFile().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("source      " + dev.host() + "/team/svc:2.0@" + img.digest())
                .contains("destination " + prod.host() + "/release/svc:2.0@" + img.digest());
        assertThat(prod.skopeoDigest("release/svc:2.0")).isEqualTo(img.digest());
    }

    @Test
    void movedTagIsRefused() throws Exception {
        TestImages.image(dev, "team/moved", "3.0", "amd64", 1000);
        Path br = dir.resolve("build_result.json");
        BuildResult.of(new BuildResult.Build("m", dev.host() + "/team/moved:3.0@sha256:" + "1".repeat(64))).write(br);
        Run r = run("promote-image", "--build-result", br.toString(), "--source", "dev", "--destination", "prod",
                "--environment", "dev=" + dev.host() + "/team", "--environment", "prod=" + prod.host() + "/release",
                "--src-insecure", "--dest-ca-file", prod.caCertificate().toString(),
                "--registry-auth-file", authFile().toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("digest mismatch");
    }

    @Test
    void badInputsExitTwo() {
        assertThat(run("promote-image", "--from", "x").code()).isEqualTo(2);
        Run unknownEnv = run("promote-image", "--image", "app:1", "--source", "nowhere-env", "--destination", "prod");
        assertThat(unknownEnv.code()).isEqualTo(2);
        assertThat(unknownEnv.err()).contains("--source").contains("nowhere-env").contains("GOOGLE_GKE_IMAGE_NOWHERE_ENV_REPOSITORY");
        Run malformed = run("promote-image", "--from", "UPPER/Case:1", "--to", "reg.example/x:1");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("--from");
    }
}
