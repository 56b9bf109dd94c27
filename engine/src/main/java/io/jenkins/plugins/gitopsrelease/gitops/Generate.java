package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The release step of occ's build-and-release workflows in one call: {@code workload create},
 * {@code componentrelease generate}, {@code releasebinding generate}, each seeing the earlier steps' changes through
 * an {@link OverlayFiles}. Nothing is written; the result lists one change per path. If the component's state
 * equals an existing release, that release is bound (occ would leave no file under the requested name and then
 * fail to bind it).
 */
public final class Generate {
    private final RepoFiles files;
    private final ResourceStore store;
    private GitopsIndex index;
    private WorkloadCreate.BuildInfo buildInfo;
    private String namespace = "default";
    private String project;
    private String component;
    private String image;
    private Path descriptor;
    private String releaseName;
    private String targetEnv;
    private Clock clock = Clock.systemDefaultZone();

    private Generate(RepoFiles files, ResourceStore store) {
        this.files = files;
        this.store = store;
    }

    public static Generate on(RepoFiles files) {
        return new Generate(files, null);
    }

    /** api-server mode: the same three steps against a store that writes as it goes (the OpenChoreo API). */
    public static Generate on(ResourceStore store) {
        return new Generate(null, store);
    }

    /** Recorded on the Workload as annotations (see {@link WorkloadCreate#buildInfo}). */
    public Generate buildInfo(WorkloadCreate.BuildInfo buildInfo) {
        this.buildInfo = buildInfo;
        return this;
    }

    public Generate index(GitopsIndex index) {
        this.index = index;
        return this;
    }

    public Generate namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public Generate project(String project) {
        this.project = project;
        return this;
    }

    public Generate component(String component) {
        this.component = component;
        return this;
    }

    public Generate image(String image) {
        this.image = image;
        return this;
    }

    public Generate descriptor(Path descriptor) {
        this.descriptor = descriptor;
        return this;
    }

    public Generate releaseName(String releaseName) {
        this.releaseName = releaseName;
        return this;
    }

    public Generate targetEnv(String targetEnv) {
        this.targetEnv = targetEnv;
        return this;
    }

    public Generate clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public record Result(String releaseName, boolean releaseUnchanged, String environment, String workloadPath,
            String releasePath, List<String> bindingPaths, List<String> created, List<String> updated,
            List<FileChange> changes) {
        public Result {
            bindingPaths = List.copyOf(bindingPaths);
            created = List.copyOf(created);
            updated = List.copyOf(updated);
            changes = List.copyOf(changes);
        }
    }

    public Result call() {
        if (releaseName != null) {
            Names.subdomain("--release-name", releaseName); // under this verb's flag, before anything is read
        }
        if (store != null) {
            return callStore();
        }
        // One component: read only the files its generation needs (GitopsIndex.forComponent falls back to every file
        // where the layout does not say where something lives).
        GitopsIndex idx0 = index != null ? index : project != null && component != null
                ? GitopsIndex.forComponent(files, namespace, project, component, releaseName) : GitopsIndex.build(files);
        OverlayFiles overlay = new OverlayFiles(files);
        WorkloadCreate.Result w = WorkloadCreate.on(files).index(idx0).namespace(namespace).project(project)
                .component(component).image(image).descriptor(descriptor).buildInfo(buildInfo).call();
        overlay.add(w.changes());
        GitopsIndex idx1 = idx0.withChanges(overlay, w.changes());
        ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(overlay).index(idx1).namespace(namespace)
                .project(project).component(component).name(releaseName).clock(clock).call();
        overlay.add(r.changes());
        GitopsIndex idx2 = idx1.withChanges(overlay, r.changes());
        ComponentReleaseGenerate.Item rel = r.single();
        ReleaseBindingGenerate.Result b = ReleaseBindingGenerate.on(overlay).index(idx2).namespace(namespace)
                .project(project).component(component).componentRelease(rel.releaseName()).targetEnv(targetEnv)
                .call();
        overlay.add(b.changes());
        List<FileChange> merged = overlay.merged();
        return new Result(rel.releaseName(), rel.status() == ComponentReleaseGenerate.Status.UNCHANGED,
                b.single().environment(), w.path(), rel.path(),
                b.items().stream().map(ReleaseBindingGenerate.Item::path).toList(),
                merged.stream().filter(c -> c.kind() == FileChange.Kind.CREATED).map(FileChange::path).toList(),
                merged.stream().filter(c -> c.kind() == FileChange.Kind.UPDATED).map(FileChange::path).toList(),
                merged);
    }

    /** Paths are the objects' API URLs; {@code created}/{@code updated} list them too. Nothing is a file change. */
    private Result callStore() {
        WorkloadCreate.Result w = WorkloadCreate.on(store).namespace(namespace).project(project).component(component)
                .image(image).descriptor(descriptor).buildInfo(buildInfo).call();
        ComponentReleaseGenerate.Item rel = ComponentReleaseGenerate.on(store).namespace(namespace).project(project)
                .component(component).name(releaseName).clock(clock).call().single();
        ReleaseBindingGenerate.Item b = ReleaseBindingGenerate.on(store).namespace(namespace).project(project)
                .component(component).componentRelease(rel.releaseName()).targetEnv(targetEnv).call().single();
        List<String> created = new java.util.ArrayList<>();
        List<String> updated = new java.util.ArrayList<>();
        (w.outcome() == ResourceStore.Outcome.CREATED ? created : updated).add(w.path());
        if (w.outcome() == ResourceStore.Outcome.UNCHANGED) {
            updated.remove(w.path());
        }
        if (rel.status() == ComponentReleaseGenerate.Status.GENERATED) {
            created.add(rel.path());
        }
        if (b.status() == ReleaseBindingGenerate.Status.CREATED) {
            created.add(b.path());
        } else if (b.status() == ReleaseBindingGenerate.Status.UPDATED) {
            updated.add(b.path());
        }
        return new Result(rel.releaseName(), rel.status() == ComponentReleaseGenerate.Status.UNCHANGED,
                b.environment(), w.path(), rel.path(), List.of(b.path()), created, updated, List.of());
    }
}
