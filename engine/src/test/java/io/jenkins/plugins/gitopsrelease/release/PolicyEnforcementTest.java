package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotate;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy;
import io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps evaluate the target environment's policy from the settings and refuse before writing anything; the
 * writers (watchDeployment, promoteImage) add to the record the next policy reads.
 */
class PolicyEnforcementTest {
    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.plain();

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.anonymous();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    Path workspace;

    static final Map<String, String> RUN = Map.of("BUILD_URL", "https://jenkins.example/job/shop/9/",
            "JOB_NAME", "shop", "BUILD_NUMBER", "9");

    ReleaseSettings settings(String repositoryUrl) {
        return new ReleaseSettings(repositoryUrl, "main", null, null, null, null, null, null, false, null, List.of(
                new ReleaseSettings.Environment("development", dev.host() + "/dev", null, null, null, null, kube.url(),
                        null, "shop-dev", null, null, null),
                new ReleaseSettings.Environment("staging", staging.host() + "/staging", null, null, null, null, null,
                        null, "shop-staging", null, null, new EnvironmentPolicy(
                                List.of("deployed.development", "smoke=passed"), null, null, null)),
                new ReleaseSettings.Environment("production", staging.host() + "/prod", null, null, null, null, null,
                        null, "shop-prod", null, null, new EnvironmentPolicy(List.of("deployed.staging"), "30m", null,
                                List.of("alice")))));
    }

    PromoteImageRequest promote(String image) {
        return PromoteImageRequest.create().environments("development", "staging", settings(null)).image(image)
                .insecureRegistries(List.of(dev.host(), staging.host()));
    }

    @Test
    void promotionIsRefusedListingEveryRuleThenAllowedOnceTheRecordShowsThem() {
        Manifest img = TestImages.image(dev, "dev/hello-web", "1.0", "amd64", 1000);
        assertThatThrownBy(() -> promote("hello-web:1.0").call(workspace, RUN, Progress.NONE))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("policy of environment 'staging' refuses")
                .hasMessageContaining("2 rules unmet")
                .hasMessageContaining("1) deployed.development").hasMessageContaining("2) smoke=passed");
        assertThat(TestImages.client(staging).tags("staging/hello-web")).isEmpty(); // nothing written
        // the refusal carries the evaluation and the record it judged (what the Jenkins run page shows)
        assertThatThrownBy(() -> promote("hello-web:1.0").call(workspace, RUN, Progress.NONE))
                .isInstanceOfSatisfying(PolicyRefusedException.class, e -> {
                    assertThat(e.result().environment()).isEqualTo("staging");
                    assertThat(e.result().unmet()).extracting(PolicyResult.Rule::rule)
                            .containsExactly("deployed.development", "smoke=passed");
                    assertThat(e.record().digest()).isEqualTo(img.digest());
                    StepResult refused = StepResult.refused(Verbs.PROMOTE_IMAGE, e, e.getMessage(),
                            java.time.Duration.ZERO);
                    assertThat(refused.failure()).isEqualTo(e.getMessage());
                    assertThat(RecordJson.policy(refused.policyJson().get(0), "test").allowed()).isFalse();
                    assertThat(RecordJson.record(refused.recordJson(), "test").digest()).isEqualTo(img.digest());
                });

        // the writers: a ready rollout in development records deployed.development; a test stage records smoke
        kube.client().apps().deployments().inNamespace("shop-dev").resource(new DeploymentBuilder()
                .withNewMetadata().withName("hello-web").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage(dev.host() + "/dev/hello-web@" + img.digest()).endContainer().endSpec().endTemplate()
                .endSpec().withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1)
                .withReadyReplicas(1).withAvailableReplicas(1).endStatus().build()).create();
        StepResult watched = WatchDeploymentRequest.create().componentIn("hello-web", "development", settings(null))
                .expect(dev.host() + "/dev/hello-web:1.0@" + img.digest(), null, null)
                .record(true, null, List.of(dev.host())).call(workspace, RUN, Progress.NONE);
        assertThat(watched.value("recorded")).isEqualTo(true);
        assertThat(RecordJson.record(watched.recordJson(), "watch").latest("deployed.development")).isPresent();
        Annotate.image(dev.host() + "/dev/hello-web:1.0").insecure(List.of(dev.host())).auth(RegistryAuth.anonymous())
                .annotation("smoke", "failed").call();
        assertThatThrownBy(() -> promote("hello-web:1.0").call(workspace, RUN, Progress.NONE))
                .hasMessageContaining("1 rule unmet").hasMessageContaining("latest is smoke=failed");
        Annotate.image(dev.host() + "/dev/hello-web:1.0").insecure(List.of(dev.host())).auth(RegistryAuth.anonymous())
                .annotation("smoke", "passed").call();

        StepResult r = promote("hello-web:1.0").call(workspace, RUN, Progress.NONE);
        assertThat(r.value("digest")).isEqualTo(img.digest());
        assertThat(r.value("recorded")).isEqualTo(true);
        // captured on the agent after the write: the destination's record, and the policy that let it through
        BuildRecord captured = RecordJson.record(r.recordJson(), "promote");
        assertThat(captured.image()).isEqualTo(staging.host() + "/staging/hello-web@" + img.digest());
        assertThat(captured.latest("promoted.staging")).isPresent();
        assertThat(r.policyJson()).hasSize(1);
        PolicyResult judged = RecordJson.policy(r.policyJson().get(0), "promote");
        assertThat(judged.environment()).isEqualTo("staging");
        assertThat(judged.allowed()).isTrue();
        assertThat(judged.rules()).hasSize(2);
        BuildRecord there = ReadRecord.image(staging.host() + "/staging/hello-web:1.0").insecure(List.of(staging.host()))
                .auth(RegistryAuth.anonymous()).call();
        assertThat(there.annotations()).extracting(a -> a.key() + "=" + a.value().replaceAll("^PT.*", "PT"))
                .startsWith("deployed.development=PT", "smoke=failed", "smoke=passed");
        assertThat(there.latest("promoted.staging").orElseThrow().value())
                .isEqualTo(staging.host() + "/staging/hello-web:1.0@" + img.digest());
        assertThat(there.latest("promoted.staging").orElseThrow().runUrl()).isEqualTo(RUN.get("BUILD_URL"));
        assertThat(there.latest("deployed.development").orElseThrow().writer()).isEqualTo("watchDeployment (shop #9)");
        assertThat(there.latest("deployed.development").orElseThrow().value()).startsWith("PT");
    }

    @Test
    void generateAndOpenReleasePrRefuseBeforeWritingAFileOrABranch() throws Exception {
        Manifest img = TestImages.image(staging, "staging/hello-web", "2.0", "amd64", 1000);
        String image = staging.host() + "/staging/hello-web:2.0@" + img.digest();
        StepRequestsTest.copy(StepRequestsTest.examples().resolve("gitops-repo"), workspace.resolve("gitops"));
        List<String> before = files(workspace.resolve("gitops"));
        assertThatThrownBy(() -> GenerateRequest.create().root("gitops").namespace(null, settings(null))
                .policySettings(settings(null), List.of(staging.host())).project("shop").component("hello-web")
                .image(image).targetEnv("production").call(workspace, RUN, Progress.NONE))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("policy of environment 'production' refuses")
                .hasMessageContaining("3 rules unmet").hasMessageContaining("deployed.staging")
                .hasMessageContaining("soak 30m in staging").hasMessageContaining("approved-by one of [alice]");
        assertThat(files(workspace.resolve("gitops"))).isEqualTo(before);

        String url = git.createRepository("policy", StepRequestsTest.examples().resolve("gitops-repo"), "main");
        ReleaseSettings s = settings(url);
        OpenReleasePrRequest pr = OpenReleasePrRequest.create().settings(s, null, null, null, null, null, null, null)
                .policySettings(s, List.of(staging.host()))
                .release("shop", "hello-web", image, null, "hello-web-2", "production", null);
        assertThatThrownBy(() -> pr.call(workspace, RUN, Progress.NONE)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("3 rules unmet");
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("policy").toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/")).extracting(r -> r.getName())
                    .containsExactly("refs/heads/main");
        }

        // staging has no soak rule met yet, but development (no policy) is open; the same request without a
        // targetEnv is not subject to a policy
        StepResult ok = GenerateRequest.create().root("gitops").namespace(null, settings(null)).project("shop")
                .component("hello-web").image(image).call(workspace, RUN, Progress.NONE);
        assertThat(ok.values()).doesNotContainKey("policy");
    }

    @Test
    void annotateBuildStepWritesAsTheJenkinsRun() {
        Manifest img = TestImages.image(dev, "dev/annotated", "3.0", "amd64", 1000);
        assertThatThrownBy(() -> AnnotateBuildRequest.create().image(dev.host() + "/dev/annotated:3.0")
                .annotations(Map.of("Smoke Test", "passed"))).hasMessageContaining("Smoke Test");
        AnnotateBuildRequest req = AnnotateBuildRequest.create().image(dev.host() + "/dev/annotated:3.0")
                .annotations(new java.util.LinkedHashMap<>(Map.of("smoke", "passed")))
                .insecureRegistries(List.of(dev.host()));
        StepResult r = req.run(workspace, RUN, Progress.NONE);
        assertThat(r.value("digest")).isEqualTo(img.digest());
        var a = ReadRecord.image(dev.host() + "/dev/annotated:3.0").insecure(List.of(dev.host()))
                .auth(RegistryAuth.anonymous()).call().latest("smoke").orElseThrow();
        assertThat(a.writer()).isEqualTo("jenkins:shop #9");
        assertThat(a.runUrl()).isEqualTo(RUN.get("BUILD_URL"));
        assertThat(RecordJson.record(r.recordJson(), "annotate").latest("smoke").orElseThrow().writer())
                .isEqualTo("jenkins:shop #9");
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> w = Files.walk(dir)) {
            return w.map(p -> dir.relativize(p) + ":" + (Files.isRegularFile(p) ? p.toFile().length() : -1)).sorted()
                    .toList();
        }
    }
}
