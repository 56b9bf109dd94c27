package io.jenkins.plugins.gitopsrelease.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The auto-build components of a GitOps repository, grouped by normalised repository URL so a push looks at the
 * components of its own repository only. Immutable and thread-safe once built; build it once per GitOps commit.
 */
public final class ComponentIndex {
    private final List<AutoBuildComponent> all;
    private final Map<String, List<AutoBuildComponent>> byRepo;

    private ComponentIndex(List<AutoBuildComponent> components) {
        this.all = List.copyOf(components);
        Map<String, List<AutoBuildComponent>> m = new HashMap<>();
        for (AutoBuildComponent c : all) {
            String key = RepoUrls.normalize(c.repositoryUrl());
            if (c.autoBuild() && !key.isEmpty()) {
                m.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byRepo = Collections.unmodifiableMap(m);
    }

    /** Components the caller lists (e.g. from its own catalogue); those without autoBuild are kept but never match. */
    public static ComponentIndex of(Collection<AutoBuildComponent> components) {
        return new ComponentIndex(new ArrayList<>(components));
    }

    /** Every Component of a GitOps repository (a directory or a fetched commit tree), read as generation reads it. */
    public static ComponentIndex of(RepoFiles files) {
        return of(GitopsIndex.build(files));
    }

    public static ComponentIndex of(GitopsIndex index) {
        List<AutoBuildComponent> out = new ArrayList<>();
        for (GitopsIndex.Resource r : index.all("Component")) {
            JsonNode spec = r.spec();
            JsonNode repo = spec.path("workflow").path("parameters").path("repository");
            JsonNode auto = spec.get("autoBuild");
            out.add(new AutoBuildComponent(r.namespace(), text(spec.path("owner").path("projectName")), r.name(),
                    auto != null && auto.isBoolean() && auto.booleanValue(), text(repo.path("url")),
                    text(repo.path("revision").path("branch")), text(repo.path("appPath")), r.where()));
        }
        return new ComponentIndex(out);
    }

    private static String text(JsonNode n) {
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    public List<AutoBuildComponent> components() {
        return all;
    }

    /** The auto-build components of one repository (normalised URL). */
    List<AutoBuildComponent> forRepository(String normalizedUrl) {
        return byRepo.getOrDefault(normalizedUrl, List.of());
    }

    /**
     * The components one push starts, in index order. Each component costs two lookups in the sorted path set (one
     * for the appPath itself, one for the first path under {@code appPath/}), so 10,000 components against 1,000
     * paths is 20,000 O(log n) lookups.
     */
    public List<ComponentMatch> match(Push push) {
        if (!push.triggersBuilds()) {
            return List.of();
        }
        List<AutoBuildComponent> candidates = new ArrayList<>();
        String matchedUrl = "";
        for (String url : push.normalizedUrls()) {
            List<AutoBuildComponent> cs = forRepository(url);
            if (!cs.isEmpty()) {
                candidates.addAll(cs);
                matchedUrl = matchedUrl.isEmpty() ? url : matchedUrl;
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        NavigableSet<String> paths = new TreeSet<>(push.paths());
        List<String> everyPath = List.copyOf(paths);
        boolean all = !push.pathsComplete();
        List<ComponentMatch> out = new ArrayList<>();
        java.util.Set<AutoBuildComponent> seen = new java.util.HashSet<>();
        for (AutoBuildComponent c : candidates) {
            if (!seen.add(c) || !c.branch().equals(push.branch())) {
                continue;
            }
            List<String> under = all ? List.of() : c.appPath().isEmpty() ? everyPath : under(paths, c.appPath());
            if (all || !under.isEmpty()) {
                out.add(new ComponentMatch(c.namespace(), c.project(), c.component(), c.appPath(), push.provider(),
                        push.repository(), matchedUrl, push.branch(), push.after(), push.commitUrl(), under, all));
            }
        }
        return out;
    }

    /** The paths equal to appPath or below it ("" is the whole repository). */
    static List<String> under(NavigableSet<String> paths, String appPath) {
        if (appPath.isEmpty()) {
            return new ArrayList<>(paths);
        }
        List<String> out = new ArrayList<>();
        if (paths.contains(appPath)) {
            out.add(appPath);
        }
        String prefix = appPath + "/";
        for (String p : paths.tailSet(prefix, true)) {
            if (!p.startsWith(prefix)) {
                break;
            }
            out.add(p);
        }
        return out;
    }
}
