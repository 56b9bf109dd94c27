package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.git.CommitRelease;
import io.jenkins.plugins.gitopsrelease.git.CommitResult;
import io.jenkins.plugins.gitopsrelease.git.ReleaseInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The release phase: commit the generated change through {@link CommitRelease}, then open the PR for its branch
 * or reuse the open one (updating its text), add labels and reviewers, turn on auto-merge, and optionally wait for
 * the merge commit. Without a forge it only pushes and says how to open the PR. No change: no PR.
 */
public final class OpenReleasePr {
    private CommitRelease commit;
    private ReleaseInfo release;
    private String baseBranch = "main";
    private String targetEnv;
    private Forge forge;
    private List<String> labels = List.of();
    private List<String> reviewers = List.of();
    private boolean draft;
    private boolean autoMerge;
    private Duration waitMerge;
    private Duration pollInterval = Duration.ofSeconds(15);
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private Progress progress = Progress.NONE;

    private OpenReleasePr() {
    }

    public static OpenReleasePr create() {
        return new OpenReleasePr();
    }

    /**
     * The configured Git session. {@code release} and {@code baseBranch} must be the ones it was given (they go into
     * the PR text and target).
     */
    public OpenReleasePr setCommit(CommitRelease commit, ReleaseInfo release, String baseBranch) {
        this.commit = commit;
        this.release = release;
        this.baseBranch = baseBranch;
        return this;
    }

    public OpenReleasePr setTargetEnv(String targetEnv) {
        this.targetEnv = targetEnv;
        return this;
    }

    public OpenReleasePr setForge(Forge forge) {
        this.forge = forge;
        return this;
    }

    public OpenReleasePr setLabels(List<String> labels) {
        this.labels = labels == null ? List.of() : List.copyOf(labels);
        return this;
    }

    public OpenReleasePr setReviewers(List<String> reviewers) {
        this.reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
        return this;
    }

    public OpenReleasePr setDraft(boolean draft) {
        this.draft = draft;
        return this;
    }

    public OpenReleasePr setAutoMerge(boolean autoMerge) {
        this.autoMerge = autoMerge;
        return this;
    }

    /** Wait up to this long for the merge (null: don't wait). */
    public OpenReleasePr setWaitMerge(Duration timeout) {
        // Refused here, before anything is pushed: a wait longer than any verb accepts is bad input.
        this.waitMerge = io.jenkins.plugins.gitopsrelease.core.DurationText.checkMax("--merge-timeout", timeout,
                timeout);
        return this;
    }

    public OpenReleasePr setPollInterval(Duration pollInterval) {
        io.jenkins.plugins.gitopsrelease.core.DurationText.checkMax("--merge-poll", pollInterval, pollInterval);
        this.pollInterval = pollInterval;
        return this;
    }

    public OpenReleasePr setSleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    public OpenReleasePr setClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public OpenReleasePr setProgress(Progress progress) {
        this.progress = progress == null ? Progress.NONE : progress;
        return this;
    }

    public ReleasePrResult call() {
        if (commit == null || release == null) {
            throw new InvalidInputException("the Git session and the release are required");
        }
        // Refuse what cannot be honoured before anything is pushed.
        if (forge == null && (autoMerge || waitMerge != null || draft || !labels.isEmpty() || !reviewers.isEmpty())) {
            throw InvalidInputException.invalid("--forge", "", "--auto-merge, --wait-merge, --draft, --label and"
                    + " --reviewer need a forge: give --forge and a token");
        }
        if (forge != null && autoMerge && !forge.supportsAutoMerge()) {
            throw InvalidInputException.invalid("--auto-merge", true, forge.name() + " has no auto-merge API here:"
                    + " drop --auto-merge (--wait-merge still waits for a manual merge)");
        }
        CommitResult git = commit.call();
        List<String> warnings = new ArrayList<>();
        if (!git.changed()) {
            return new ReleasePrResult(git, null, ReleasePrResult.PrAction.NONE, null, warnings,
                    "nothing to release: " + baseBranch + " already holds this release");
        }
        if (git.direct()) {
            return new ReleasePrResult(git, null, ReleasePrResult.PrAction.NONE, null, warnings,
                    "committed directly on " + baseBranch);
        }
        if (forge == null) {
            return new ReleasePrResult(git, null, ReleasePrResult.PrAction.NONE, null, warnings,
                    "open a pull request from " + git.branch() + " into " + baseBranch + " (or rerun with --forge)");
        }
        String title = PullRequestText.title(release);
        String body = PullRequestText.body(release, targetEnv, git.changedFiles());
        Optional<PullRequest> existing = forge.findOpenPullRequest(git.branch(), baseBranch);
        PullRequest pr;
        ReleasePrResult.PrAction action;
        if (existing.isPresent()) {
            pr = forge.updatePullRequest(existing.get(), title, body);
            action = ReleasePrResult.PrAction.REUSED;
            progress.step("updated " + forge.name() + " PR #" + pr.number() + " " + nullToEmpty(pr.url()));
        } else {
            pr = forge.createPullRequest(new NewPullRequest(git.branch(), baseBranch, title, body, draft));
            action = ReleasePrResult.PrAction.CREATED;
            progress.step("opened " + forge.name() + " PR #" + pr.number() + " " + nullToEmpty(pr.url()));
        }
        if (!labels.isEmpty()) {
            if (forge.supportsLabels()) {
                forge.addLabels(pr, labels);
            } else {
                warnings.add(forge.name() + " pull requests have no labels; skipped " + String.join(", ", labels));
            }
        }
        if (!reviewers.isEmpty()) {
            forge.requestReviewers(pr, reviewers);
        }
        if (autoMerge) {
            forge.enableAutoMerge(pr);
            progress.step("auto-merge enabled on PR #" + pr.number());
        }
        String mergeSha = null;
        if (waitMerge != null) {
            PullRequest merged = new MergeWaiter(forge).setTimeout(waitMerge).setPollInterval(pollInterval)
                    .setSleeper(sleeper).setClock(clock).setProgress(progress).waitForMerge(pr.number());
            pr = merged;
            mergeSha = merged.mergeCommitSha();
        }
        return new ReleasePrResult(git, pr, action, mergeSha, warnings, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
