package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex.Resource;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code componentrelease generate}: a ComponentRelease snapshot per component. A component whose current spec
 * equals one of its existing releases is "unchanged" and nothing is written; an existing release is never
 * overwritten with different content. Scope: one component, a project ({@link #project} without
 * {@link #component}) or everything in the namespace ({@link #all}).
 */
public final class ComponentReleaseGenerate {
    private final RepoFiles files;
    private GitopsIndex index;
    private String namespace = "default";
    private boolean all;
    private String project;
    private String component;
    private String name;
    private String outputPath;
    private Clock clock = Clock.systemDefaultZone();

    private ComponentReleaseGenerate(RepoFiles files) {
        this.files = files;
    }

    public static ComponentReleaseGenerate on(RepoFiles files) {
        return new ComponentReleaseGenerate(files);
    }

    public ComponentReleaseGenerate index(GitopsIndex index) {
        this.index = index;
        return this;
    }

    public ComponentReleaseGenerate namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public ComponentReleaseGenerate all(boolean all) {
        this.all = all;
        return this;
    }

    public ComponentReleaseGenerate project(String project) {
        this.project = project;
        return this;
    }

    public ComponentReleaseGenerate component(String component) {
        this.component = component;
        return this;
    }

    /** Explicit release name (single component only); otherwise {@code <component>-<YYYYMMDD>-<n>}. */
    public ComponentReleaseGenerate name(String name) {
        this.name = name;
        return this;
    }

    /** Root-relative output directory. */
    public ComponentReleaseGenerate outputPath(String outputPath) {
        this.outputPath = outputPath;
        return this;
    }

    /** The clock (and its time zone) that dates auto-generated names. */
    public ComponentReleaseGenerate clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public enum Status { GENERATED, UNCHANGED, FAILED }

    /** One component's outcome; {@code releaseName} is the existing equal release when unchanged. */
    public record Item(String project, String component, Status status, String releaseName, String path,
            String error) {
    }

    public record Result(List<Item> items, List<FileChange> changes) {
        public Result {
            items = List.copyOf(items);
            changes = List.copyOf(changes);
        }

        public List<Item> failed() {
            return items.stream().filter(i -> i.status() == Status.FAILED).toList();
        }

        /** The single component's item (single-component scope). */
        public Item single() {
            return items.get(0);
        }

        public String summary() {
            long gen = items.stream().filter(i -> i.status() == Status.GENERATED).count();
            long same = items.stream().filter(i -> i.status() == Status.UNCHANGED).count();
            return "Summary: " + gen + " releases generated, " + same + " unchanged (skipped), " + failed().size()
                    + " errors";
        }
    }

    public Result call() {
        Names.label("--namespace", namespace);
        if (all && (project != null || component != null)) {
            throw new InvalidInputException("--all cannot be combined with --project or --component");
        }
        if (all && name != null) {
            throw new InvalidInputException("--all cannot be combined with --name");
        }
        if (component != null && project == null) {
            throw new InvalidInputException("--component requires --project to be specified");
        }
        if (name != null && component == null) {
            throw new InvalidInputException("--name can only be used with --component (one release per name)");
        }
        if (!all && project == null) {
            throw new InvalidInputException("one of --all, --project, or --component must be specified");
        }
        if (project != null) {
            Names.label("--project", project);
        }
        GitopsIndex idx = index != null ? index : component != null
                ? GitopsIndex.forComponent(files, namespace, project, component, name) : GitopsIndex.build(files);
        ReleaseConfig config = ReleaseConfig.read(files);
        if (component != null) {
            Names.label("--component", component);
            List<FileChange> changes = new ArrayList<>();
            Item item = one(idx, config, project, component, changes);
            return new Result(List.of(item), changes);
        }
        List<Item> items = new ArrayList<>();
        List<FileChange> changes = new ArrayList<>();
        List<Resource> comps = idx.all("Component").stream()
                .filter(c -> c.namespace().equals(namespace))
                .filter(c -> all || c.ownerProject().equals(project))
                .sorted(Comparator.comparing(Resource::ownerProject).thenComparing(Resource::name))
                .toList();
        for (Resource c : comps) {
            try {
                Names.label("component name", c.name());
                items.add(one(idx, config, c.ownerProject(), c.name(), changes));
            } catch (GitOpsReleaseException e) {
                items.add(new Item(c.ownerProject(), c.name(), Status.FAILED, null, null, e.getMessage()));
            }
        }
        return new Result(items, changes);
    }

    private Item one(GitopsIndex idx, ReleaseConfig config, String p, String c, List<FileChange> changes) {
        ObjectNode spec = Releases.buildSpec(idx, namespace, p, c);
        Optional<Resource> same = idx.releases(p, c).stream()
                .filter(r -> Json.specEquals(idx.releaseSpec(r), spec))
                .min(Comparator.comparing(Resource::name, Releases.NEWEST_FIRST));
        if (same.isPresent()) {
            return new Item(p, c, Status.UNCHANGED, same.get().name(), same.get().path(), null);
        }
        String dir = outputDir(idx, config, p, c);
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
            releaseName = autoName(idx, c, dir);
            Names.subdomain("release name", releaseName);
        }
        String path = ReleaseConfig.join(dir, releaseName + ".yaml");
        FileChange ch = Docs.write(files, path, Releases.document(releaseName, namespace, spec));
        if (ch != null) {
            changes.add(ch);
        }
        return new Item(p, c, Status.GENERATED, releaseName, path, null);
    }

    private String outputDir(GitopsIndex idx, ReleaseConfig config, String p, String c) {
        Optional<String> fromConfig = config.releaseDir(p, c);
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

    private String autoName(GitopsIndex idx, String c, String dir) {
        LocalDate today = LocalDate.now(clock);
        int max = 0;
        for (Resource r : idx.releasesNamed(c + "-")) {
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
}
