package io.jenkins.plugins.gitopsrelease.deploy;

import static io.jenkins.plugins.gitopsrelease.deploy.DeploymentWatchTest.replicas;
import static io.jenkins.plugins.gitopsrelease.deploy.DeploymentWatchTest.status;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.CANARY;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.PromoteImage;
import io.jenkins.plugins.gitopsrelease.image.PromoteResult;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.FreePorts;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "source environment is healthy" promotion gate against real registries and the Kubernetes mock: it passes only
 * when the source Deployment runs the promoted digest and finished its rollout; otherwise nothing is copied.
 */
class DeployedGateTest {
    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture prod = RegistryFixture.plain();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    static final AtomicInteger N = new AtomicInteger();

    private static KubeAccess access() {
        return KubeAccess.server(kube.url(), Secret.of(CANARY), null, null);
    }

    private static PromoteImage promote(String repo, DeployedGate gate) {
        return PromoteImage.from(dev.host() + "/" + repo + ":1.0").to(prod.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).auth(TestImages.auth(dev, prod)).gate(gate);
    }

    private static void assertNothingPromoted(String repo, Manifest img) {
        assertThat(TestImages.client(prod).headManifest(repo, "1.0")).isEmpty();
        assertThat(TestImages.client(prod).headManifest(repo, img.digest())).isEmpty();
    }

    @Test
    void passesWhenTheSourceDeploymentIsReadyWithTheDigest() {
        String repo = "shop/web" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000, 20_000);
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "hello-web", dev.host() + "/" + repo + "@" + img.digest(), 3);
        status(d, replicas(3, 3, 3, 3)).run();

        PromoteResult r = promote(repo, DeployedGate.of(access(), Target.of(TargetKind.DEPLOYMENT, ns, "hello-web")))
                .call();

        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(prod.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
    }

    @Test
    void namedContainerMustRunTheDigest() {
        String repo = "shop/ctr" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000);
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "hello-web", dev.host() + "/" + repo + "@" + img.digest(), 1);
        status(d, replicas(1, 1, 1, 1)).run();
        Target t = Target.of(TargetKind.DEPLOYMENT, ns, "hello-web");

        assertThatThrownBy(() -> promote(repo, DeployedGate.of(access(), t, List.of("sidecar"))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("promotion refused by gate")
                .hasMessageContaining("container sidecar runs envoyproxy/envoy:v1.30");
        assertNothingPromoted(repo, img);

        PromoteResult r = promote(repo, DeployedGate.of(access(), t, List.of("app"))).call();
        assertThat(prod.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest()).isEqualTo(r.sourceDigest());
    }

    @Test
    void refusedWhenTheDeploymentRunsAnotherDigest() {
        String repo = "shop/other" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000);
        Manifest older = TestImages.image(dev, repo, "0.9", "amd64", 1200);
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "hello-web", dev.host() + "/" + repo + "@" + older.digest(), 2);
        status(d, replicas(2, 2, 2, 2)).run();

        assertThatThrownBy(() -> promote(repo, DeployedGate.of(access(), Target.of(TargetKind.DEPLOYMENT, ns,
                "hello-web"))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("promotion refused by gate: Deployment " + ns + "/hello-web does not run the"
                        + " promoted " + img.digest())
                .hasMessageContaining(older.digest())
                .hasMessageNotContaining(CANARY);
        assertNothingPromoted(repo, img);
    }

    @Test
    void refusedWhenTheRolloutIsNotFinished() {
        String repo = "shop/rolling" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000);
        String ns = namespace();
        var d = DeploymentWatchTest.create(kube, ns, "hello-web", dev.host() + "/" + repo + "@" + img.digest(), 3);
        status(d, replicas(3, 1, 1, 1)).run();

        assertThatThrownBy(() -> promote(repo, DeployedGate.of(access(), Target.of(TargetKind.DEPLOYMENT, ns,
                "hello-web"))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Deployment " + ns + "/hello-web runs " + img.digest()
                        + " but is not ready: 1/3 replicas updated");
        assertNothingPromoted(repo, img);
    }

    @Test
    void refusedWhenTheObjectIsMissing() {
        String repo = "shop/missing" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000);
        String ns = namespace();

        assertThatThrownBy(() -> promote(repo, DeployedGate.of(access(), Target.of(TargetKind.DEPLOYMENT, ns,
                "hello-web"))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("promotion refused by gate: Deployment " + ns + "/hello-web not found")
                .hasMessageNotContaining(CANARY);
        assertNothingPromoted(repo, img);
    }

    @Test
    void unreachableApiServerFailsClearlyAndCopiesNothing() {
        String repo = "shop/down" + N.incrementAndGet();
        Manifest img = TestImages.image(dev, repo, "1.0", "amd64", 1000);
        KubeAccess down = KubeAccess.server("http://127.0.0.1:" + FreePorts.next(), Secret.of(CANARY), null, null);

        assertThatThrownBy(() -> promote(repo, DeployedGate.of(down, Target.of(TargetKind.DEPLOYMENT, "shop-dev",
                "hello-web"))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cannot reach the Kubernetes API server")
                .hasMessageNotContaining(CANARY);
        assertNothingPromoted(repo, img);
    }

    @Test
    void onlyWorkloadsCanBeRequired() {
        assertThatThrownBy(() -> DeployedGate.of(access(), Target.of(TargetKind.HELMRELEASE, "flux", "web")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--require-deployed").hasMessageContaining("Deployment, StatefulSet or DaemonSet");
    }
}
