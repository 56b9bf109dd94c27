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

/**
 * The auto-build components of a GitOps repository, grouped by normalised repository URL so a push looks at the
 * components of its own repository only. Immutable and thread-safe once built; build it once per GitOps commit.
 */
public final class ComponentIndex {
    private final List<AutoBuildComponent> all;
    private final Map<String, Bucket> byRepo;

    /** The auto-build components of one repository, and their positions by appPath ("" = the whole repository). */
    private record Bucket(List<AutoBuildComponent> components, Map<String, int[]> byAppPath) {
    }

    private ComponentIndex(List<AutoBuildComponent> components) {
        this.all = List.copyOf(components);
        Map<String, List<AutoBuildComponent>> m = new HashMap<>();
        for (AutoBuildComponent c : all) {
            String key = RepoUrls.normalize(c.repositoryUrl());
            if (c.autoBuild() && !key.isEmpty()) {
                m.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Bucket> b = new HashMap<>();
        m.forEach((url, cs) -> {
            Map<String, List<Integer>> byPath = new HashMap<>();
            for (int i = 0; i < cs.size(); i++) {
                byPath.computeIfAbsent(cs.get(i).appPath(), k -> new ArrayList<>()).add(i);
            }
            Map<String, int[]> arr = new HashMap<>();
            byPath.forEach((k, v) -> arr.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            b.put(url, new Bucket(List.copyOf(cs), arr));
        });
        this.byRepo = Collections.unmodifiableMap(b);
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
        Bucket b = byRepo.get(normalizedUrl);
        return b == null ? List.of() : b.components();
    }

    /**
     * The components one push starts, in index order. Rather than testing every component against every path, each
     * pushed path looks up its own directories ("a/b/c" → "", "a", "a/b", "a/b/c") among the appPaths: the cost
     * grows with the paths and their depth, not with the number of components in the repository.
     */
    public List<ComponentMatch> match(Push push) {
        if (!push.triggersBuilds()) {
            return List.of();
        }
        List<ComponentMatch> out = new ArrayList<>();
        for (String url : push.normalizedUrls()) {
            Bucket b = byRepo.get(url);
            if (b != null) {
                match(push, url, b, out);
            }
        }
        return out;
    }

    private static void match(Push push, String url, Bucket b, List<ComponentMatch> out) {
        List<AutoBuildComponent> cs = b.components();
        if (!push.pathsComplete()) {
            for (AutoBuildComponent c : cs) {
                if (c.branch().equals(push.branch())) {
                    out.add(matchOf(push, url, c, List.of(), true));
                }
            }
            return;
        }
        List<String>[] hits = newHits(cs.size());
        for (String p : push.paths()) {
            hit(b, "", p, hits);
            for (int slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) {
                hit(b, p.substring(0, slash), p, hits);
            }
            hit(b, p, p, hits);
        }
        for (int i = 0; i < cs.size(); i++) {
            AutoBuildComponent c = cs.get(i);
            if (hits[i] != null && c.branch().equals(push.branch())) {
                out.add(matchOf(push, url, c, hits[i], false));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newHits(int n) {
        return (List<String>[]) new List<?>[n];
    }

    private static void hit(Bucket b, String dir, String path, List<String>[] hits) {
        int[] at = b.byAppPath().get(dir);
        if (at != null) {
            for (int i : at) {
                (hits[i] == null ? hits[i] = new ArrayList<>() : hits[i]).add(path);
            }
        }
    }

    private static ComponentMatch matchOf(Push push, String url, AutoBuildComponent c, List<String> paths,
            boolean all) {
        return new ComponentMatch(c.namespace(), c.project(), c.component(), c.appPath(), push.provider(),
                push.repository(), url, push.branch(), push.after(), push.commitUrl(), paths, all);
    }
}
