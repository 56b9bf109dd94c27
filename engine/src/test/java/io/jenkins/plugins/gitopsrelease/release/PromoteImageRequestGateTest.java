package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The promoteImage step's "source environment is healthy" gate, resolved from the settings like watchDeployment. */
class PromoteImageRequestGateTest {
    static final String CANARY = "canary-s3cr3t-STEPGATE";

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.plain();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    Path workspace;

    ReleaseSettings settings(String namespace) {
        return new ReleaseSettings(null, null, null, null, null, null, null, List.of("release"), false, null,
                List.of(new ReleaseSettings.Environment("development", dev.host() + "/dev", null, null, null, null,
                                kube.url(), null, namespace, null, null, null),
                        new ReleaseSettings.Environment("staging", staging.host() + "/staging", null, null, null, null,
                                null, null, "shop-staging", null, null, null)));
    }

    static void deployment(String ns, String image, int updated) {
        var d = kube.client().resource(new DeploymentBuilder()
                .withNewMetadata().withName("hello-web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
                .addNewContainer().withName("web").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        var status = new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(2).withUpdatedReplicas(updated).withReadyReplicas(2).withAvailableReplicas(2).build();
        kube.client().apps().deployments().inNamespace(ns).withName("hello-web").editStatus(x -> {
            x.setStatus(status);
            return x;
        });
    }

    PromoteImageRequest request(String ns) {
        return PromoteImageRequest.create().environments("development", "staging", settings(ns))
                .image("hello-web:1.0").insecureRegistries(List.of(dev.host(), staging.host()))
                .kubeServer(null, Secret.of(CANARY), null)
                .requireSourceDeployed("hello-web", settings(ns));
    }

    @Test
    void promotesWhenTheSourceEnvironmentRunsTheDigestAndIsReady() {
        Manifest img = TestImages.image(dev, "dev/hello-web", "1.0", "amd64", 1000);
        deployment("step-ok", dev.host() + "/dev/hello-web@" + img.digest(), 2);
        PromoteImageRequest req = request("step-ok");
        assertThat(req.secrets()).extracting(Secret::reveal).contains(CANARY);
        StepResult r = req.call(workspace, Map.of(), Progress.NONE);
        assertThat(r.value("digest")).isEqualTo(img.digest());
        assertThat(staging.skopeoDigest("staging/hello-web:1.0")).isEqualTo(img.digest());
    }

    @Test
    void refusesAnUnfinishedRolloutAndCopiesNothing() {
        Manifest img = TestImages.image(dev, "dev/hello-web", "1.0", "amd64", 1000);
        deployment("step-rolling", dev.host() + "/dev/hello-web@" + img.digest(), 1);
        assertThatThrownBy(() -> request("step-rolling").call(workspace, Map.of(), Progress.NONE))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Deployment step-rolling/hello-web runs " + img.digest()
                        + " but is not ready: 1/2 replicas updated")
                .hasMessageNotContaining(CANARY);
        assertThat(TestImages.client(staging).headManifest("staging/hello-web", img.digest())).isEmpty();
    }

    @Test
    void explicitTargetAndBadInputs() {
        Manifest img = TestImages.image(dev, "dev/hello-web", "1.0", "amd64", 1000);
        assertThatThrownBy(() -> PromoteImageRequest.create().requireSourceDeployed("hello-web",
                settings("x"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> PromoteImageRequest.create().requireDeployedIn("pod", "a", "b"))
                .isInstanceOf(InvalidInputException.class);
        PromoteImageRequest absent = PromoteImageRequest.create()
                .direct(dev.host() + "/dev/hello-web:1.0", staging.host() + "/explicit/hello-web:1.0")
                .insecureRegistries(List.of(dev.host(), staging.host()))
                .kubeServer(kube.url(), Secret.of(CANARY), null).requireDeployedIn("deployment", "nope", "step-x");
        assertThatThrownBy(() -> absent.call(workspace, Map.of(), Progress.NONE))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Deployment step-x/nope not found");
        assertThat(TestImages.client(staging).headManifest("explicit/hello-web", img.digest())).isEmpty();
    }
}
