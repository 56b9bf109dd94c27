package io.jenkins.plugins.gitopsrelease;

import hudson.model.Cause;
import io.jenkins.plugins.gitopsrelease.webhook.ComponentMatch;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** "Started by a GitHub push to acme/shop (main) at 9f1c2d3e: apps/orders/main.go" on the build page. */
@ExportedBean
public class GitOpsPushCause extends Cause {
    /** Paths shown in the description; the full list is in the push action's GITOPS_CHANGED_PATHS-free record. */
    static final int SHOWN_PATHS = 10;

    private final String provider;
    private final String repository;
    private final String branch;
    private final String commit;
    private final String commitUrl;
    private final String project;
    private final String component;
    private final List<String> paths;
    private final boolean allPaths;

    GitOpsPushCause(ComponentMatch m) {
        this.provider = m.provider().id();
        this.repository = m.repository();
        this.branch = m.branch();
        this.commit = m.commit();
        this.commitUrl = GitOpsPushAction.safeUrl(m.commitUrl());
        this.project = m.project();
        this.component = m.component();
        this.paths = new ArrayList<>(m.matchedPaths());
        this.allPaths = m.allPaths();
    }

    @Exported
    public String getProvider() {
        return provider;
    }

    @Exported
    public String getRepository() {
        return repository;
    }

    @Exported
    public String getBranch() {
        return branch;
    }

    @Exported
    public String getCommit() {
        return commit;
    }

    @Exported
    public String getCommitUrl() {
        return commitUrl;
    }

    @Exported
    public String getProject() {
        return project;
    }

    @Exported
    public String getComponent() {
        return component;
    }

    @Exported
    public List<String> getPaths() {
        return paths == null ? List.of() : List.copyOf(paths);
    }

    @Exported
    public boolean isAllPaths() {
        return allPaths;
    }

    public String getShortCommit() {
        return commit == null || commit.length() <= 12 ? commit : commit.substring(0, 12);
    }

    /** The paths shown on the build page: at most {@link #SHOWN_PATHS}. */
    public List<String> getShownPaths() {
        List<String> p = getPaths();
        return p.size() <= SHOWN_PATHS ? p : p.subList(0, SHOWN_PATHS);
    }

    public int getMorePaths() {
        return Math.max(0, getPaths().size() - SHOWN_PATHS);
    }

    @Override
    public String getShortDescription() {
        String what = allPaths ? Messages.GitOpsPushCause_AllPaths()
                : String.join(", ", getShownPaths()) + (getMorePaths() > 0 ? " (+" + getMorePaths() + ")" : "");
        return Messages.GitOpsPushCause_ShortDescription(provider, repository, branch, getShortCommit(), project,
                component, what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GitOpsPushCause c && java.util.Objects.equals(commit, c.commit)
                && java.util.Objects.equals(component, c.component) && java.util.Objects.equals(project, c.project)
                && java.util.Objects.equals(repository, c.repository);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(commit, component, project, repository);
    }
}
