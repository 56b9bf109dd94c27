package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.afterWatchOpens;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.namespace;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** StatefulSet and DaemonSet rollouts with kubectl's status viewers' rules. */
class StatefulSetDaemonSetWatchTest {
    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    private final RecordingProgress lines = new RecordingProgress();

    static Resource<StatefulSet> statefulSet(String ns, String name, String strategy, Integer partition) {
        var b = new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(3).withServiceName(name)
                .withNewUpdateStrategy().withType(strategy).endUpdateStrategy()
                .withNewTemplate().withNewSpec().addNewContainer().withName("db").withImage("postgres:16.4")
                .endContainer().endSpec().endTemplate().endSpec();
        StatefulSet sts = b.build();
        if (partition != null) {
            sts.getSpec().getUpdateStrategy().setRollingUpdate(
                    new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategyBuilder()
                            .withPartition(partition).build());
        }
        kube.client().resource(sts).create();
        return kube.client().apps().statefulSets().inNamespace(ns).withName(name);
    }

    static Runnable status(Resource<StatefulSet> s, StatefulSetStatus st) {
        return () -> s.editStatus(x -> {
            st.setObservedGeneration(x.getMetadata().getGeneration());
            x.setStatus(st);
            return x;
        });
    }

    static StatefulSetStatus sts(int ready, int updated, String current, String update) {
        return new StatefulSetStatusBuilder().withReplicas(3).withReadyReplicas(ready).withUpdatedReplicas(updated)
                .withCurrentRevision(current).withUpdateRevision(update).build();
    }

    @Test
    void statefulSetWaitsForReadyPodsAndTheUpdateRevision() {
        String ns = namespace();
        var s = statefulSet(ns, "db", "RollingUpdate", null);
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                status(s, sts(2, 1, "db-1", "db-2")),
                status(s, sts(3, 2, "db-1", "db-2")),
                status(s, sts(3, 3, "db-2", "db-2")));
        WatchResult r = watch(kube, Target.of(TargetKind.STATEFULSET, ns, "db"), lines).setImage("postgres:16.4")
                .call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).isEqualTo("3/3 pods ready at revision db-2, running postgres:16.4");
        assertThat(lines.text()).contains("2/3 pods ready").contains("2/3 pods at revision db-2");
    }

    @Test
    void statefulSetPartitionedRolloutIsDoneWhenThePartitionIsUpdated() {
        String ns = namespace();
        var s = statefulSet(ns, "pdb", "RollingUpdate", 2);
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                status(s, sts(3, 0, "pdb-1", "pdb-2")),
                status(s, sts(3, 1, "pdb-1", "pdb-2")));
        WatchResult r = watch(kube, Target.of(TargetKind.STATEFULSET, ns, "pdb"), lines).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(lines.text()).contains("partitioned rollout: 0/1 new pods updated");
    }

    @Test
    void onDeleteStrategyHasNoRolloutToWatch() {
        String ns = namespace();
        statefulSet(ns, "od", "OnDelete", null);
        WatchResult r = watch(kube, Target.of(TargetKind.STATEFULSET, ns, "od"), lines).call();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).contains("uses the OnDelete update strategy");
    }

    static Resource<DaemonSet> daemonSet(String ns, String name, String image) {
        kube.client().resource(new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .endMetadata().withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewTemplate().withNewSpec().addNewContainer().withName("agent").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        return kube.client().apps().daemonSets().inNamespace(ns).withName(name);
    }

    static Runnable dsStatus(Resource<DaemonSet> d, int desired, int updated, int available) {
        return () -> d.editStatus(x -> {
            DaemonSetStatus st = new DaemonSetStatusBuilder().withDesiredNumberScheduled(desired)
                    .withUpdatedNumberScheduled(updated).withNumberAvailable(available)
                    .withObservedGeneration(x.getMetadata().getGeneration()).build();
            x.setStatus(st);
            return x;
        });
    }

    @Test
    void daemonSetWaitsForUpdatedAndAvailablePods() {
        String ns = namespace();
        var d = daemonSet(ns, "agent", "reg.example.com/agent:2.0");
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                dsStatus(d, 4, 2, 2),
                dsStatus(d, 4, 4, 3),
                dsStatus(d, 4, 4, 4));
        WatchResult r = watch(kube, Target.of(TargetKind.DAEMONSET, ns, "agent"), lines)
                .setImage("reg.example.com/agent:2.0").call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(lines.text()).contains("2/4 pods updated").contains("3/4 updated pods available");
    }

    @Test
    void daemonSetRunningAnotherTagTimesOut() {
        String ns = namespace();
        var d = daemonSet(ns, "agent", "reg.example.com/agent:2.0.1");
        dsStatus(d, 1, 1, 1).run();
        WatchResult r = watch(kube, Target.of(TargetKind.DAEMONSET, ns, "agent"), lines)
                .setImage("reg.example.com/agent:2.0").setTimeout(Duration.ofMillis(300)).call();
        assertThat(r.state()).isEqualTo(WatchResult.State.TIMED_OUT);
    }
}
