package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.CANARY;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.afterWatchOpens;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.namespace;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;

import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watch survives connections the server drops, and re-lists when reconnecting gives up. */
class WatchResilienceTest {
    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    private final RecordingProgress lines = new RecordingProgress();

    private WatchDeployment watch(String ns, String name, int reconnectLimit) {
        return WatchDeployment.create()
                .setAccess(KubeAccess.server(kube.url(), Secret.of(CANARY), null, null)
                        .withWatchReconnect(50, reconnectLimit))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, ns, name))
                .setImage("app:v2")
                .setTimeout(Duration.ofSeconds(30))
                .setProgress(lines);
    }

    @Test
    void finalStateThatArrivesWhileTheWatchIsCutIsSeenAfterReconnect() {
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "api", "app:v2", 2);
        DeploymentWatchTest.status(d, DeploymentWatchTest.replicas(2, 1, 1, 1)).run();
        CompletableFuture<Void> driver = afterWatchOpens(kube, () -> {
            kube.refuseWatches(true);
            assertThat(kube.dropWatches()).isEqualTo(1);
            // The rollout completes while nobody watches.
            DeploymentWatchTest.status(d, DeploymentWatchTest.replicas(2, 2, 2, 2)).run();
            waitFor(() -> kube.refusedWatches() >= 1);
            kube.refuseWatches(false);
        });
        WatchResult r = watch(ns, "api", 20).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).startsWith("2/2 replicas updated and available");
    }

    @Test
    void whenReconnectsAreExhaustedTheWatchReListsAndWatchesAgain() {
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "web", "app:v2", 2);
        DeploymentWatchTest.status(d, DeploymentWatchTest.replicas(2, 1, 1, 1)).run();
        CompletableFuture<Void> driver = afterWatchOpens(kube, () -> {
            kube.refuseWatches(true);
            kube.dropWatches();
            // fabric8 gives up after 2 refused reconnects; the watch reads the object again.
            waitFor(() -> lines.text().contains("closed ("));
            DeploymentWatchTest.status(d, DeploymentWatchTest.replicas(2, 2, 1, 1)).run();
            kube.refuseWatches(false);
            waitFor(() -> kube.openWatches() >= 1);
            DeploymentWatchTest.status(d, DeploymentWatchTest.replicas(2, 2, 2, 2)).run();
        });
        WatchResult r = watch(ns, "web", 2).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(lines.text()).contains("watch of Deployment " + ns + "/web closed (")
                .contains("; reading it again");
        assertThat(lines.text()).doesNotContain(CANARY);
    }

    @Test
    void apiServerLostMidWatchIsReportedLongBeforeTheTimeout() {
        KubeMockFixture lost = new KubeMockFixture().start();
        String url = lost.url();
        String ns = namespace();
        DeploymentWatchTest.create(lost, ns, "api", "app:v2", 2);
        WatchDeployment w = WatchDeployment.create()
                .setAccess(KubeAccess.server(url, Secret.of(CANARY), null, null).withWatchReconnect(50, 2))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, ns, "api"))
                .setTimeout(Duration.ofMinutes(10))
                .setProgress(lines);
        CompletableFuture<Void> driver = afterWatchOpens(lost, lost::close);
        long t0 = System.nanoTime();
        assertThatThrownBy(w::call)
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("cannot reach the Kubernetes API server at " + url)
                .satisfies(e -> assertThat(DeploymentWatchTest.stackText(e)).doesNotContain(CANARY));
        driver.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(1));
        assertThat(lines.text()).contains("watch of Deployment " + ns + "/api closed (");
    }

    static void waitFor(BooleanSupplier condition) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not reached in 20 s");
            }
            sleep(5);
        }
    }
}
