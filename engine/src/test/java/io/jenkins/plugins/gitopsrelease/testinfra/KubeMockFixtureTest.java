package io.jenkins.plugins.gitopsrelease.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mock serves CRUD with status subresources for built-in and registered custom kinds, and cuts watches on demand. */
class KubeMockFixtureTest {
    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @Test
    void bindsToLoopbackAndServesRegisteredCrds() {
        assertThat(kube.url()).isEqualTo("http://127.0.0.1:" + kube.port() + "/");
        assertThat(kube.client().apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getSpec().getNames().getKind())
                .contains("HelmRelease", "Kustomization", "GitRepository", "Application", "ReleaseBinding");
    }

    @Test
    void customResourceStatusIsASubresource() {
        var hr = kube.client().genericKubernetesResources(KubeMockFixture.HELM_RELEASE).inNamespace("fx");
        hr.resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("helm.toolkit.fluxcd.io/v2").withKind("HelmRelease")
                .withNewMetadata().withName("app").withNamespace("fx").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("interval", "1m"))).build()).create();
        hr.withName("app").editStatus(r -> {
            r.setAdditionalProperty("status", Map.of("lastAppliedRevision", "main@sha1:abc"));
            return r;
        });
        GenericKubernetesResource got = hr.withName("app").get();
        assertThat(got.<String>get("status", "lastAppliedRevision")).isEqualTo("main@sha1:abc");
        assertThat(got.<String>get("spec", "interval")).isEqualTo("1m");
    }

    @Test
    void watchSeesStatusUpdateAndDropWatchesCutsIt() throws Exception {
        var deployments = kube.client().apps().deployments().inNamespace("fx");
        deployments.resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().build()).create();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        int before = kube.requestCount();
        Watch w = deployments.withName("web").watch(new Watcher<Deployment>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
                events.add(action + " " + ready);
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("closed");
            }
        });
        try {
            // The mock replays the current object as ADDED when a watch opens.
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED null");
            assertThat(kube.requestCount()).isGreaterThan(before);
            deployments.withName("web").editStatus(d -> {
                d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                        .withReadyReplicas(2).build());
                return d;
            });
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("MODIFIED 2");
            assertThat(kube.openWatches()).isEqualTo(1);
            assertThat(kube.dropWatches()).isEqualTo(1);
            // fabric8 reconnects on its own; the reconnected watch replays the object again.
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED 2");
        } finally {
            w.close();
        }
    }
}
