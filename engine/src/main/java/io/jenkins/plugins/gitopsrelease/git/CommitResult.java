package io.jenkins.plugins.gitopsrelease.git;

import java.util.List;

/**
 * What {@link CommitRelease} did. {@code status}: {@code PUSHED} (a new commit is on {@code branch}),
 * {@code UP_TO_DATE} (the release branch already holds exactly this change on this base; nothing pushed) or
 * {@code NO_CHANGE} (generation changed nothing; no commit, no push). {@code commit} is null for NO_CHANGE.
 */
public record CommitResult(Status status, String repository, String baseBranch, String baseCommit, String branch,
        String commit, List<String> changedFiles, boolean pushed, boolean direct, String releaseName, int attempts) {

    public enum Status { PUSHED, UP_TO_DATE, NO_CHANGE }

    public CommitResult {
        changedFiles = List.copyOf(changedFiles);
    }

    public boolean changed() {
        return status != Status.NO_CHANGE;
    }
}
