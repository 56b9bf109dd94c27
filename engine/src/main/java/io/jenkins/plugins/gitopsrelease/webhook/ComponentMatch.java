package io.jenkins.plugins.gitopsrelease.webhook;

import java.util.List;

/**
 * A component a push starts, with the pushed commit and why it matched.
 *
 * @param matchedPaths the pushed paths under the component's appPath; empty when the provider sent no complete file
 *                     list (then {@code allPaths} is true: every component of the repository counts as touched)
 */
public record ComponentMatch(String namespace, String project, String component, String appPath, Provider provider,
        String repository, String repositoryUrl, String branch, String commit, String commitUrl,
        List<String> matchedPaths, boolean allPaths) {
    public ComponentMatch {
        matchedPaths = List.copyOf(matchedPaths);
    }
}
