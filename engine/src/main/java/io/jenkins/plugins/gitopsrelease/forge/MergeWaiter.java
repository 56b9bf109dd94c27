package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls a PR until it is merged and returns it with its merge commit SHA (what a deployment watch waits for). A PR
 * closed without merging, or still open at the deadline, is a failure that says which.
 */
public final class MergeWaiter {
    private final Forge forge;
    private Duration timeout = Duration.ofMinutes(30);
    private Duration pollInterval = Duration.ofSeconds(15);
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private Progress progress = Progress.NONE;

    public MergeWaiter(Forge forge) {
        this.forge = forge;
    }

    public MergeWaiter setTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public MergeWaiter setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
        return this;
    }

    public MergeWaiter setSleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    public MergeWaiter setClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public MergeWaiter setProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    public PullRequest waitForMerge(long number) {
        Instant deadline = clock.instant().plus(timeout);
        int polls = 0;
        while (true) {
            PullRequest pr = forge.getPullRequest(number);
            polls++;
            switch (pr.state()) {
                case MERGED -> {
                    if (pr.mergeCommitSha() == null || pr.mergeCommitSha().isBlank()) {
                        // Some forges fill the merge SHA a moment after the state flips.
                        break;
                    }
                    progress.step("PR #" + number + " merged as " + pr.mergeCommitSha());
                    return pr;
                }
                case CLOSED -> throw new OperationFailedException(forge.name() + " PR #" + number + " was closed"
                        + " without being merged" + (pr.url() == null ? "" : " (" + pr.url() + ")"));
                default -> {
                    // still open
                }
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new OperationFailedException(forge.name() + " PR #" + number + " was not merged within "
                        + human(timeout) + " (" + polls + " checks)" + (pr.url() == null ? "" : ": " + pr.url())
                        + "; merge it, enable auto-merge, or raise --merge-timeout");
            }
            if (polls == 1) {
                progress.step("waiting for PR #" + number + " to be merged (up to " + human(timeout) + ")");
            }
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
