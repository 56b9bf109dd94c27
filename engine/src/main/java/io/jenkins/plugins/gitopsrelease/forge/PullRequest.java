package io.jenkins.plugins.gitopsrelease.forge;

/**
 * A pull (merge) request as the forge reports it. {@code mergeCommitSha} is set only once {@code state} is MERGED.
 * {@code nodeId} is GitHub's GraphQL id (null elsewhere).
 */
public record PullRequest(long number, String url, State state, String head, String base, String mergeCommitSha,
        String nodeId) {

    public enum State { OPEN, MERGED, CLOSED }

    public boolean isOpen() {
        return state == State.OPEN;
    }
}
