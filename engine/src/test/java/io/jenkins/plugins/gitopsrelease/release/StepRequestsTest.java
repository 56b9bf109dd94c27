package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step requests the Jenkins plugin sends to the agent: parameters plus platform settings mapped onto the engine
 * verbs, run against real parts, and what each contributes to the run's report.
 */
class StepRequestsTest {
    static final String PASSWORD = "canary-s3cr3t-STEPS";

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.withAuth("stager", PASSWORD);

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", PASSWORD);

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    @TempDir
    Path workspace;

    final List<String> log = new ArrayList<>();
    final Progress progress = log::add;

    static Path examples() {
        return Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
    }

    ReleaseSettings settings() {
        return new ReleaseSettings(null, null, null, null, null, null, null, List.of("release"), false, null,
                List.of(new ReleaseSettings.Environment("development", dev.host() + "/dev", null, null, null, null, null,
                                null, "shop-dev", null, null, null),
                        new ReleaseSettings.Environment("staging", staging.host() + "/staging", null, null, null, null,
                                null, null, "shop-staging", null, null, null)));
    }

    @Test
    void buildThenPromoteByEnvironmentKeepsTheDigest() throws Exception {
        copy(examples().resolve("hello-web"), workspace.resolve("app"));
        BuildImageRequest build = BuildImageRequest.create().image("hello-web:1.0", settings()).context("app")
                .builder("jib").insecureRegistries(List.of(dev.host()));
        assertThat(build.image()).isEqualTo(dev.host() + "/dev/hello-web:1.0");
        StepResult built = roundTrip(build.call(workspace, progress));
        assertThat(built.value("digest").toString()).matches("sha256:[0-9a-f]{64}");
        assertThat(built.value("image")).isEqualTo(dev.host() + "/dev/hello-web:1.0@" + built.value("digest"));
        assertThat(built.value("descriptor")).isEqualTo("app/workload.yaml");
        assertThat(dev.skopeoDigest("dev/hello-web:1.0")).isEqualTo(built.value("digest"));
        assertThat(Files.readString(workspace.resolve("build_result.json"))).contains(built.value("image").toString());

        PromoteImageRequest promote = PromoteImageRequest.create().environments("development", "staging", settings())
                .insecureRegistries(List.of(dev.host(), staging.host()))
                .destinationCredentials("stager", Secret.of(PASSWORD));
        StepResult promoted = roundTrip(promote.call(workspace, Map.of(), progress));
        assertThat(promoted.value("destination").toString()).startsWith(staging.host() + "/staging/hello-web:1.0");
        assertThat(promoted.value("digest")).isEqualTo(built.value("digest"));
        assertThat(staging.skopeoDigest("staging/hello-web:1.0")).isEqualTo(built.value("digest"));
        assertThat(String.join("\n", log)).doesNotContain(PASSWORD);

        ReleaseReport report = report(built, promoted);
        assertThat(report.image().digest()).isEqualTo(built.value("digest"));
        assertThat(report.promotions()).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo("development");
            assertThat(p.to()).isEqualTo("staging");
        });
        assertThat(report.environment("staging")).hasValueSatisfying(e ->
                assertThat(e.state()).isEqualTo(ReleaseReport.EnvironmentState.PROMOTED));
    }

    @Test
    void generateWritesTheReleaseIntoTheWorkspaceCheckout() throws Exception {
        copy(examples().resolve("gitops-repo"), workspace.resolve("gitops"));
        Files.copy(examples().resolve("hello-web/workload.yaml"), workspace.resolve("workload.yaml"));
        Files.createDirectories(workspace.resolve("docs"));
        Files.copy(examples().resolve("hello-web/docs/openapi.yaml"), workspace.resolve("docs/openapi.yaml"));
        StepResult r = roundTrip(GenerateRequest.create().root("gitops").namespace(null, settings()).project("shop")
                .component("hello-web").image("reg.example.com/hello-web:1.0@sha256:" + "a".repeat(64))
                .descriptor("workload.yaml").releaseName("hello-web-20260101-1").call(workspace, progress));
        assertThat(r.value("releaseName")).isEqualTo("hello-web-20260101-1");
        String dir = "namespaces/default/projects/shop/components/hello-web/";
        assertThat(workspace.resolve("gitops/" + dir + "releases/hello-web-20260101-1.yaml")).exists();
        assertThat(Files.readString(workspace.resolve("gitops/" + dir + "workload.yaml"))).contains("openapi");
        @SuppressWarnings("unchecked")
        List<String> created = (List<String>) r.value("created");
        assertThat(created).contains(dir + "release-bindings/hello-web-development.yaml");
        assertThat(report(r).filesChanged()).extracting(ReleaseReport.FileChanged::path).containsAll(created);

        assertThatThrownBy(() -> GenerateRequest.create().project("shop").component("hello-web").call(workspace, progress))
                .isInstanceOf(InvalidInputException.class).hasMessage("image: required");
    }

    @Test
    void openReleasePrFallsBackToTheSettingsAndPushes() throws Exception {
        String url = git.createRepository("steps", examples().resolve("gitops-repo"), "main");
        ReleaseSettings s = new ReleaseSettings(url, "main", null, null, null, null, null, List.of("release"), false,
                null, null);
        OpenReleasePrRequest req = OpenReleasePrRequest.create()
                .settings(s, null, null, null, null, null, List.of("hello"), null)
                .release("shop", "hello-web", "reg.example.com/hello-web:1.0", null, "hello-web-20260101-1", null,
                        "0123456789abcdef")
                .gitPassword("bot", Secret.of(PASSWORD));
        assertThat(req.repositoryUrl()).isEqualTo(url);
        assertThat(req.forge()).isEqualTo("none");
        StepResult r = roundTrip(req.call(workspace, progress));
        assertThat(r.value("branch")).isEqualTo("release/hello-web-20260101-1");
        assertThat(r.value("changed")).isEqualTo(true);
        assertThat(r.value("nextStep").toString()).contains("release/hello-web-20260101-1");
        // No targetEnv: the release was bound in the pipeline's root environment, and the result says which.
        assertThat(r.value("environment")).isEqualTo("development");
        assertThat(report(r).environment("development")).hasValueSatisfying(e ->
                assertThat(e.releaseName()).isEqualTo("hello-web-20260101-1"));
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("steps").toFile())) {
            assertThat(bare.resolve("refs/heads/release/hello-web-20260101-1").name()).isEqualTo(r.value("commit"));
        }
        ReleaseReport report = report(r);
        assertThat(report.pullRequest().state()).isEqualTo(ReleaseReport.PullRequestState.BRANCH_PUSHED);
        assertThat(report.filesChanged()).isNotEmpty();
        assertThat(String.join("\n", log) + r.values()).doesNotContain(PASSWORD);

        assertThatThrownBy(() -> OpenReleasePrRequest.create().settings(ReleaseSettings.defaults(), null, null, null,
                null, null, null, null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("repositoryUrl");
    }

    @Test
    void watchResolvesTheEnvironmentAndReportsFailuresAfterRecording() throws Exception {
        var client = kube.client();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("shop-dev").endMetadata().build()).createOr(x -> x.update());
        client.apps().deployments().inNamespace("shop-dev").resource(new DeploymentBuilder()
                .withNewMetadata().withName("hello-web").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage("reg.example.com/hello-web:1.0").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build()).create();
        ReleaseSettings s = settings();
        WatchDeploymentRequest ok = WatchDeploymentRequest.create().server(kube.url(), null, null)
                .componentIn("hello-web", "development", s).expect("reg.example.com/hello-web:1.0", null, null);
        StepResult ready = roundTrip(ok.call(workspace, progress));
        assertThat(ready.failure()).isNull();
        assertThat(ready.value("state")).isEqualTo("READY");
        assertThat(ready.value("target").toString()).contains("shop-dev").contains("hello-web");
        // A watch that names no release records the one the run generated; an explicit target keeps its environment.
        ReleaseReport.Builder generated = ReleaseReport.builder().setComponent("hello-web").setProject("shop")
                .setStartedAt(Instant.now()).setReleaseName("hello-web-20260101-1");
        ready.contributeTo(generated);
        assertThat(generated.setFinishedAt(Instant.now()).build().environment("development"))
                .hasValueSatisfying(e -> assertThat(e.releaseName()).isEqualTo("hello-web-20260101-1"));
        StepResult byName = WatchDeploymentRequest.create().server(kube.url(), null, null)
                .target("deployment", "hello-web", "shop-dev").environment("development").call(workspace, progress);
        assertThat(byName.value("environment")).isEqualTo("development");
        assertThat(report(byName).environment("development")).hasValueSatisfying(e ->
                assertThat(e.state()).isEqualTo(ReleaseReport.EnvironmentState.DEPLOYED));

        client.apps().deployments().inNamespace("shop-dev").resource(new DeploymentBuilder()
                .withNewMetadata().withName("stuck").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage("reg.example.com/stuck:1.0").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(0)
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"stuck-1\" has timed out progressing.").endCondition().endStatus().build())
                .create();
        StepResult failed = roundTrip(WatchDeploymentRequest.create().server(kube.url(), null, null)
                .target("deployment", "stuck", "shop-dev").call(workspace, progress));
        assertThat(failed.value("state")).isEqualTo("FAILED");
        assertThat(failed.failure()).isEqualTo("Deployment shop-dev/stuck exceeded its progress deadline: ReplicaSet"
                + " \"stuck-1\" has timed out progressing.");
        assertThat(report(failed).errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("stuck"));

        assertThatThrownBy(() -> WatchDeploymentRequest.create().componentIn("hello-web", "qa", s))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'qa'");
    }

    static ReleaseReport report(StepResult... results) {
        ReleaseReport.Builder b = ReleaseReport.builder().setComponent("hello-web").setProject("shop")
                .setStartedAt(Instant.now());
        for (StepResult r : results) {
            r.contributeTo(b);
        }
        return b.setFinishedAt(Instant.now()).build();
    }

    /** What the agent sends back must survive Java serialization (Jenkins remoting). */
    static StepResult roundTrip(StepResult r) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (StepResult) in.readObject();
        }
    }

    static void copy(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        }
    }
}
