package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code componentrelease generate}: a ComponentRelease snapshot per component, through a {@link ResourceStore}
 * (files: computed here; the API: {@code generate-release} on the server). In files a component whose current spec
 * equals one of its existing releases is "unchanged" and nothing is written; an existing release is never
 * overwritten with different content. Scope: one component, a project ({@link #project} without
 * {@link #component}) or everything in the namespace ({@link #all}).
 */
public final class ComponentReleaseGenerate {
    private final RepoFiles files;
    private final ResourceStore store;
    private GitopsIndex index;
    private String namespace = "default";
    private boolean all;
    private String project;
    private String component;
    private String name;
    private String outputPath;
    private Clock clock = Clock.systemDefaultZone();

    private ComponentReleaseGenerate(RepoFiles files, ResourceStore store) {
        this.files = files;
        this.store = store;
    }

    /** File-system mode: the release is computed here and written as a file. */
    public static ComponentReleaseGenerate on(RepoFiles files) {
        return new ComponentReleaseGenerate(files, null);
    }

    /** Any store; the OpenChoreo API generates the release on the server ({@code generate-release}). */
    public static ComponentReleaseGenerate on(ResourceStore store) {
        return new ComponentReleaseGenerate(null, store);
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
        ResourceStore st = store != null ? store : ResourceStore.files(files, index, outputPath);
        if (component != null) {
            Names.label("--component", component);
            ResourceStore.Release r = st.generateRelease(namespace, project, component, name, clock);
            return new Result(List.of(item(project, component, r)), r.changes());
        }
        List<Item> items = new ArrayList<>();
        List<FileChange> changes = new ArrayList<>();
        for (ResourceStore.ComponentRef c : st.components(namespace, all ? null : project)) {
            try {
                Names.label("component name", c.name());
                ResourceStore.Release r = st.generateRelease(namespace, c.project(), c.name(), name, clock);
                items.add(item(c.project(), c.name(), r));
                changes.addAll(r.changes());
            } catch (GitOpsReleaseException e) {
                items.add(new Item(c.project(), c.name(), Status.FAILED, null, null, e.getMessage()));
            }
        }
        return new Result(items, changes);
    }

    private static Item item(String p, String c, ResourceStore.Release r) {
        return new Item(p, c, r.unchanged() ? Status.UNCHANGED : Status.GENERATED, r.name(), r.where(), null);
    }
}
