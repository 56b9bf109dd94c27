package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every OpenChoreo resource under a GitOps root, found the way occ's file-system mode finds them: all
 * {@code *.yaml}/{@code *.yml} files (multi-document) outside skipped directories, documents with apiVersion
 * {@code openchoreo.dev/v1alpha1}, a recognised kind and a {@code metadata.name}. Unlike occ, two documents with the
 * same key are an error naming both files (occ keeps whichever its parallel scan saw last).
 */
public final class GitopsIndex {
    public static final String API_VERSION = "openchoreo.dev/v1alpha1";
    public static final Set<String> KINDS = Set.of("Component", "ComponentType", "ClusterComponentType", "Trait",
            "ClusterTrait", "Workload", "ComponentRelease", "ReleaseBinding", "DeploymentPipeline", "Project",
            "Environment", "DataPlane");
    static final Set<String> SKIPPED_DIRS = Set.of("node_modules", "vendor", ".terraform", "target", "build", "dist");

    /** One indexed document: where it is (file and document number) and its tree. */
    public record Resource(String path, int doc, String kind, String name, String namespace, ObjectNode tree) {
        public String where() {
            return doc == 0 ? path : path + " (document " + (doc + 1) + ")";
        }

        public String ownerProject() {
            return Json.text(tree, "spec", "owner", "projectName");
        }

        public String ownerComponent() {
            return Json.text(tree, "spec", "owner", "componentName");
        }

        public JsonNode spec() {
            JsonNode s = tree.get("spec");
            return s == null ? Json.obj() : s;
        }

        /** The directory holding the file ("" for the root). */
        public String dir() {
            int i = path.lastIndexOf('/');
            return i < 0 ? "" : path.substring(0, i);
        }
    }

    private final RepoFiles files;
    private final Map<String, List<Resource>> byPath;
    private final Map<String, Resource> byKey = new HashMap<>();
    private final Map<String, List<Resource>> byKindName = new HashMap<>();
    private final Map<String, Resource> workloads = new HashMap<>();
    private final Map<String, List<Resource>> releases = new HashMap<>();
    private final Map<String, Resource> bindings = new HashMap<>();
    private final Map<String, List<Resource>> bindingsByOwner = new HashMap<>();
    private final Map<String, Resource> releasesByName = new HashMap<>();
    /** Null on a complete index; on a targeted one, what it read (see {@link #forComponent}). */
    private final Scope scope;
    /** A targeted index's complete twin, built on the first lookup the scope cannot answer. */
    private volatile GitopsIndex full;

    private GitopsIndex(RepoFiles files, Map<String, List<Resource>> byPath, Scope scope, GitopsIndex full) {
        this.files = files;
        this.byPath = byPath;
        this.scope = scope;
        this.full = full;
        for (List<Resource> rs : byPath.values()) {
            for (Resource r : rs) {
                add(r);
            }
        }
    }

    /** Reads and indexes every candidate file of the repository. */
    public static GitopsIndex build(RepoFiles files) {
        return new GitopsIndex(files, read(files, files.list().stream().filter(GitopsIndex::indexed).toList()), null,
                null);
    }

    /**
     * A targeted index for one component's generation: it reads only the files where occ's conventional layout
     * (see {@link Scope}) puts what that needs, and answers a lookup from them where the layout is authoritative.
     * Any other lookup (a miss where the layout does not say where the resource would live, {@link #all}, ...)
     * builds the complete index once and answers from it, so the results equal {@link #build}'s. Duplicates are
     * reported only among the files read.
     */
    public static GitopsIndex forComponent(RepoFiles files, String namespace, String project, String component,
            String releaseName) {
        ReleaseConfig config = ReleaseConfig.read(files);
        Scope scope = new Scope(namespace, project, component, releaseName,
                config.releaseDir(project, component).orElse(null), config.bindingDir(project, component).orElse(null));
        List<String> candidates = files.list(scope::descend).stream().filter(GitopsIndex::indexed)
                .filter(scope::covers).toList();
        return new GitopsIndex(files, read(files, candidates), scope, null);
    }

    private static Map<String, List<Resource>> read(RepoFiles files, List<String> paths) {
        files.prefetch(paths); // one request for all of them where the files are not at hand
        // A fork-join pool costs more than it saves on the few files of a targeted index.
        var stream = paths.size() > 64 ? paths.parallelStream() : paths.stream();
        return new TreeMap<>(stream.collect(Collectors.toConcurrentMap(p -> p,
                p -> parse(p, files.read(p).orElse(new byte[0])))));
    }

    /**
     * What a targeted index reads: occ's conventional layout (docs: namespaces/&lt;ns&gt;/platform/..., projects/&lt;p&gt;/
     * project.yaml, projects/&lt;p&gt;/components/&lt;c&gt;/{component,workload}.yaml, releases/, release-bindings/; the
     * same without the namespaces/&lt;ns&gt;/ prefix), cluster-scoped platform resources under platform-shared/, the
     * release-config directories of the component, and, in the directories walked to get there, the files named as
     * occ names the component's releases and bindings ({@code <component>-*.yaml}, {@code <releaseName>.yaml}).
     * Only those directories are listed ({@link #descend}), so a large repository is neither read nor walked.
     */
    record Scope(String namespace, String project, String component, String releaseName, String configReleaseDir,
            String configBindingDir) {
        /**
         * Directories worth walking: the targets, their ancestors, and everything under them (the project's own
         * directory only for its files: its components are reached through the component targets).
         */
        boolean descend(String dir) {
            if (dir.isEmpty()) {
                return true;
            }
            String ns = "namespaces/" + namespace;
            for (String target : new String[] {ns + "/platform", "platform-shared",
                    ns + "/projects/*/components/" + component, "projects/*/components/" + component,
                    configReleaseDir, configBindingDir}) {
                if (target != null && (target.isEmpty() || onPath(dir, target, true))) {
                    return true;
                }
            }
            return onPath(dir, ns + "/projects/" + project, false) || onPath(dir, "projects/" + project, false);
        }

        /** {@code dir} is an ancestor of or equal to {@code target} ('*' matches one segment), or under it. */
        private static boolean onPath(String dir, String target, boolean orUnder) {
            String[] d = dir.split("/");
            String[] t = target.split("/");
            if (d.length > t.length && !orUnder) {
                return false;
            }
            for (int i = 0; i < Math.min(d.length, t.length); i++) {
                if (!t[i].equals("*") && !t[i].equals(d[i])) {
                    return false;
                }
            }
            return true;
        }

        boolean covers(String path) {
            String ns = "namespaces/" + namespace + "/";
            if (path.startsWith(ns + "platform/") || path.startsWith("platform-shared/")) {
                return true;
            }
            String rest = path.startsWith(ns + "projects/") ? path.substring(ns.length())
                    : path.startsWith("projects/") ? path : null;
            if (rest != null) {
                String[] s = rest.split("/");
                // projects/<p>/<file>: the Project; projects/<any>/components/<c>/...: this component (and a
                // same-named one in another project, whose releases share the name space).
                if (s.length == 3 && s[1].equals(project)) {
                    return true;
                }
                if (s.length >= 5 && s[2].equals("components") && s[3].equals(component)) {
                    return true;
                }
            }
            if (under(path, configReleaseDir) || under(path, configBindingDir)) {
                return true;
            }
            String base = path.substring(path.lastIndexOf('/') + 1);
            String stem = base.substring(0, base.lastIndexOf('.'));
            return stem.startsWith(component + "-") || stem.equals(releaseName);
        }

        /** The component's own directory in the conventional layout (what makes the scope authoritative). */
        boolean isComponentDir(String dir) {
            return dir.equals("namespaces/" + namespace + "/projects/" + project + "/components/" + component)
                    || dir.equals("projects/" + project + "/components/" + component);
        }

        /** Release names the scope read every file for. */
        boolean coversReleaseName(String name) {
            return name.startsWith(component + "-") || name.equals(releaseName);
        }

        private static boolean under(String path, String dir) {
            return dir != null && (dir.isEmpty() || path.startsWith(dir + "/"));
        }
    }

    /** True when this index read every file (not a targeted one). */
    public boolean complete() {
        return scope == null;
    }

    /** The complete index (this one, or a targeted index's complete twin, built on first use). */
    private GitopsIndex full() {
        if (scope == null) {
            return this;
        }
        GitopsIndex f = full;
        if (f == null) {
            synchronized (this) {
                f = full;
                if (f == null) {
                    f = build(files);
                    full = f;
                }
            }
        }
        return f;
    }

    /**
     * True when a targeted index may answer the component's releases and bindings itself: its Component lives in
     * the conventional component directory, so occ's layout says where they are.
     */
    private boolean anchored(String project, String component) {
        if (!scope.project().equals(project) || !scope.component().equals(component)) {
            return false;
        }
        Resource c = byKey.get("Component|" + scope.namespace() + "|" + component);
        return c != null && scope.isComponentDir(c.dir());
    }

    /** A new index over {@code newFiles} that re-reads only the changed paths (the overlay of a multi-step run). */
    public GitopsIndex withChanges(RepoFiles newFiles, Collection<FileChange> changes) {
        Map<String, List<Resource>> copy = new TreeMap<>(byPath);
        for (FileChange c : changes) {
            if (indexed(c.path())) {
                copy.put(c.path(), parse(c.path(), c.content()));
            }
        }
        GitopsIndex f = full;
        return new GitopsIndex(newFiles, copy, scope, scope != null && f != null ? f.withChanges(newFiles, changes)
                : null);
    }

    public RepoFiles files() {
        return files;
    }

    /** occ's filter: yaml/yml (any case), outside directories starting with '.' and the usual build/vendor ones. */
    static boolean indexed(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
            return false;
        }
        String[] segs = path.split("/");
        for (int i = 0; i < segs.length - 1; i++) {
            if (segs[i].startsWith(".") || SKIPPED_DIRS.contains(segs[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses one file. Files that never mention the OpenChoreo API group cannot hold an indexed document and are
     * not parsed at all (fast, and a Helm template elsewhere in the repository cannot break the index); a file that
     * does mention it and does not parse is an error, where occ would silently skip it.
     */
    static List<Resource> parse(String path, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.contains(API_VERSION)) {
            return List.of();
        }
        List<YamlDocs.Doc> docs = YamlDocs.parseAll(text, path);
        List<Resource> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (!(docs.get(i).tree() instanceof ObjectNode o)) {
                continue;
            }
            String api = Json.text(o, "apiVersion");
            String kind = Json.text(o, "kind");
            String name = Json.text(o, "metadata", "name");
            if (!API_VERSION.equals(api) || !KINDS.contains(kind) || name.isEmpty()) {
                continue;
            }
            ObjectNode kept = o;
            if (kind.equals("ComponentRelease")) {
                // Releases are large snapshots and there are many: keep what lookups need, re-read specs on demand.
                kept = Json.obj();
                kept.set("apiVersion", o.get("apiVersion"));
                kept.set("kind", o.get("kind"));
                kept.set("metadata", o.get("metadata"));
                ObjectNode spec = Json.obj();
                JsonNode full = o.get("spec");
                if (full != null && full.isObject()) {
                    spec.set("owner", full.get("owner"));
                    JsonNode ct = full.get("componentType");
                    if (ct != null && ct.isObject()) {
                        spec.putObject("componentType").put("name", Json.text(ct, "name"));
                    }
                }
                kept.set("spec", spec);
            }
            out.add(new Resource(path, i, kind, name, Json.text(o, "metadata", "namespace"), kept));
        }
        return List.copyOf(out);
    }

    private static String dup(String what, Resource a, Resource b) {
        return "duplicate " + what + " in " + a.where() + " and " + b.where() + ": keep one of them";
    }

    private void add(Resource r) {
        String key = r.kind() + "|" + r.namespace() + "|" + r.name();
        Resource prev = byKey.putIfAbsent(key, r);
        if (prev != null) {
            throw new InvalidInputException(dup(r.kind() + " '" + qualified(r) + "'", prev, r));
        }
        byKindName.computeIfAbsent(r.kind() + "|" + r.name(), k -> new ArrayList<>()).add(r);
        switch (r.kind()) {
            case "Workload" -> {
                String owner = r.ownerProject() + "/" + r.ownerComponent();
                Resource p = workloads.putIfAbsent(owner, r);
                if (p != null) {
                    throw new InvalidInputException(dup("Workload for component " + owner, p, r));
                }
            }
            case "ComponentRelease" -> {
                releases.computeIfAbsent(r.ownerProject() + "/" + r.ownerComponent(), k -> new ArrayList<>()).add(r);
                Resource p = releasesByName.putIfAbsent(r.namespace() + "|" + r.name(), r);
                if (p != null) {
                    throw new InvalidInputException(dup("ComponentRelease '" + r.name() + "'", p, r));
                }
            }
            case "ReleaseBinding" -> {
                String owner = r.ownerProject() + "/" + r.ownerComponent();
                String env = Json.text(r.tree(), "spec", "environment");
                Resource p = bindings.putIfAbsent(owner + "|" + env, r);
                if (p != null) {
                    throw new InvalidInputException(dup("ReleaseBinding for component " + owner + " in environment '"
                            + env + "'", p, r));
                }
                bindingsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(r);
            }
            default -> {
            }
        }
    }

    private static String qualified(Resource r) {
        return r.namespace().isEmpty() ? r.name() : r.namespace() + "/" + r.name();
    }

    // ---- lookups ---------------------------------------------------------------------------------------------

    public Optional<Resource> get(String kind, String namespace, String name) {
        Resource r = byKey.get(kind + "|" + namespace + "|" + name);
        return r != null || scope == null ? Optional.ofNullable(r) : full().get(kind, namespace, name);
    }

    /**
     * Kinds occ looks up by name only (ComponentType, Trait, DeploymentPipeline and the cluster kinds). When
     * several namespaces define the name, the one in {@code namespace} wins; otherwise it is ambiguous.
     */
    public Optional<Resource> byName(String kind, String namespace, String name) {
        List<Resource> all = byKindName.getOrDefault(kind + "|" + name, List.of());
        if (scope != null) {
            // One definition in the namespace (or a cluster-scoped one in platform-shared/) is what the complete
            // index would pick too; anything else needs every file.
            if (all.size() == 1 && (all.get(0).namespace().equals(namespace)
                    || kind.startsWith("Cluster") && all.get(0).path().startsWith("platform-shared/"))) {
                return Optional.of(all.get(0));
            }
            return full().byName(kind, namespace, name);
        }
        if (all.size() <= 1) {
            return all.stream().findFirst();
        }
        List<Resource> local = all.stream().filter(r -> r.namespace().equals(namespace)).toList();
        if (local.size() == 1) {
            return Optional.of(local.get(0));
        }
        throw new InvalidInputException(kind + " '" + name + "' is defined more than once (" + all.get(0).where()
                + ", " + all.get(1).where() + "): keep one, or put them in different namespaces");
    }

    public List<Resource> all(String kind) {
        if (scope != null) {
            return full().all(kind);
        }
        List<Resource> out = new ArrayList<>();
        for (List<Resource> rs : byPath.values()) {
            for (Resource r : rs) {
                if (r.kind().equals(kind)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    public Optional<Resource> workload(String project, String component) {
        Resource r = workloads.get(project + "/" + component);
        // A missing Workload may live in any file (occ rewrites the file that holds it): only every file can tell.
        return r != null || scope == null ? Optional.ofNullable(r) : full().workload(project, component);
    }

    /** The component's releases in path order. */
    public List<Resource> releases(String project, String component) {
        if (scope != null && !anchored(project, component)) {
            return full().releases(project, component);
        }
        List<Resource> rs = new ArrayList<>(releases.getOrDefault(project + "/" + component, List.of()));
        rs.sort(Comparator.comparing(Resource::path).thenComparingInt(Resource::doc));
        return rs;
    }

    public Optional<Resource> release(String namespace, String name) {
        Resource r = releasesByName.get(namespace + "|" + name);
        if (r != null || scope == null || scope.coversReleaseName(name) && anchored(scope.project(), scope.component())) {
            return Optional.ofNullable(r);
        }
        return full().release(namespace, name);
    }

    public List<Resource> allReleaseNames() {
        if (scope != null) {
            return full().allReleaseNames();
        }
        return new ArrayList<>(releasesByName.values());
    }

    /** Releases whose name starts with {@code prefix} (e.g. {@code <component>-}, for the next automatic name). */
    public List<Resource> releasesNamed(String prefix) {
        if (scope != null && !(prefix.startsWith(scope.component() + "-")
                && anchored(scope.project(), scope.component()))) {
            return full().releasesNamed(prefix);
        }
        return releasesByName.values().stream().filter(r -> r.name().startsWith(prefix)).toList();
    }

    public Optional<Resource> binding(String project, String component, String env) {
        if (scope != null && !anchored(project, component)) {
            return full().binding(project, component, env);
        }
        return Optional.ofNullable(bindings.get(project + "/" + component + "|" + env));
    }

    public List<Resource> bindings(String project, String component) {
        if (scope != null && !anchored(project, component)) {
            return full().bindings(project, component);
        }
        List<Resource> rs = new ArrayList<>(bindingsByOwner.getOrDefault(project + "/" + component, List.of()));
        rs.sort(Comparator.comparing(Resource::path).thenComparingInt(Resource::doc));
        return rs;
    }

    /** A release's whole spec, read again from the file (the index keeps releases trimmed). */
    public JsonNode releaseSpec(Resource r) {
        String text = new String(files.read(r.path()).orElse(new byte[0]), StandardCharsets.UTF_8);
        List<YamlDocs.Doc> docs = YamlDocs.parseAll(text, r.path());
        JsonNode spec = r.doc() < docs.size() ? docs.get(r.doc()).tree().get("spec") : null;
        return spec == null ? Json.obj() : spec;
    }

    /** Number of indexed resources per kind (for reports and the benchmark). */
    public Map<String, Integer> counts() {
        if (scope != null) {
            return full().counts();
        }
        Map<String, Integer> c = new TreeMap<>();
        byKey.values().forEach(r -> c.merge(r.kind(), 1, Integer::sum));
        return c;
    }

    static Map<String, JsonNode> fields(JsonNode n) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        }
        return m;
    }
}
