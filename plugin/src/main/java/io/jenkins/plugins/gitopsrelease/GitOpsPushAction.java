package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.gitopsrelease.webhook.ComponentMatch;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The push that scheduled a run: {@code GITOPS_COMMIT}, {@code GITOPS_BRANCH}, {@code GITOPS_REPOSITORY},
 * {@code GITOPS_COMMIT_URL} and {@code GITOPS_PROVIDER} in the run's environment (Pipeline's {@code env} and
 * freestyle build steps), and the commit link the GitOps Release page shows. Two pushes of different commits are
 * never folded into one queued build.
 */
public class GitOpsPushAction implements EnvironmentContributingAction, Queue.QueueAction {
    private final String provider;
    private final String repository;
    private final String branch;
    private final String commit;
    private final String commitUrl;

    GitOpsPushAction(ComponentMatch m) {
        this.provider = m.provider().id();
        this.repository = m.repository();
        this.branch = m.branch();
        this.commit = m.commit();
        this.commitUrl = safeUrl(m.commitUrl());
    }

    /** Only http(s) links reach a page (a payload's URL is data, never script). */
    @CheckForNull
    static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String l = url.trim().toLowerCase(Locale.ROOT);
        return l.startsWith("https://") || l.startsWith("http://") ? url.trim() : null;
    }

    @CheckForNull
    public static GitOpsPushAction of(Run<?, ?> run) {
        return run == null ? null : run.getAction(GitOpsPushAction.class);
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        env.put("GITOPS_COMMIT", commit);
        env.put("GITOPS_BRANCH", branch);
        env.put("GITOPS_REPOSITORY", repository);
        env.put("GITOPS_PROVIDER", provider);
        if (commitUrl != null) {
            env.put("GITOPS_COMMIT_URL", commitUrl);
        }
    }

    @Override
    public boolean shouldSchedule(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof GitOpsPushAction p && Objects.equals(p.commit, commit)
                    && Objects.equals(p.repository, repository)) {
                return false;
            }
        }
        return true;
    }

    public String getProvider() {
        return provider;
    }

    public String getRepository() {
        return repository;
    }

    public String getBranch() {
        return branch;
    }

    public String getCommit() {
        return commit;
    }

    @CheckForNull
    public String getCommitUrl() {
        return commitUrl;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
