package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.git.CommitResult;
import java.util.List;

/**
 * The outcome of {@link OpenReleasePr}: the Git side, the PR (null without a forge or without a change), whether
 * it was created or reused, the merge commit when waited for, and warnings (e.g. labels a forge cannot hold).
 */
public record ReleasePrResult(CommitResult git, PullRequest pullRequest, PrAction prAction, String mergeCommitSha,
        List<String> warnings, String nextStep) {

    public enum PrAction { CREATED, REUSED, NONE }

    public ReleasePrResult {
        warnings = List.copyOf(warnings);
    }
}
