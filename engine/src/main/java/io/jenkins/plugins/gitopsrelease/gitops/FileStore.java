package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex.Resource;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * occ's file-system mode: resources are found through the {@link GitopsIndex} and written as {@link FileChange}s
 * (nothing touches the disk here). Placement follows occ: {@code outputPath}, else the file already holding the
 * resource, else {@code release-config.yaml}, else next to the Component.
 */
final class FileStore implements ResourceStore {
    private final RepoFiles files;
    private final String outputPath;
    private GitopsIndex index;
    private ReleaseConfig config;

    FileStore(RepoFiles files, GitopsIndex index, String outputPath) {
        this.files = files;
        this.index = index;
        this.outputPath = outputPath;
    }

    private GitopsIndex idx() {
        if (index == null) {
            index = GitopsIndex.build(files);
        }
        return index;
    }

    private ReleaseConfig config() {
        if (config == null) {
            config = ReleaseConfig.read(files);
        }
        return config;
    }

    @Override
    public boolean concurrent() {
        return false;
    }

    // ---- Workload ---------------------------------------------------------------------------------------------

    @Override
    public Optional<Found> workload(String namespace, String project, String component) {
        return idx().workload(project, component).map(r -> new Found(r.tree(), r.path()));
    }

    @Override
    public ObjectNode carriedSpec(ObjectNode existing) {
        return Workloads.specWithoutOwner(Json.at(existing, "spec"));
    }

    @Override
    public String workloadName(Optional<Found> existing, String component, boolean fromDescriptor) {
        return existing.isPresent() && !fromDescriptor ? Json.text(existing.get().doc(), "metadata", "name")
                : component + "-workload";
    }

    @Override
    public Written putWorkload(String namespace, String project, String component, ObjectNode doc) {
        Optional<Resource> existing = idx().workload(project, component);
        String out = outputPath == null ? null : RepoPaths.normalize(outputPath);
        if (out != null && existing.isPresent() && !existing.get().path().equals(out)) {
            throw new InvalidInputException("--output-path: the Workload for " + project + "/" + component
                    + " already lives in " + existing.get().where() + "; writing " + out + " would create a second"
                    + " one: drop --output-path or move the file");
        }
        String path;
        FileChange change;
        if (out != null) {
            path = out;
            change = existing.isPresent() ? Docs.replace(files, path, existing.get().doc(), doc)
                    : Docs.write(files, path, doc);
        } else if (existing.isPresent()) {
            path = existing.get().path();
            change = Docs.replace(files, path, existing.get().doc(), doc);
        } else {
            Optional<Resource> comp = idx().get("Component", namespace, component);
            path = comp.map(c -> ReleaseConfig.join(c.dir(), "workload.yaml"))
                    .orElse("projects/" + project + "/components/" + component + "/workload.yaml");
            if (files.exists(path)) {
                throw new InvalidInputException(path + " exists but holds no Workload for " + project + "/"
                        + component + ": move it away or give --output-path");
            }
            change = Docs.write(files, path, doc);
        }
        return written(path, change, existing.isPresent());
    }

    private static Written written(String path, FileChange change, boolean existed) {
        if (change == null) {
            return new Written(path, Outcome.UNCHANGED, List.of());
        }
        return new Written(path, existed || change.kind() == FileChange.Kind.UPDATED ? Outcome.UPDATED
                : Outcome.CREATED, List.of(change));
    }

    // ---- ComponentRelease -------------------------------------------------------------------------------------

    /**
     * A component whose current spec equals one of its releases is unchanged and nothing is written; an existing
     * release is never overwritten with different content.
     */
    @Override
    public Release generateRelease(String namespace, String p, String c, String name, Clock clock) {
        GitopsIndex idx = idx();
        ObjectNode spec = Releases.buildSpec(idx, namespace, p, c);
        Optional<Resource> same = idx.releases(p, c).stream()
                .filter(r -> Json.specEquals(idx.releaseSpec(r), spec))
                .min(Comparator.comparing(Resource::name, Releases.NEWEST_FIRST));
        if (same.isPresent()) {
            return new Release(same.get().name(), true, same.get().path(), List.of());
        }
        String dir = releaseDir(idx, namespace, p, c);
        String releaseName;
        if (name != null) {
            releaseName = Names.subdomain("--name", name);
            String path = ReleaseConfig.join(dir, releaseName + ".yaml");
            Optional<Resource> clash = idx.release(namespace, releaseName);
            if (files.exists(path) || clash.isPresent()) {
                throw new InvalidInputException("a component release with name \"" + releaseName + "\" already exists at "
                        + clash.map(Resource::where).orElse(path) + " with a different spec: releases are immutable,"
                        + " choose another --name");
            }
        } else {
            releaseName = autoName(idx, c, dir, clock);
            Names.subdomain("release name", releaseName);
        }
        String path = ReleaseConfig.join(dir, releaseName + ".yaml");
        FileChange ch = Docs.write(files, path, Releases.document(releaseName, namespace, spec));
        return new Release(releaseName, false, path, ch == null ? List.of() : List.of(ch));
    }

    private String releaseDir(GitopsIndex idx, String namespace, String p, String c) {
        Optional<String> fromConfig = config().releaseDir(p, c);
        if (fromConfig.isPresent()) {
            return fromConfig.get();
        }
        if (outputPath != null) {
            return ReleaseConfig.dir("--output-path", outputPath);
        }
        List<Resource> existing = idx.releases(p, c);
        if (!existing.isEmpty()) {
            return existing.get(0).dir();
        }
        return idx.get("Component", namespace, c).map(r -> ReleaseConfig.join(r.dir(), "releases"))
                .orElse("projects/" + p + "/components/" + c + "/releases");
    }

    private String autoName(GitopsIndex idx, String c, String dir, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        int max = 0;
        for (Resource r : idx.allReleaseNames()) {
            Optional<Releases.DatedName> d = Releases.DatedName.parse(r.name());
            if (d.isPresent() && d.get().component().equals(c) && d.get().date().equals(today)) {
                max = Math.max(max, d.get().n());
            }
        }
        String candidate = c + "-" + Releases.DAY.format(today) + "-" + (max + 1);
        if (files.exists(ReleaseConfig.join(dir, candidate + ".yaml"))) {
            // A file the index did not see as a release (e.g. malformed or another kind): count the directory's files.
            String prefix = dir.isEmpty() ? "" : dir + "/";
            for (String f : files.list()) {
                if (f.startsWith(prefix) && f.indexOf('/', prefix.length()) < 0 && f.endsWith(".yaml")) {
                    String base = f.substring(prefix.length(), f.length() - 5);
                    Optional<Releases.DatedName> d = Releases.DatedName.parse(base);
                    if (d.isPresent() && d.get().component().equals(c) && d.get().date().equals(today)) {
                        max = Math.max(max, d.get().n());
                    }
                }
            }
            candidate = c + "-" + Releases.DAY.format(today) + "-" + (max + 1);
        }
        return candidate;
    }

    // ---- ReleaseBinding ---------------------------------------------------------------------------------------

    @Override
    public List<ComponentRef> components(String namespace, String project) {
        return idx().all("Component").stream()
                .filter(c -> c.namespace().equals(namespace))
                .filter(c -> project == null || c.ownerProject().equals(project))
                .map(c -> new ComponentRef(c.ownerProject(), c.name()))
                .sorted(Comparator.comparing(ComponentRef::project).thenComparing(ComponentRef::name))
                .toList();
    }

    @Override
    public void checkComponent(String namespace, String project, String component) {
        Releases.component(idx(), namespace, project, component);
    }

    @Override
    public Pipeline pipeline(String namespace, String p, String usePipeline) {
        GitopsIndex idx = idx();
        String name = usePipeline;
        if (name == null) {
            Resource proj = idx.get("Project", namespace, p).orElseThrow(() -> new InvalidInputException(
                    "project \"" + p + "\" not found in namespace \"" + namespace + "\": add the Project (with"
                            + " metadata.namespace) or give --use-pipeline"));
            name = Json.text(proj.tree(), "spec", "deploymentPipelineRef", "name");
            if (name.isEmpty()) {
                name = Json.text(proj.tree(), "spec", "deploymentPipelineRef");
            }
            if (name.isEmpty()) {
                throw new InvalidInputException("project \"" + p + "\" has no deploymentPipelineRef set ("
                        + proj.where() + "): set spec.deploymentPipelineRef.name or give --use-pipeline");
            }
        }
        String pl = name;
        Resource r = idx.byName("DeploymentPipeline", namespace, pl).orElseThrow(() -> new InvalidInputException(
                "deployment pipeline \"" + pl + "\" not found: add it or fix the Project's deploymentPipelineRef"));
        return Pipeline.of(r);
    }

    @Override
    public Optional<Found> binding(String namespace, String project, String component, String environment) {
        return idx().binding(project, component, environment).map(r -> new Found(r.tree(), r.path()));
    }

    /** The existing release equal to the component's current state. */
    @Override
    public String rootRelease(String namespace, String p, String c) {
        GitopsIndex idx = idx();
        List<Resource> releases = idx.releases(p, c);
        if (releases.isEmpty()) {
            throw new InvalidInputException("no releases found for component " + p + "/" + c
                    + ": run 'componentrelease generate' first");
        }
        ObjectNode expected = Releases.buildSpec(idx, namespace, p, c);
        Optional<Resource> match = releases.stream().filter(r -> Json.specEquals(idx.releaseSpec(r), expected))
                .min(Comparator.comparing(Resource::name, Releases.NEWEST_FIRST));
        if (match.isPresent()) {
            return match.get().name();
        }
        Optional<Resource> legacy = releases.stream()
                .filter(r -> !Json.text(r.tree(), "spec", "componentType", "name").contains("/")).findFirst();
        if (legacy.isPresent()) {
            throw new InvalidInputException("release \"" + legacy.get().name() + "\" of component " + p + "/" + c
                    + " was generated by an older occ version (legacy shape) and no current release matches:"
                    + " run 'componentrelease generate' for it first");
        }
        throw new InvalidInputException("no matching release found for current component state " + p + "/" + c
                + ": run 'componentrelease generate' first");
    }

    @Override
    public void checkRelease(String namespace, String release, String p, String c) {
        Optional<Resource> r = idx().release(namespace, release);
        if (r.isEmpty() || !r.get().ownerProject().equals(p) || !r.get().ownerComponent().equals(c)) {
            throw new InvalidInputException("component release \"" + release + "\" not found or does not"
                    + " belong to component " + p + "/" + c + ": run 'componentrelease generate' or fix"
                    + " --component-release");
        }
    }

    @Override
    public Written putBinding(String namespace, String p, String c, String env, ObjectNode doc) {
        Optional<Resource> existing = idx().binding(p, c, env);
        if (existing.isPresent()) {
            Resource b = existing.get();
            return written(b.path(), Docs.replace(files, b.path(), b.doc(), doc), true);
        }
        String dir = bindingDir(namespace, p, c);
        String path = ReleaseConfig.join(dir, Json.text(doc, "metadata", "name") + ".yaml");
        if (files.exists(path)) {
            throw new InvalidInputException(path + " exists but holds no ReleaseBinding for " + p + "/" + c + " in \""
                    + env + "\": move it away or give --output-path");
        }
        return written(path, Docs.write(files, path, doc), false);
    }

    private String bindingDir(String namespace, String p, String c) {
        if (outputPath != null) {
            return ReleaseConfig.dir("--output-path", outputPath);
        }
        Optional<String> fromConfig = config().bindingDir(p, c);
        if (fromConfig.isPresent()) {
            return fromConfig.get();
        }
        List<Resource> existing = idx().bindings(p, c);
        if (!existing.isEmpty()) {
            return existing.get(0).dir();
        }
        return idx().get("Component", namespace, c).map(r -> ReleaseConfig.join(r.dir(), "release-bindings"))
                .orElse("projects/" + p + "/components/" + c + "/release-bindings");
    }
}
