package io.jenkins.plugins.gitopsrelease.deploy;

import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig files and contexts, explicit server + token, and the token never in text. */
class KubeAccessTest {
    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    Path dir;

    private Path kubeconfig(String currentContext) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s"}
                  - name: nowhere
                    cluster: {server: "http://127.0.0.1:1"}
                users:
                  - name: ci
                    user: {token: "%s"}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: shop}
                  - name: broken
                    context: {cluster: nowhere, user: ci}
                current-context: %s
                """.formatted(kube.url(), CANARY, currentContext));
        return f;
    }

    private void readyDeployment(String ns) {
        var d = DeploymentWatchTest.create(kube, ns, "api", "app:v1", 1);
        d.editStatus(x -> {
            x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
                    .withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1).build());
            return x;
        });
    }

    @Test
    void kubeconfigContextIsUsedAndTheTokenIsSent() throws Exception {
        String ns = KubeTestSupport.namespace();
        readyDeployment(ns);
        Path cfg = kubeconfig("broken");
        kube.takeRequests();
        WatchResult r = WatchDeployment.create().setAccess(KubeAccess.kubeconfig(cfg, "mock"))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, ns, "api")).setTimeout(Duration.ofSeconds(20)).call();
        assertThat(r.ready()).isTrue();
        assertThat(sentCanary()).isTrue();
        assertThat(KubeAccess.kubeconfig(cfg, "mock").describe()).isEqualTo("kubeconfig " + cfg + " (context mock)");
    }

    @Test
    void unknownContextIsBadInput() throws Exception {
        Path cfg = kubeconfig("mock");
        assertThatThrownBy(() -> WatchDeployment.create().setAccess(KubeAccess.kubeconfig(cfg, "prod"))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, "x", "api")).call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--context: invalid value 'prod'")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void currentContextPointingNowhereIsReportedWithoutTheToken() throws Exception {
        Path cfg = kubeconfig("broken");
        assertThatThrownBy(() -> WatchDeployment.create().setAccess(KubeAccess.kubeconfig(cfg, null))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, "x", "api")).call())
                .hasMessageStartingWith("cannot reach the Kubernetes API server at http://127.0.0.1:1")
                .satisfies(e -> assertThat(DeploymentWatchTest.stackText(e)).doesNotContain(CANARY));
    }

    @Test
    void explicitServerSendsTheBearerTokenButNeverPrintsIt() {
        String ns = KubeTestSupport.namespace();
        readyDeployment(ns);
        KubeAccess access = KubeAccess.server(kube.url(), Secret.of(CANARY), null, null);
        kube.takeRequests();
        assertThat(access.toString()).isEqualTo("server " + kube.url() + " (token)");
        WatchResult r = WatchDeployment.create().setAccess(access)
                .setTarget(Target.of(TargetKind.DEPLOYMENT, ns, "api")).call();
        assertThat(r.ready()).isTrue();
        assertThat(r.toString()).doesNotContain(CANARY);
        assertThat(sentCanary()).isTrue();
    }

    /** Did the GET carry the canary as bearer token? (A boolean, so a failure does not print the token.) */
    private static boolean sentCanary() {
        return kube.takeRecorded().stream().anyMatch(q -> q.getMethod().equals("GET")
                && ("Bearer " + CANARY).equals(q.getHeader("Authorization")));
    }

    @Test
    void badServerInputsAreRejectedWithoutEchoingSecrets() {
        assertThatThrownBy(() -> KubeAccess.server("ftp://x", null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("--server: invalid value 'ftp://x'");
        assertThatThrownBy(() -> KubeAccess.server("https://ci:" + CANARY + "@api.example.com", null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("do not put credentials in the URL")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> KubeAccess.server("https://api.example.com", null, null, CANARY))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> KubeAccess.kubeconfig(Path.of("/nonexistent/kubeconfig"), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--kubeconfig: invalid value '/nonexistent/kubeconfig'");
    }

    @Test
    void caPemIsAccepted() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assertThat(KubeAccess.server("https://api.example.com:6443", Secret.of(CANARY), null, pem).describe())
                .isEqualTo("server https://api.example.com:6443 (token)");
    }
}
