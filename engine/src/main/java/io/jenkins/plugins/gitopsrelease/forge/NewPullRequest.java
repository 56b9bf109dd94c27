package io.jenkins.plugins.gitopsrelease.forge;

/** What to open: from {@code head} into {@code base}. */
public record NewPullRequest(String head, String base, String title, String body, boolean draft) {
}
