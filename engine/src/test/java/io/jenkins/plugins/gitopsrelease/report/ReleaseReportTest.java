package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentState;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentStatus;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.Outcome;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.PullRequest;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.PullRequestState;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.StageOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jenkins.plugins.gitopsrelease.report.SampleReports.DIGEST;
import static io.jenkins.plugins.gitopsrelease.report.SampleReports.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseReportTest {

    private static ReleaseReport.Builder minimal() {
        return ReleaseReport.builder().setComponent("api").setProject("shop").setStartedAt(STARTED);
    }

    @Test
    void realisticReportKeepsEverythingInOrder() {
        ReleaseReport r = SampleReports.realistic();
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.environments()).extracting(EnvironmentStatus::name)
                .containsExactly("development", "staging", "production");
        assertThat(r.stages()).extracting(ReleaseReport.StageTiming::stage)
                .containsExactly("build", "push", "generate", "push branch", "PR", "watch", "promote");
        assertThat(r.filesChanged()).hasSize(4);
        assertThat(r.image().reference())
                .isEqualTo("registry.example.com/online-store/checkout-service:1.4.2@" + DIGEST);
        assertThat(r.totalDuration()).contains(Duration.ofMillis(66_870));
        assertThat(r.componentLink()).isEqualTo(
                "https://console.example.com/ns/default/projects/online-store/components/checkout-service");
        assertThat(r.environment("staging")).map(EnvironmentStatus::state).contains(EnvironmentState.DEPLOYED);
    }

    @Test
    void missingComponentIsAClearError() {
        assertThatThrownBy(() -> ReleaseReport.builder().setProject("shop").setStartedAt(STARTED).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("component: missing: give the component name");
        assertThatThrownBy(() -> minimal().setComponent("  ").build())
                .hasMessage("component: missing: give the component name");
    }

    @Test
    void missingProjectAndStartAreClearErrors() {
        assertThatThrownBy(() -> minimal().setProject(null).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("project: missing: give the project name");
        assertThatThrownBy(() -> minimal().setStartedAt(null).build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("startedAt: missing");
    }

    @Test
    void finishBeforeStartIsRefused() {
        assertThatThrownBy(() -> minimal().setFinishedAt(STARTED.minusSeconds(1)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is before startedAt");
    }

    @Test
    void badDigestNamesFieldAndValue() {
        assertThatThrownBy(() -> minimal().setImage("reg/app", "1", "sha256:abc"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image.digest: invalid value 'sha256:abc'")
                .hasMessageContaining("64 lowercase hex digits");
        assertThatThrownBy(() -> new ReleaseReport.Promotion("dev", "staging", null, null, "latest"))
                .hasMessageStartingWith("promotions.digest: invalid value 'latest'");
        assertThatThrownBy(() -> minimal().setImage(" ", "1", DIGEST))
                .hasMessageStartingWith("image.repository: missing");
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThatThrownBy(() -> minimal().addStage("build", Duration.ofMillis(-1), StageOutcome.OK))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stages[build].duration: invalid value");
        assertThatThrownBy(() -> minimal().addStage("build", null, StageOutcome.OK))
                .hasMessageStartingWith("stages[build].duration: missing");
    }

    @Test
    void outcomeIsDerivedFromFailures() {
        assertThat(minimal().build().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(minimal().addStage("push", Duration.ZERO, StageOutcome.FAILED).build().outcome())
                .isEqualTo(Outcome.FAILED);
        assertThat(minimal().addError("build", "boom").build().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(minimal().putEnvironment(new EnvironmentStatus("dev", EnvironmentState.FAILED, null, null, null,
                null)).build().outcome()).isEqualTo(Outcome.FAILED);
        // Skipped stages are not failures.
        assertThat(minimal().addStage("promote", Duration.ZERO, StageOutcome.SKIPPED).build().outcome())
                .isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void successIsNeverClaimedForAFailedRun() {
        assertThatThrownBy(() -> minimal().addError("push", "registry refused").setOutcome(Outcome.SUCCESS).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("outcome: invalid value 'SUCCESS': the run has 1 error(s), first in stage 'push';"
                        + " set FAILED");
        assertThatThrownBy(() -> minimal().addStage("watch", Duration.ZERO, StageOutcome.FAILED)
                .setOutcome(Outcome.SUCCESS).build()).hasMessageContaining("a failed stage 'watch'");
        // FAILED can always be set, e.g. when the run was cancelled.
        assertThat(minimal().setOutcome(Outcome.FAILED).build().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aStatusWithoutReleaseKeepsTheReleaseTheEnvironmentWasBoundTo() {
        // openReleasePr binds the release (PENDING), a watch by component reports DEPLOYED without naming it.
        ReleaseReport r = minimal()
                .putEnvironment(new EnvironmentStatus("development", EnvironmentState.PENDING, "api-20261203-1", null,
                        null, null))
                .putEnvironment(new EnvironmentStatus("development", EnvironmentState.DEPLOYED, null, DIGEST,
                        Duration.ofSeconds(2), null))
                .putEnvironment(new EnvironmentStatus("staging", EnvironmentState.PENDING, "api-20261203-1", null,
                        null, null))
                .putEnvironment(new EnvironmentStatus("staging", EnvironmentState.DEPLOYED, "api-20261203-2", DIGEST,
                        null, null))
                .build();
        assertThat(r.environments().get(0)).isEqualTo(new EnvironmentStatus("development", EnvironmentState.DEPLOYED,
                "api-20261203-1", DIGEST, Duration.ofSeconds(2), null));
        // A release the new status names wins.
        assertThat(r.environments().get(1).releaseName()).isEqualTo("api-20261203-2");
    }

    @Test
    void environmentsAreUniqueAndUpdatedInPlace() {
        ReleaseReport r = SampleReports.realisticBuilder()
                .putEnvironment(new EnvironmentStatus("development", EnvironmentState.DEPLOYED, "x", DIGEST,
                        Duration.ofSeconds(3), null))
                .build();
        assertThat(r.environments()).extracting(EnvironmentStatus::name)
                .containsExactly("development", "staging", "production");
        assertThat(r.environments().get(0).state()).isEqualTo(EnvironmentState.DEPLOYED);

        EnvironmentStatus dev = new EnvironmentStatus("dev", EnvironmentState.PENDING, null, null, null, null);
        assertThatThrownBy(() -> new ReleaseReport("c", "p", null, null, null, null, null, null,
                java.util.List.of(dev, dev), null, null, null, null, null, STARTED, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("environments.name: invalid value 'dev'");
        assertThatThrownBy(() -> new EnvironmentStatus("dev", null, null, null, null, null))
                .hasMessageStartingWith("environments[dev].state: missing");
    }

    @Test
    void pullRequestStatesNeedWhatTheyPromise() {
        assertThatThrownBy(() -> new PullRequest(null, null, PullRequestState.OPEN, "b", null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs a url or a number; use BRANCH_PUSHED when no PR was opened");
        assertThatThrownBy(() -> new PullRequest(null, null, PullRequestState.BRANCH_PUSHED, null, null, null))
                .hasMessageStartingWith("pullRequest.branch: missing");
        assertThatThrownBy(() -> new PullRequest("https://x/pr/1", 0, PullRequestState.OPEN, null, null, null))
                .hasMessageStartingWith("pullRequest.number: invalid value '0'");
        assertThatThrownBy(() -> new PullRequest("https://x/pr/1", 1, PullRequestState.MERGED, null, null, "main"))
                .hasMessageStartingWith("pullRequest.mergeSha: invalid value 'main'");
        assertThat(new PullRequest(null, null, PullRequestState.BRANCH_PUSHED, "release/x", null, null).branch())
                .isEqualTo("release/x");
    }

    @Test
    void filePathsMustStayInTheRepository() {
        assertThatThrownBy(() -> minimal().addFileChanged("../etc/passwd",
                io.jenkins.plugins.gitopsrelease.files.FileChange.Kind.CREATED))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'..'");
    }

    @Test
    void listsAreImmutableCopies() {
        ReleaseReport r = SampleReports.realistic();
        assertThatThrownBy(() -> r.stages().clear()).isInstanceOf(UnsupportedOperationException.class);
        ReleaseReport.Builder b = r.toBuilder();
        ReleaseReport more = b.addError("promote", "gate refused").build();
        assertThat(r.errors()).isEmpty();
        assertThat(more.errors()).hasSize(1);
        assertThat(more.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.toBuilder().build()).isEqualTo(r);
    }

    @Test
    void survivesJavaSerializationAsAgentsUseIt() throws Exception {
        for (ReleaseReport r : new ReleaseReport[] {SampleReports.realistic(), SampleReports.failed()}) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(r);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).isEqualTo(r);
            }
        }
    }
}
