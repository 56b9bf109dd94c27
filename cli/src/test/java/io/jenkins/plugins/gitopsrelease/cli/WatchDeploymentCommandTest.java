package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WatchDeploymentCommandTest {
    static final String CANARY = "canary-s3cr3t-CLI-91c2";

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    static Path dir;

    static Path tokenFile;

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    static void objects() throws Exception {
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, CANARY + "\n");
        deployment("web", "registry.example.com/shop/web:v1.10", false);
        deployment("stuck", "registry.example.com/shop/web:v2", true);
    }

    static void deployment(String name, String image, boolean deadlineExceeded) {
        var d = kube.client().resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace("shop-dev").endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
                .addNewContainer().withName("web").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        var status = new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(2).withUpdatedReplicas(deadlineExceeded ? 1 : 2).withReadyReplicas(2)
                .withAvailableReplicas(2);
        if (deadlineExceeded) {
            status.withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                    .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"stuck-1\" has timed out"
                            + " progressing.").build());
        }
        kube.client().apps().deployments().inNamespace("shop-dev").withName(name).editStatus(x -> {
            x.setStatus(status.build());
            return x;
        });
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    List<String> server(String... rest) {
        List<String> a = new ArrayList<>(List.of("watch-deployment", "--server", kube.url(),
                "--token-file", tokenFile.toString()));
        a.addAll(List.of(rest));
        return a;
    }

    @Test
    void readyDeploymentExitsZero() {
        Run r = run(server("--deployment", "web", "-n", "shop-dev", "--image", "registry.example.com/shop/web:v1.10",
                "--timeout", "30s").toArray(String[]::new));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Deployment shop-dev/web ready after").contains("2/2 replicas updated");
        assertThat(r.all()).doesNotContain(CANARY);
    }

    @Test
    void jsonResultCarriesTheStateAndTimes() {
        Run r = run(server("--json", "--deployment", "web", "-n", "shop-dev").toArray(String[]::new));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("\"state\" : \"READY\"").contains("\"watchStartedAt\"")
                .contains("\"durationToReady\"");
    }

    @Test
    void wrongTagTimesOutWithExitOneAndTheReason() {
        Run r = run(server("--deployment", "web", "-n", "shop-dev", "--image", "registry.example.com/shop/web:v1.1",
                "--timeout", "500ms").toArray(String[]::new));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("error: timed out after 500 ms waiting for Deployment shop-dev/web:")
                .contains("expected registry.example.com/shop/web:v1.1");
    }

    @Test
    void progressDeadlineExceededExitsOne() {
        Run r = run(server("--deployment", "stuck", "-n", "shop-dev").toArray(String[]::new));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("error: Deployment shop-dev/stuck exceeded its progress deadline:"
                + " ReplicaSet \"stuck-1\" has timed out progressing.");
        assertThat(r.all()).doesNotContain(CANARY);
    }

    @Test
    void missingObjectExitsOneNamingIt() {
        Run r = run(server("--statefulset", "nope", "-n", "shop-dev").toArray(String[]::new));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("error: StatefulSet shop-dev/nope not found");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("watch-deployment", "--namespace", "x").code()).isEqualTo(2);
        assertThat(run("watch-deployment", "--deployment", "a", "--helmrelease", "b", "-n", "x").code()).isEqualTo(2);
        assertThat(run("watch-deployment", "--deployment", "a").err()).contains("--namespace: missing");
        assertThat(run("watch-deployment", "--deployment", "a", "-n", "x", "--token-file", tokenFile.toString())
                .code()).isEqualTo(2);
        Run badTimeout = run(server("--deployment", "a", "-n", "x", "--timeout", "10 minutes").toArray(String[]::new));
        assertThat(badTimeout.code()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("--timeout: invalid value '10 minutes'");
        assertThat(run(server("--helmrelease", "a", "-n", "x", "--image", "app:v1").toArray(String[]::new)).code())
                .isEqualTo(2);
    }

    @Test
    void componentAndEnvironmentResolveFromTheConfigFile() throws Exception {
        Path config = dir.resolve("gitops-release.yaml");
        Files.writeString(config, """
                repositoryUrl: https://git.example.com/shop/gitops.git
                environments:
                  - name: development
                    namespace: shop-dev
                    watchKind: deployment
                    kubeServerUrl: %s
                  - name: production
                """.formatted(kube.url()));
        Run r = run("watch-deployment", "--config", config.toString(), "--component", "web",
                "--environment", "development", "--token-file", tokenFile.toString(), "--timeout", "30s");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Deployment shop-dev/web ready");
        Run unconfigured = run("watch-deployment", "--config", config.toString(), "--component", "web",
                "--environment", "production");
        assertThat(unconfigured.code()).isEqualTo(2);
        assertThat(unconfigured.err()).contains("environment 'production'").contains("is not configured for watching");
        Run unknown = run("watch-deployment", "--config", config.toString(), "--component", "web",
                "--environment", "staging");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("environment: invalid value 'staging'");
    }
}
