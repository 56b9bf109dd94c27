package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
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

/** promote-image --require-deployed / --require-source-deployed against real registries and the Kubernetes mock. */
class PromoteImageGateCommandTest {
    static final String CANARY = "canary-s3cr3t-GATE-5e1";

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture prod = RegistryFixture.plain();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path tokenFile() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, CANARY + "\n");
        return f;
    }

    static void deployment(String ns, String name, String image, int updated) {
        var d = kube.client().resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
                .addNewContainer().withName("web").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        var status = new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(2).withUpdatedReplicas(updated).withReadyReplicas(2).withAvailableReplicas(2).build();
        kube.client().apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
            x.setStatus(status);
            return x;
        });
    }

    List<String> promote(String repo, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("promote-image", "--from", dev.host() + "/" + repo + ":1.0",
                "--to", prod.host() + "/" + repo + ":1.0", "--src-insecure", "--dest-insecure",
                "--server", kube.url(), "--token-file", tokenFile().toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void requireDeployedPassesWhenTheSourceRunsTheDigestAndIsReady() throws Exception {
        Manifest img = TestImages.image(dev, "shop/ok", "1.0", "amd64", 1000);
        deployment("gate-ok", "hello-web", dev.host() + "/shop/ok@" + img.digest(), 2);
        Run r = run(promote("shop/ok", "--require-deployed", "deployment/gate-ok/hello-web",
                "--require-container", "web"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(prod.skopeoDigest("shop/ok:1.0")).isEqualTo(img.digest());
        assertThat(r.all()).doesNotContain(CANARY);
    }

    @Test
    void requireDeployedRefusesAnotherDigestAndAnUnfinishedRollout() throws Exception {
        Manifest img = TestImages.image(dev, "shop/no", "1.0", "amd64", 1000);
        Manifest old = TestImages.image(dev, "shop/no", "0.9", "amd64", 1100);
        deployment("gate-no", "old", dev.host() + "/shop/no@" + old.digest(), 2);
        deployment("gate-no", "rolling", dev.host() + "/shop/no@" + img.digest(), 1);

        Run other = run(promote("shop/no", "--require-deployed", "deployment/gate-no/old"));
        assertThat(other.code()).as(other.all()).isEqualTo(1);
        assertThat(other.err()).contains("promotion refused by gate: Deployment gate-no/old does not run the"
                + " promoted " + img.digest()).contains(old.digest());
        Run rolling = run(promote("shop/no", "--require-deployed", "deployment/gate-no/rolling"));
        assertThat(rolling.code()).as(rolling.all()).isEqualTo(1);
        assertThat(rolling.err()).contains("is not ready: 1/2 replicas updated");
        Run missing = run(promote("shop/no", "--require-deployed", "deployment/gate-no/absent"));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Deployment gate-no/absent not found");
        assertThat(TestImages.client(prod).headManifest("shop/no", "1.0")).isEmpty();
        assertThat(other.all() + rolling.all() + missing.all()).doesNotContain(CANARY);
    }

    @Test
    void requireSourceDeployedResolvesTheWorkloadFromTheSourceEnvironment() throws Exception {
        Manifest img = TestImages.image(dev, "team/web", "1.0", "amd64", 1000);
        deployment("shop-dev", "web", dev.host() + "/team/web@" + img.digest(), 2);
        Path config = dir.resolve("gitops-release.yaml");
        Files.writeString(config, """
                repositoryUrl: https://git.example.com/shop/gitops.git
                environments:
                  - name: dev
                    namespace: shop-dev
                    kubeServerUrl: %s
                  - name: prod
                """.formatted(kube.url()));
        Path br = dir.resolve("build_result.json");
        BuildResult.of(new BuildResult.Build("web", dev.host() + "/team/web:1.0@" + img.digest())).write(br);
        Run r = run(List.of("promote-image", "--build-result", br.toString(), "--source", "dev",
                "--destination", "prod", "--environment", "dev=" + dev.host() + "/team",
                "--environment", "prod=" + prod.host() + "/release", "--src-insecure", "--dest-insecure",
                "--require-source-deployed", "web", "--config", config.toString(),
                "--token-file", tokenFile().toString()));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(prod.skopeoDigest("release/web:1.0")).isEqualTo(img.digest());
    }

    @Test
    void badGateOptionsAreUsageErrors() throws Exception {
        Run malformed = run(promote("shop/x", "--require-deployed", "deployment/hello-web"));
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("--require-deployed").contains("KIND/NAMESPACE/NAME");
        Run flux = run(promote("shop/x", "--require-deployed", "helmrelease/flux/web"));
        assertThat(flux.code()).isEqualTo(2);
        assertThat(flux.err()).contains("only a Deployment, StatefulSet or DaemonSet runs an image");
        Run container = run(promote("shop/x", "--require-container", "web"));
        assertThat(container.code()).isEqualTo(2);
        assertThat(container.err()).contains("--require-container");
    }
}
