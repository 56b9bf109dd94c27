package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release with nothing configured: OCI layout, a local bare GitOps repository, no forge. */
class ReleaseTest {
    static final String REV = "0badc0de0123456789abcdef0123456789abcdef";

    @TempDir
    Path ws;

    final List<String> log = new ArrayList<>();
    final Progress progress = log::add;

    ReleaseSettings localRepo() {
        Path bare = ws.resolve(".gitops-release/gitops.git");
        assertThat(LocalGitOpsRepository.seedIfMissing(bare, StepRequestsTest.examples().resolve("gitops-repo"), "main"))
                .isTrue();
        assertThat(LocalGitOpsRepository.seedIfMissing(bare, StepRequestsTest.examples().resolve("gitops-repo"), "main"))
                .as("an existing repository is left alone").isFalse();
        return new ReleaseSettings(bare.toString(), null, null, null, null, null, null, null, false,
                "https://console.example.com/{project}/{component}?env={environment}",
                List.of(ReleaseSettings.Environment.named("development"), ReleaseSettings.Environment.named("staging")));
    }

    Release release(ReleaseSettings s) throws Exception {
        if (!Files.exists(ws.resolve("app"))) {
            StepRequestsTest.copy(StepRequestsTest.examples().resolve("hello-web"), ws.resolve("app"));
        }
        return Release.of(s).workspace(ws).project("shop").component("hello-web").context("app").builder("jib")
                .revision(REV).progress(progress);
    }

    @Test
    void embeddedDefaultsPutTheImageInAnOciLayoutAndPushTheBranchLocally() throws Exception {
        Release.Result r = release(localRepo()).call();

        assertThat(r.image()).startsWith("oci:" + ws.resolve(".gitops-release/images") + ":0badc0de@sha256:");
        assertThat(ws.resolve(".gitops-release/images/index.json")).exists();
        String digest = r.report().image().digest();
        assertThat(r.deployImage()).isEqualTo("hello-web:0badc0de@" + digest);
        assertThat(Files.readString(ws.resolve(".gitops-release/build_result.json"))).contains(digest);
        try (Repository bare = FileRepositoryBuilder.create(ws.resolve(".gitops-release/gitops.git").toFile())) {
            assertThat(bare.resolve("refs/heads/" + r.branch()).name()).isEqualTo(r.commit());
            assertThat(bare.resolve("refs/heads/main").name()).isNotEqualTo(r.commit());
        }
        assertThat(r.files()).anyMatch(f -> f.endsWith("release-bindings/hello-web-development.yaml"));

        ReleaseReport report = ReportJson.read(ws.resolve(".gitops-release/report.json"));
        assertThat(report.outcome()).isEqualTo(ReleaseReport.Outcome.SUCCESS);
        assertThat(report.pullRequest().state()).isEqualTo(ReleaseReport.PullRequestState.BRANCH_PUSHED);
        assertThat(report.notes()).anyMatch(n -> n.contains("open a pull request from " + r.branch() + " into main"));
        assertThat(report.notes()).anyMatch(n -> n.contains("skopeo copy oci:"));
        assertThat(report.componentLink()).isEqualTo("https://console.example.com/shop/hello-web?env=development");
        assertThat(report.stages()).extracting(ReleaseReport.StageTiming::stage)
                .containsExactly("build", "generate", "push branch", "PR");
        assertThat(Files.readString(ws.resolve(".gitops-release/report.html"))).contains(digest);

        // A rerun: same digest, same release, the branch is already up to date.
        Release.Result again = release(localRepo2()).call();
        assertThat(again.image()).isEqualTo(r.image());
        assertThat(again.branch()).isEqualTo(r.branch());
        assertThat(again.commit()).isEqualTo(r.commit());
    }

    /** The same settings as the first run, without seeding again. */
    ReleaseSettings localRepo2() {
        return new ReleaseSettings(ws.resolve(".gitops-release/gitops.git").toString(), null, null, null, null, null,
                null, null, false, null, List.of(ReleaseSettings.Environment.named("development")));
    }

    @Test
    void failedGenerationPushesNoBranchAndWritesAFailedReport() throws Exception {
        Release r = release(localRepo()).project("no-such-project").report(Path.of("out/r.json"));
        assertThatThrownBy(r::call).isInstanceOf(InvalidInputException.class);
        ReleaseReport report = ReportJson.read(ws.resolve("out/r.json"));
        assertThat(ws.resolve("out/r.html")).exists();
        assertThat(report.outcome()).isEqualTo(ReleaseReport.Outcome.FAILED);
        assertThat(report.errors()).singleElement().satisfies(e -> assertThat(e.stage()).isEqualTo("generate"));
        assertThat(report.stages()).extracting(ReleaseReport.StageTiming::stage).containsExactly("build", "generate");
        try (Repository bare = FileRepositoryBuilder.create(ws.resolve(".gitops-release/gitops.git").toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/release/")).isEmpty();
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingRuns() throws Exception {
        assertThatThrownBy(() -> release(ReleaseSettings.defaults()).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("repositoryUrl");
        ReleaseSettings s = localRepo();
        assertThatThrownBy(() -> Release.of(s).workspace(ws).project("shop").component("hello-web")
                .waitMerge(java.time.Duration.ofMinutes(1)).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--wait-merge");
        assertThatThrownBy(() -> Release.of(s).workspace(ws).project("shop").component("hello-web").promoteTo("prod")
                .call()).isInstanceOf(InvalidInputException.class).hasMessageContaining("'prod'");
        assertThatThrownBy(() -> Release.of(s).report(Path.of("report.txt")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--report");
        assertThat(ws.resolve(".gitops-release/report.json")).doesNotExist();
        assertThat(ws.resolve(".gitops-release/images")).doesNotExist();
    }
}
