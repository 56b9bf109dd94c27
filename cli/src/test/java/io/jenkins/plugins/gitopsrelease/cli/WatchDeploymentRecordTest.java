package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch-deployment --record-image IMAGE --environment ENV}: a ready rollout records {@code deployed.ENV} on the
 * build in the real registry, through the same engine path as the Jenkins step (RecordWriter); the inputs are checked
 * before the watch, and a failed write is a warning, never a failed watch.
 */
class WatchDeploymentRecordTest {
    static final String CANARY = "canary-s3cr3t-WATCHREC-5d1e";

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @RegisterExtension
    static RegistryFixture registry = RegistryFixture.plain();

    @TempDir
    static Path dir;

    static Path tokenFile;
    static Manifest image;
    static String ref;

    @BeforeAll
    static void objects() throws Exception {
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, CANARY + "\n");
        image = TestImages.image(registry, "shop/web", "1.0", "amd64", 1000);
        ref = registry.host() + "/shop/web@" + image.digest();
        kube.client().apps().deployments().inNamespace("shop-staging").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("web")
                .withImage(ref).endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build()).create();
    }

    static WatchDeploymentCommandTest.Run watch(String... rest) {
        List<String> a = new ArrayList<>(List.of("watch-deployment", "--server", kube.url(), "--token-file",
                tokenFile.toString(), "--deployment", "web", "-n", "shop-staging", "--image", ref, "--timeout", "20s"));
        a.addAll(List.of(rest));
        return WatchDeploymentCommandTest.run(a.toArray(String[]::new));
    }

    static BuildRecord record() {
        return ReadRecord.image(ref).insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).call();
    }

    @Test
    void aReadyRolloutRecordsDeployedInTheEnvironment() {
        WatchDeploymentCommandTest.Run r = watch("--record-image", ref, "--environment", "staging",
                "--insecure-registry", registry.host());
        assertThat(r.code()).as(r.all()).isZero();
        Annotation a = record().latest("deployed.staging").orElseThrow();
        assertThat(a.value()).startsWith("PT");
        assertThat(a.writer()).startsWith("cli:watch-deployment");
        assertThat(r.all()).contains("recorded deployed.staging=").doesNotContain(CANARY);
    }

    @Test
    void badRecordInputsAreRefusedBeforeTheWatch() {
        int before = record().annotations().size();
        WatchDeploymentCommandTest.Run tag = watch("--record-image", registry.host() + "/shop/web:1.0",
                "--environment", "staging", "--insecure-registry", registry.host());
        assertThat(tag.code()).isEqualTo(2);
        assertThat(tag.err()).contains("--record-image").contains("by digest");
        WatchDeploymentCommandTest.Run noEnv = watch("--record-image", ref, "--insecure-registry", registry.host());
        assertThat(noEnv.code()).isEqualTo(2);
        assertThat(noEnv.err()).contains("--record-image needs --environment");
        WatchDeploymentCommandTest.Run badEnv = watch("--record-image", ref, "--environment", "Prod Env",
                "--insecure-registry", registry.host());
        assertThat(badEnv.code()).isEqualTo(2);
        assertThat(badEnv.err()).contains("deployed.Prod Env");
        WatchDeploymentCommandTest.Run halfAuth = watch("--record-image", ref, "--environment", "staging",
                "--registry-username", "bob");
        assertThat(halfAuth.code()).isEqualTo(2);
        assertThat(record().annotations()).hasSize(before); // nothing was watched or written
    }

    @Test
    void aFailedWriteIsAWarningNotAFailedWatch() {
        // the build's registry is not reachable (nothing listens on the port): the watch itself succeeded
        String dead = "127.0.0.1:" + io.jenkins.plugins.gitopsrelease.testinfra.FreePorts.next();
        WatchDeploymentCommandTest.Run r = watch("--record-image", dead + "/shop/web@" + image.digest(),
                "--environment", "qa", "--insecure-registry", dead);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.all()).contains("could not record deployed.qa");
    }
}
