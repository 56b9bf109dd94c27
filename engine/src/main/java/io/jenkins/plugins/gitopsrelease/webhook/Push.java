package io.jenkins.plugins.gitopsrelease.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One ref update of a push, the same for every provider. {@code repositoryUrls} are the URLs the provider names the
 * repository by (clone, SSH, web), any of which a component may use; {@code pathsComplete} is false when the provider
 * sent no file list (Bitbucket) or a truncated one (GitHub beyond its caps, GitLab beyond 20 commits), in which case
 * every component of the repository counts as touched.
 *
 * @param branch the branch name, "" for a tag
 * @param commitUrl a web link to the pushed commit, "" when the provider gives none
 */
public record Push(Provider provider, String repository, List<String> repositoryUrls, String ref, String branch,
        boolean tag, boolean deleted, String before, String after, List<String> added, List<String> modified,
        List<String> removed, boolean pathsComplete, String commitUrl) {

    /** Git's all-zero object id, which providers send as {@code before} of a new ref and {@code after} of a deleted one. */
    public static final String ZERO = "0000000000000000000000000000000000000000";

    public Push {
        repositoryUrls = List.copyOf(new LinkedHashSet<>(repositoryUrls));
        added = List.copyOf(added);
        modified = List.copyOf(modified);
        removed = List.copyOf(removed);
        repository = repository == null ? "" : repository;
        branch = branch == null ? "" : branch;
        before = before == null ? "" : before;
        after = after == null ? "" : after;
        commitUrl = commitUrl == null ? "" : commitUrl;
    }

    /** Only a branch that still exists can start builds; tags and deletions never do. */
    public boolean triggersBuilds() {
        return !tag && !deleted && !branch.isEmpty();
    }

    /** Added, modified and removed paths together: sorted, without duplicates. */
    public List<String> paths() {
        Set<String> all = new TreeSet<>(added);
        all.addAll(modified);
        all.addAll(removed);
        return new ArrayList<>(all);
    }

    /** The normalised forms of {@link #repositoryUrls()} (see {@link RepoUrls}). */
    public Set<String> normalizedUrls() {
        Set<String> out = new LinkedHashSet<>();
        for (String u : repositoryUrls) {
            String n = RepoUrls.normalize(u);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    public String describe() {
        return provider + " " + repository + " " + ref + "@" + (after.length() > 12 ? after.substring(0, 12) : after);
    }
}
