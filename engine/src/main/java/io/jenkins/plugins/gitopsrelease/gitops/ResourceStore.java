package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code workload create}, {@code componentrelease generate} and {@code releasebinding generate} read the
 * current state and write the resource they computed: the files of a GitOps repository (occ's file-system mode,
 * {@link #files}) or the OpenChoreo API (api-server mode, {@code openchoreo.ApiStore}). The verbs decide what the
 * resource is; the store only finds and writes it, so both modes share one code path per resource.
 */
public interface ResourceStore {

    enum Outcome { CREATED, UPDATED, UNCHANGED }

    /** Where a resource went (a root-relative path or an API URL), what happened, and the file changes (files only). */
    record Written(String where, Outcome outcome, List<FileChange> changes) {
        public Written {
            changes = List.copyOf(changes);
        }
    }

    /** A release generated (or found equal to the component's state: {@code unchanged}). */
    record Release(String name, boolean unchanged, String where, List<FileChange> changes) {
        public Release {
            changes = List.copyOf(changes);
        }
    }

    /** An existing resource and where it is. */
    record Found(ObjectNode doc, String where) {
    }

    /** A component, by owning project and name. */
    record ComponentRef(String project, String name) {
    }

    /** A store over the files of a GitOps repository; {@code index} null builds it on first use. */
    static ResourceStore files(io.jenkins.plugins.gitopsrelease.files.RepoFiles files, GitopsIndex index,
            String outputPath) {
        return new FileStore(files, index, outputPath);
    }

    /** True when calls for different components may run in parallel (the API); files are written one by one. */
    boolean concurrent();

    // ---- Workload ---------------------------------------------------------------------------------------------

    Optional<Found> workload(String namespace, String project, String component);

    /** The spec (without owner) of {@code existing} as carried forward when only the image changes. */
    ObjectNode carriedSpec(ObjectNode existing);

    /**
     * The name of the Workload to write. Files follow occ (a descriptor-built Workload is
     * {@code <component>-workload}); the API keeps the existing object's name, as a second one would be a duplicate.
     */
    String workloadName(Optional<Found> existing, String component, boolean fromDescriptor);

    /** Creates or replaces the component's Workload with {@code doc}. */
    Written putWorkload(String namespace, String project, String component, ObjectNode doc);

    // ---- ComponentRelease -------------------------------------------------------------------------------------

    /** A release of the component's current state named {@code name} (null: the store's naming rule). */
    Release generateRelease(String namespace, String project, String component, String name, Clock clock);

    // ---- ReleaseBinding ---------------------------------------------------------------------------------------

    /** Components of {@code project} (null: of the whole namespace), sorted by project and name. */
    List<ComponentRef> components(String namespace, String project);

    /** Fails with a clear error when the component does not exist. */
    void checkComponent(String namespace, String project, String component);

    /** The project's deployment pipeline, or {@code usePipeline} when given. */
    Pipeline pipeline(String namespace, String project, String usePipeline);

    Optional<Found> binding(String namespace, String project, String component, String environment);

    /** The release to bind in the pipeline's root environment when none is named. */
    String rootRelease(String namespace, String project, String component);

    /** Fails with a clear error when {@code release} does not exist or belongs to another component. */
    void checkRelease(String namespace, String release, String project, String component);

    /** Creates or replaces the binding with {@code doc}. */
    Written putBinding(String namespace, String project, String component, String environment, ObjectNode doc);
}
