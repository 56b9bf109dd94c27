package io.jenkins.plugins.gitopsrelease.forge;

/** Creates the provider for a {@link ForgeSettings}. */
public final class Forges {
    private Forges() {
    }

    public static Forge create(ForgeSettings s) {
        return switch (s.kind()) {
            case GITHUB -> new GitHubForge(s);
            case GITLAB -> new GitLabForge(s);
            case GITEA -> new GiteaForge(s);
            case BITBUCKET -> new BitbucketCloudForge(s);
            case BITBUCKET_SERVER -> new BitbucketServerForge(s);
        };
    }
}
