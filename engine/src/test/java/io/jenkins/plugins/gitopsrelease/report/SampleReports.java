package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentState;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentStatus;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.Promotion;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.PullRequest;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.PullRequestState;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.Stages;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.StageOutcome;

import java.time.Duration;
import java.time.Instant;

/** Reports used by the report tests: a realistic successful run, a failed one, and one full of markup. */
final class SampleReports {
    static final String DIGEST = "sha256:4f2b8c1d9e0a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";
    static final String OLD_DIGEST = "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final Instant STARTED = Instant.parse("2025-03-01T10:00:00Z");
    static final String PROJECT_DIR = "namespaces/default/projects/online-store/components/checkout-service/";

    private SampleReports() {
    }

    static ReleaseReport.Builder realisticBuilder() {
        LinkTemplate console = LinkTemplate.parse(
                "https://console.example.com/ns/{namespace}/projects/{project}/components/{component}");
        LinkTemplate envLink = LinkTemplate.parse(
                "https://console.example.com/ns/{namespace}/projects/{project}/components/{component}/env/{environment}");
        return ReleaseReport.builder()
                .setComponent("checkout-service")
                .setProject("online-store")
                .setNamespace("default")
                .setImage("registry.example.com/online-store/checkout-service", "1.4.2", DIGEST)
                .setImageBuilder("jib")
                .setReleaseName("checkout-service-20250301-1")
                .addFilesChanged(java.util.List.of(
                        FileChange.of(PROJECT_DIR + "workload.yaml", "w", FileChange.Kind.UPDATED),
                        FileChange.of(PROJECT_DIR + "releases/checkout-service-20250301-1.yaml", "r",
                                FileChange.Kind.CREATED),
                        FileChange.of(PROJECT_DIR + "release-bindings/checkout-service-development.yaml", "b",
                                FileChange.Kind.UPDATED),
                        FileChange.of(PROJECT_DIR + "release-bindings/checkout-service-staging.yaml", "b",
                                FileChange.Kind.CREATED)))
                .setPullRequest(new PullRequest("https://github.example.com/acme/gitops/pull/42", 42,
                        PullRequestState.MERGED, "release/checkout-service-20250301-100000",
                        "Release checkout-service 1.4.2 to development", "9fceb02d0ae598e95dc970b74767f19372d61af8"))
                .putEnvironment(new EnvironmentStatus("development", EnvironmentState.PROMOTED,
                        "checkout-service-20250301-1", DIGEST, Duration.ofMillis(41_250),
                        envLink.expand("default", "online-store", "checkout-service", "development")))
                .putEnvironment(new EnvironmentStatus("staging", EnvironmentState.DEPLOYED,
                        "checkout-service-20250301-1", DIGEST, Duration.ofMillis(38_900),
                        envLink.expand("default", "online-store", "checkout-service", "staging")))
                .putEnvironment(new EnvironmentStatus("production", EnvironmentState.PENDING,
                        "checkout-service-20250214-3", OLD_DIGEST, null,
                        envLink.expand("default", "online-store", "checkout-service", "production")))
                .addPromotion(new Promotion("development", "staging",
                        "registry.example.com/online-store/checkout-service:1.4.2",
                        "registry.staging.example.com/online-store/checkout-service:1.4.2", DIGEST))
                .addStage(Stages.BUILD, Duration.ofMillis(12_400), StageOutcome.OK)
                .addStage(Stages.PUSH, Duration.ofMillis(3_150), StageOutcome.OK)
                .addStage(Stages.GENERATE, Duration.ofMillis(420), StageOutcome.OK)
                .addStage(Stages.PUSH_BRANCH, Duration.ofMillis(1_870), StageOutcome.OK)
                .addStage(Stages.PR, Duration.ofMillis(980), StageOutcome.OK)
                .addStage(Stages.WATCH, Duration.ofMillis(41_250), StageOutcome.OK)
                .addStage(Stages.PROMOTE, Duration.ofMillis(5_600), StageOutcome.OK)
                .setStartedAt(STARTED)
                .setFinishedAt(STARTED.plusMillis(66_870))
                .setComponentLink(console.expand("default", "online-store", "checkout-service", null))
                .setImageLink("https://registry.example.com/online-store/checkout-service/tags/1.4.2");
    }

    static ReleaseReport realistic() {
        return realisticBuilder().build();
    }

    /** The same release, but the rollout to development missed its deadline, so nothing was promoted. */
    static ReleaseReport failed() {
        ReleaseReport ok = realistic();
        ReleaseReport.Builder b = ReleaseReport.builder()
                .setComponent(ok.component()).setProject(ok.project()).setNamespace(ok.namespace())
                .setImage(ok.image()).setImageBuilder(ok.imageBuilder()).setReleaseName(ok.releaseName())
                .setPullRequest(ok.pullRequest()).setComponentLink(ok.componentLink()).setImageLink(ok.imageLink())
                .setStartedAt(STARTED).setFinishedAt(STARTED.plusMillis(620_300));
        ok.filesChanged().forEach(f -> b.addFileChanged(f.path(), f.change()));
        b.putEnvironment(new EnvironmentStatus("development", EnvironmentState.FAILED, "checkout-service-20250301-1",
                DIGEST, null, ok.environments().get(0).link()));
        b.putEnvironment(new EnvironmentStatus("staging", EnvironmentState.PENDING, "checkout-service-20250214-3",
                OLD_DIGEST, null, ok.environments().get(1).link()));
        b.putEnvironment(ok.environments().get(2));
        for (ReleaseReport.StageTiming s : ok.stages()) {
            switch (s.stage()) {
                case Stages.WATCH -> b.addStage(Stages.WATCH, Duration.ofSeconds(600), StageOutcome.FAILED);
                case Stages.PROMOTE -> b.addStage(Stages.PROMOTE, Duration.ZERO, StageOutcome.SKIPPED);
                default -> b.addStage(s.stage(), s.duration(), s.outcome());
            }
        }
        return b.addError(Stages.WATCH, "Deployment online-store/checkout-service in development:"
                        + " ProgressDeadlineExceeded after 600 s\n  pod checkout-service-7d9f-x2k4q: ImagePullBackOff"
                        + " (registry.example.com/online-store/checkout-service@sha256:4f2b8c1d9e0a...)")
                .build();
    }

    static final String HOSTILE = "<script>alert(\"x\")</script>'&";

    /** Markup and quotes in every user-controlled text field, and a javascript: link. */
    static ReleaseReport hostile() {
        return ReleaseReport.builder()
                .setComponent("comp" + HOSTILE)
                .setProject("proj" + HOSTILE)
                .setNamespace("ns" + HOSTILE)
                .setImage("registry.example.com/app" + HOSTILE, "t" + HOSTILE, DIGEST)
                .setImageBuilder("builder" + HOSTILE)
                .setReleaseName("release" + HOSTILE)
                .addFileChanged("dir/file" + HOSTILE + ".yaml", FileChange.Kind.CREATED)
                .setPullRequest(new PullRequest("javascript:alert(document.cookie)", 7, PullRequestState.OPEN,
                        "branch" + HOSTILE, "title" + HOSTILE, null))
                .putEnvironment(new EnvironmentStatus("env" + HOSTILE, EnvironmentState.FAILED, "rel" + HOSTILE,
                        null, null, "  JaVaScRiPt:alert(1)"))
                .addPromotion(new Promotion("from" + HOSTILE, "to" + HOSTILE, "src" + HOSTILE, "dst" + HOSTILE,
                        DIGEST))
                .addStage("stage" + HOSTILE, Duration.ofSeconds(1), StageOutcome.FAILED)
                .addError("stage" + HOSTILE, "error" + HOSTILE)
                .addNote("note" + HOSTILE)
                .setStartedAt(STARTED)
                .setComponentLink("javascript:alert(1)")
                .setImageLink("data:text/html,<script>alert(1)</script>")
                .build();
    }
}
