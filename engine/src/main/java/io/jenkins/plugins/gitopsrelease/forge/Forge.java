package io.jenkins.plugins.gitopsrelease.forge;

import java.util.List;
import java.util.Optional;

/**
 * A code forge's pull-request API, reduced to what a release needs. Providers only map these calls onto their API;
 * policy (reuse, labels, waiting) lives in {@link OpenReleasePr} and {@link MergeWaiter}.
 */
public interface Forge {

    /** "GitHub", "GitLab"...: used in messages. */
    String name();

    /** The open PR from {@code head} into {@code base}, if any. */
    Optional<PullRequest> findOpenPullRequest(String head, String base);

    PullRequest createPullRequest(NewPullRequest request);

    PullRequest updatePullRequest(PullRequest pr, String title, String body);

    void addLabels(PullRequest pr, List<String> labels);

    void requestReviewers(PullRequest pr, List<String> reviewers);

    /** Turns on "merge when checks pass". Only called when {@link #supportsAutoMerge()}. */
    void enableAutoMerge(PullRequest pr);

    PullRequest getPullRequest(long number);

    default boolean supportsLabels() {
        return true;
    }

    default boolean supportsAutoMerge() {
        return true;
    }
}
