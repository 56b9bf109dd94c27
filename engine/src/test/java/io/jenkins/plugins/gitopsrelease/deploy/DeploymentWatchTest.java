package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.CANARY;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.afterWatchOpens;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.namespace;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.FreePorts;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deployments: kubectl rollout status semantics plus the exact image, driven through status transitions. */
class DeploymentWatchTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String OTHER_DIGEST = "sha256:" + "cd".repeat(32);

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    private final RecordingProgress lines = new RecordingProgress();

    static Resource<Deployment> create(String ns, String name, String image, int replicas) {
        return create(kube, ns, name, image, replicas);
    }

    static Resource<Deployment> create(KubeMockFixture kube, String ns, String name, String image, int replicas) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer()
                .addNewContainer().withName("sidecar").withImage("envoyproxy/envoy:v1.30").endContainer()
                .endSpec().endTemplate().endSpec().build();
        kube.client().resource(d).create();
        return kube.client().apps().deployments().inNamespace(ns).withName(name);
    }

    static Runnable status(Resource<Deployment> d, DeploymentStatus status) {
        return () -> d.editStatus(x -> {
            // The controller has seen the current spec (the mock keeps generation as it is).
            Long gen = x.getMetadata().getGeneration();
            status.setObservedGeneration(gen == null ? 1L : gen);
            x.setStatus(status);
            return x;
        });
    }

    static DeploymentStatus replicas(int replicas, int updated, int ready, int available) {
        return new DeploymentStatusBuilder().withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available).build();
    }

    @Test
    void becomesReadyAfterStatusTransitionsAndReportsEachChange() {
        String ns = namespace();
        var d = create(ns, "api", "registry.example.com/shop/api:v1.2", 3);
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                status(d, replicas(3, 1, 0, 0)),
                status(d, replicas(4, 2, 2, 2)),
                status(d, replicas(4, 3, 3, 3)),
                status(d, replicas(3, 3, 3, 2)),
                status(d, replicas(3, 3, 3, 3)));
        Clock clock = ticking();
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "api"), lines)
                .setImage("registry.example.com/shop/api:v1.2").setClock(clock).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.READY);
        assertThat(r.reason()).isNull();
        assertThat(r.target()).isEqualTo("Deployment " + ns + "/api");
        assertThat(r.finalState()).contains("3/3 replicas updated and available");
        assertThat(r.readyAt()).isAfter(r.watchStartedAt());
        assertThat(r.durationToReady()).isEqualTo(Duration.between(r.watchStartedAt(), r.readyAt()));
        assertThat(r.apiRequests()).isBetween(2, 5);
        assertThat(lines.lines).contains(
                "Deployment " + ns + "/api: 1/3 replicas updated",
                "Deployment " + ns + "/api: 2/3 replicas updated",
                "Deployment " + ns + "/api: 1 old replicas pending termination",
                "Deployment " + ns + "/api: 2/3 updated replicas available");
        // One line per change: the replayed ADDED event of the mock repeats a state and must not add a line.
        assertThat(lines.lines).doesNotHaveDuplicates();
        assertThat(lines.text()).doesNotContain(CANARY);
    }

    @Test
    void alreadyReadyReturnsAfterOneRead() {
        String ns = namespace();
        var d = create(ns, "done", "app@" + DIGEST, 2);
        status(d, replicas(2, 2, 2, 2)).run();
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "done"), lines)
                .setImage("docker.io/library/app@" + DIGEST).call();
        assertThat(r.ready()).isTrue();
        assertThat(r.apiRequests()).isEqualTo(1);
    }

    @Test
    void waitsForTheSpecUpdateToBeObserved() {
        String ns = namespace();
        var d = create(ns, "gen", "app:v2", 1);
        // Status complete but for an older generation: kubectl waits; so must we.
        d.editStatus(x -> {
            x.setStatus(replicas(1, 1, 1, 1));
            x.getStatus().setObservedGeneration(0L);
            return x;
        });
        CompletableFuture<Void> driver = afterWatchOpens(kube, status(d, replicas(1, 1, 1, 1)));
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "gen"), lines).setImage("app:v2").call();
        driver.join();
        assertThat(r.ready()).isTrue();
        assertThat(lines.text()).contains("waiting for the controller to observe generation");
    }

    @Test
    void progressDeadlineExceededFailsAtOnceWithTheConditionMessage() {
        String ns = namespace();
        var d = create(ns, "stuck", "app:v3", 2);
        DeploymentStatus stuck = replicas(3, 1, 0, 0);
        stuck.setConditions(List.of(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"stuck-5d4f\" has timed out progressing.").build()));
        CompletableFuture<Void> driver = afterWatchOpens(kube, status(d, replicas(3, 1, 0, 0)), status(d, stuck));
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "stuck"), lines)
                .setImage("app:v3").setTimeout(Duration.ofMinutes(5)).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("Deployment " + ns + "/stuck exceeded its progress deadline: "
                + "ReplicaSet \"stuck-5d4f\" has timed out progressing.");
        assertThat(r.readyAt()).isNull();
    }

    @Test
    void tagV1dot1DoesNotMatchV1dot10() {
        String ns = namespace();
        var d = create(ns, "sub", "registry.example.com/shop/api:v1.10", 1);
        status(d, replicas(1, 1, 1, 1)).run();
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "sub"), lines)
                .setImage("registry.example.com/shop/api:v1.1").setTimeout(Duration.ofMillis(700)).call();
        assertThat(r.state()).isEqualTo(WatchResult.State.TIMED_OUT);
        assertThat(r.reason()).contains("registry.example.com/shop/api:v1.10 (app)")
                .contains("expected registry.example.com/shop/api:v1.1");
    }

    @Test
    void digestMustMatchExactlyAndNamedContainerMustRunIt() {
        String ns = namespace();
        var d = create(ns, "dig", "registry.example.com/shop/api:v1@" + OTHER_DIGEST, 1);
        status(d, replicas(1, 1, 1, 1)).run();
        WatchResult wrongDigest = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "dig"), lines)
                .setImage("registry.example.com/shop/api@" + DIGEST).setTimeout(Duration.ofMillis(500)).call();
        assertThat(wrongDigest.state()).isEqualTo(WatchResult.State.TIMED_OUT);
        WatchResult sidecar = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "dig"), lines)
                .setImage("registry.example.com/shop/api@" + OTHER_DIGEST).setContainers(List.of("sidecar"))
                .setTimeout(Duration.ofMillis(500)).call();
        assertThat(sidecar.state()).isEqualTo(WatchResult.State.TIMED_OUT);
        assertThat(sidecar.reason()).contains("container sidecar runs envoyproxy/envoy:v1.30");
        WatchResult app = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "dig"), lines)
                .setImage("registry.example.com/shop/api@" + OTHER_DIGEST).setContainers(List.of("app")).call();
        assertThat(app.ready()).isTrue();
    }

    @Test
    void imageChangeArrivingThroughTheWatchIsSeen() {
        String ns = namespace();
        var d = create(ns, "roll", "app:v1", 1);
        status(d, replicas(1, 1, 1, 1)).run();
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                () -> d.edit(x -> {
                    x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("app:v2");
                    return x;
                }),
                status(d, replicas(2, 1, 1, 1)),
                status(d, replicas(1, 1, 1, 1)));
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "roll"), lines).setImage("app:v2").call();
        driver.join();
        assertThat(r.ready()).isTrue();
        assertThat(lines.text()).contains("pod template runs docker.io/library/app:v1 (app)".replace(
                "docker.io/library/", ""));
    }

    @Test
    void timeoutReportsTheLastObservedState() {
        String ns = namespace();
        var d = create(ns, "slow", "app:v1", 3);
        status(d, replicas(3, 2, 2, 2)).run();
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "slow"), lines)
                .setImage("app:v1").setTimeout(Duration.ofMillis(400)).call();
        assertThat(r.state()).isEqualTo(WatchResult.State.TIMED_OUT);
        assertThat(r.reason()).isEqualTo("timed out after 400 ms waiting for Deployment " + ns
                + "/slow: 2/3 replicas updated");
        assertThat(r.finalState()).isEqualTo("2/3 replicas updated");
    }

    @Test
    void missingObjectIsAClearError() {
        String ns = namespace();
        assertThatThrownBy(() -> watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "ghost"), lines).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("Deployment " + ns + "/ghost not found: check the namespace and the name (kubectl -n "
                        + ns + " get deployment ghost)");
    }

    @Test
    void unreachableApiServerFailsFastWithoutTheToken() {
        int closed = FreePorts.next();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> WatchDeployment.create()
                .setAccess(KubeAccess.server("http://127.0.0.1:" + closed, Secret.of(CANARY), null, null))
                .setTarget(Target.of(TargetKind.DEPLOYMENT, "prod", "api"))
                .setTimeout(Duration.ofMinutes(10))
                .call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("cannot reach the Kubernetes API server at http://127.0.0.1:" + closed)
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(CANARY));
        // Not a timing assertion on speed, only that it did not sit out the 10 minute watch timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void deletedWhileWatchingFails() {
        String ns = namespace();
        var d = create(ns, "gone", "app:v1", 1);
        CompletableFuture<Void> driver = afterWatchOpens(kube, () -> d.delete());
        WatchResult r = watch(kube, Target.of(TargetKind.DEPLOYMENT, ns, "gone"), lines).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("Deployment " + ns + "/gone was deleted while waiting for it");
    }

    static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** A clock that moves 1 s per read, so readyAt is strictly after watchStartedAt without sleeping. */
    static Clock ticking() {
        AtomicLong t = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(t.getAndIncrement());
            }
        };
    }
}
