package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** annotate, record show and policy check against the real registry (plain, and with basic auth). */
class RecordCommandsTest {
    static final String CANARY = "canary-s3cr3t-RECORD-77";

    @RegisterExtension
    static RegistryFixture reg = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secured = RegistryFixture.withAuth("annotator", CANARY);

    @RegisterExtension
    static RegistryFixture prod = RegistryFixture.plain();

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

    static String[] with(String[] base, String... more) {
        List<String> l = new ArrayList<>(List.of(base));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }

    @Test
    void annotateThenShowThenCheckThePolicy() throws Exception {
        Manifest img = TestImages.image(reg, "shop/app", "1.0", "amd64", 1000);
        String image = reg.host() + "/shop/app:1.0";
        Run a = run("annotate", image, "smoke=passed", "deployed.staging=PT12S", "--insecure-registry", reg.host(),
                "--writer", "qa", "--run-url", "https://ci.example/job/app/3/");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("annotated " + reg.host() + "/shop/app@" + img.digest() + ": smoke=passed");

        Run show = run("record", "show", image, "--insecure-registry", reg.host(), "--json");
        assertThat(show.code()).as(show.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(show.out());
        assertThat(j.path("digest").asText()).isEqualTo(img.digest());
        assertThat(j.path("attributes").path("org.opencontainers.image.version").asText()).isEqualTo("1.0");
        assertThat(j.path("annotations")).hasSize(2);
        assertThat(j.path("annotations").get(0).path("writer").asText()).isEqualTo("qa");
        assertThat(j.path("annotations").get(0).path("runUrl").asText()).isEqualTo("https://ci.example/job/app/3/");
        Run text = run("record", "show", image, "--insecure-registry", reg.host());
        assertThat(text.out()).contains("smoke=passed  by qa").contains("org.opencontainers.image.version = 1.0");

        Path config = dir.resolve("gitops-release.yaml");
        Files.writeString(config, """
                environments:
                  - name: staging
                  - name: production
                    policy:
                      requiredAnnotations: [deployed.staging, smoke=passed]
                      approvers: [alice]
                """);
        Run refused = run("policy", "check", image, "--target-env", "production", "--config", config.toString(),
                "--insecure-registry", reg.host());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("MET    deployed.staging").contains("MET    smoke=passed")
                .contains("UNMET  approved-by one of [alice]").contains("refused: 1 rule unmet");
        assertThat(refused.err().lines().filter(l -> !l.isBlank()).reduce((first, last) -> last).orElse(""))
                .startsWith("error: policy of production refuses ").endsWith(": 1 rule unmet (approved-by one of [alice])");
        assertThat(run("annotate", image, "approved-by=alice", "--insecure-registry", reg.host()).code()).isZero();
        Run allowed = run("policy", "check", image, "--target-env", "production", "--config", config.toString(),
                "--insecure-registry", reg.host(), "--json");
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(new ObjectMapper().readTree(allowed.out()).path("allowed").asBoolean()).isTrue();

        Run unknownEnv = run("policy", "check", image, "--target-env", "prod", "--config", config.toString(),
                "--insecure-registry", reg.host());
        assertThat(unknownEnv.code()).isEqualTo(2);
        assertThat(unknownEnv.err()).contains("--target-env").contains("staging, production");
    }

    @Test
    void promoteImageAppliesTheDestinationPolicyFromTheConfigAndRecordsThePromotion() throws Exception {
        Manifest img = TestImages.image(reg, "shop/web", "3.0", "amd64", 1000);
        Path config = dir.resolve("gitops-release.yaml");
        Files.writeString(config, "environments:\n  - name: staging\n    registry: " + reg.host() + "/shop\n"
                + "  - name: production\n    registry: " + prod.host() + "/prod\n"
                + "    policy:\n      requiredAnnotations: [smoke=passed]\n");
        String[] promote = {"promote-image", "--from", reg.host() + "/shop/web:3.0", "--to", prod.host() + "/prod/web:3.0",
                "--src-insecure", "--dest-insecure", "--config", config.toString()};
        Run refused = run(promote);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("policy of environment 'production' refuses").contains("1) smoke=passed");
        assertThat(TestImages.client(prod).tags("prod/web")).isEmpty();

        assertThat(run("annotate", reg.host() + "/shop/web:3.0", "smoke=passed", "--insecure-registry", reg.host())
                .code()).isZero();
        Run ok = run(promote);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("policy of production: 1 rules met");
        Run show = run("record", "show", prod.host() + "/prod/web:3.0", "--insecure-registry", prod.host(), "--json");
        JsonNode j = new ObjectMapper().readTree(show.out());
        assertThat(j.path("digest").asText()).isEqualTo(img.digest());
        assertThat(j.path("annotations").findValuesAsText("key")).containsExactly("smoke", "promoted.production");
    }

    @Test
    void badKeysAreRejectedBeforeWritingAndSecretsStayOut() throws Exception {
        TestImages.image(secured, "shop/app", "2.0", "amd64", 1000);
        String image = secured.host() + "/shop/app:2.0";
        Path pw = dir.resolve("pw");
        Files.writeString(pw, CANARY);
        String[] auth = {"--insecure-registry", secured.host(), "--registry-username", "annotator",
                "--registry-password-file", pw.toString()};
        Run bad = run(with(new String[] {"annotate", image, "ok=1", "Bad=x"}, auth));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Bad=x");
        Run ok = run(with(new String[] {"annotate", image, "smoke=passed"}, auth));
        assertThat(ok.code()).as(ok.err()).isZero();
        Run show = run(with(new String[] {"record", "show", image, "--json"}, auth));
        assertThat(new ObjectMapper().readTree(show.out()).path("annotations")).hasSize(1);
        Run denied = run("record", "show", image, "--insecure-registry", secured.host());
        assertThat(denied.code()).isEqualTo(1);
        for (Run r : List.of(bad, ok, show, denied)) {
            assertThat(r.out() + r.err()).doesNotContain(CANARY);
        }
    }
}
