package io.jenkins.plugins.gitopsrelease.release;

/** The verbs, named alike in the engine, the CLI (kebab-case) and Jenkins (these step function names). */
public final class Verbs {
    public static final String BUILD_IMAGE = "buildImage";
    public static final String GENERATE = "generateGitopsResources";
    public static final String OPEN_RELEASE_PR = "openReleasePr";
    public static final String PROMOTE_IMAGE = "promoteImage";
    public static final String WATCH_DEPLOYMENT = "watchDeployment";
    public static final String ANNOTATE_BUILD = "annotateBuild";

    private Verbs() {
    }
}
