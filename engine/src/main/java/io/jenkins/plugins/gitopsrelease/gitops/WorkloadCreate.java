package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code workload create}: writes the component's Workload to a {@link ResourceStore} (GitOps files or the OpenChoreo
 * API). Without a descriptor and with an existing Workload only {@code spec.container.image} changes; otherwise a
 * Workload is built from the descriptor (or bare, image only). {@link #buildInfo} records where the image was built
 * as annotations, so OpenChoreo and Backstage can link back to the CI run. File placement: {@code outputPath}, else
 * the file already holding the Workload, else {@code workload.yaml} next to the Component, else
 * {@code projects/<p>/components/<c>/workload.yaml}.
 */
public final class WorkloadCreate {
    /** Annotation keys recording where the Workload's image was built (a project namespace, not OpenChoreo's). */
    public static final String ANNOTATION_BUILD_URL = "gitops-release.jenkins.io/build-url";
    public static final String ANNOTATION_COMMIT = "gitops-release.jenkins.io/commit";
    public static final String ANNOTATION_IMAGE_DIGEST = "gitops-release.jenkins.io/image-digest";

    private final RepoFiles files;
    private final ResourceStore store;
    private GitopsIndex index;
    private String namespace = "default";
    private String project;
    private String component;
    private String image;
    private Path descriptor;
    private String outputPath;
    private BuildInfo buildInfo;

    private WorkloadCreate(RepoFiles files, ResourceStore store) {
        this.files = files;
        this.store = store;
    }

    /** File-system mode over a GitOps repository. */
    public static WorkloadCreate on(RepoFiles files) {
        return new WorkloadCreate(files, null);
    }

    /** Any store, e.g. the OpenChoreo API ({@code openchoreo.ApiStore}). */
    public static WorkloadCreate on(ResourceStore store) {
        return new WorkloadCreate(null, store);
    }

    public WorkloadCreate index(GitopsIndex index) {
        this.index = index;
        return this;
    }

    public WorkloadCreate namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public WorkloadCreate project(String project) {
        this.project = project;
        return this;
    }

    public WorkloadCreate component(String component) {
        this.component = component;
        return this;
    }

    public WorkloadCreate image(String image) {
        this.image = image;
        return this;
    }

    /** A workload descriptor on local disk; schemaFile and valueFrom.path resolve against its directory. */
    public WorkloadCreate descriptor(Path descriptor) {
        this.descriptor = descriptor;
        return this;
    }

    /** Root-relative file to write the Workload to (file-system mode). */
    public WorkloadCreate outputPath(String outputPath) {
        this.outputPath = outputPath;
        return this;
    }

    /** Where the image was built; recorded as {@code gitops-release.jenkins.io/*} annotations. Null: none. */
    public WorkloadCreate buildInfo(BuildInfo buildInfo) {
        this.buildInfo = buildInfo;
        return this;
    }

    /** The CI run that built the image: its URL, the source commit and the image digest (each may be null). */
    public record BuildInfo(String buildUrl, String commit, String imageDigest) implements java.io.Serializable {
        Map<String, String> annotations() {
            Map<String, String> a = new LinkedHashMap<>();
            put(a, ANNOTATION_BUILD_URL, buildUrl);
            put(a, ANNOTATION_COMMIT, commit);
            put(a, ANNOTATION_IMAGE_DIGEST, imageDigest);
            return a;
        }

        private static void put(Map<String, String> a, String key, String value) {
            if (value != null && !value.isBlank()) {
                a.put(key, value.trim());
            }
        }
    }

    /** What was decided: where the Workload went (path or API URL), what happened, the file changes (files only). */
    public record Result(String path, String workloadName, boolean fromDescriptor, ResourceStore.Outcome outcome,
            List<FileChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    public Result call() {
        Names.label("--namespace", namespace);
        Names.label("--project", project);
        Names.label("--component", component);
        if (image == null || image.isBlank()) {
            throw new InvalidInputException("Missing required parameter(s): --image: give the image reference to deploy");
        }
        if (image.chars().anyMatch(c -> c <= ' ')) {
            throw InvalidInputException.invalid("--image", image, "an image reference has no spaces or control characters");
        }
        if (buildInfo != null && buildInfo.buildUrl() != null && !buildInfo.buildUrl().isBlank()) {
            checkBuildUrl(buildInfo.buildUrl().trim());
        }
        // Files: only this component's (GitopsIndex.forComponent falls back to every file where the layout is silent).
        GitopsIndex idx = index != null || store != null ? index
                : GitopsIndex.forComponent(files, namespace, project, component, null);
        ResourceStore st = store != null ? store : ResourceStore.files(files, idx, outputPath);
        boolean fromDescriptor = descriptor != null;
        // Read the descriptor before touching the store: bad input fails before the first call or write.
        ObjectNode descriptorSpec = fromDescriptor ? descriptorSpec() : null;
        Optional<ResourceStore.Found> existing = st.workload(namespace, project, component);
        ObjectNode spec;
        String ns;
        if (!fromDescriptor && existing.isPresent()) {
            spec = st.carriedSpec(existing.get().doc());
            ObjectNode container = spec.has("container") && spec.get("container").isObject()
                    ? (ObjectNode) spec.get("container") : spec.putObject("container");
            container.put("image", image);
            ns = Json.text(existing.get().doc(), "metadata", "namespace");
        } else {
            if (fromDescriptor) {
                spec = descriptorSpec;
            } else {
                spec = Json.obj();
                spec.set("container", Json.obj().put("image", image));
            }
            ns = namespace;
        }
        String name = st.workloadName(existing, component, fromDescriptor);
        ObjectNode doc = Workloads.document(name, ns, project, component, spec);
        if (buildInfo != null && !buildInfo.annotations().isEmpty()) {
            ObjectNode md = (ObjectNode) doc.get("metadata");
            ObjectNode ann = Json.obj();
            JsonNode old = existing.map(f -> Json.at(f.doc(), "metadata", "annotations")).orElse(null);
            if (old != null && old.isObject()) {
                ann.setAll((ObjectNode) old.deepCopy());
            }
            buildInfo.annotations().forEach(ann::put);
            md.set("annotations", ann);
        }
        ResourceStore.Written w = st.putWorkload(namespace, project, component, doc);
        return new Result(w.where(), name, fromDescriptor, w.outcome(), w.changes());
    }

    private ObjectNode descriptorSpec() {
        if (!Files.isRegularFile(descriptor)) {
            throw InvalidInputException.invalid("--descriptor", descriptor, "not a regular file: give the path of the"
                    + " workload descriptor");
        }
        // Bounded: a descriptor path such as /dev/zero must not read forever.
        String text = new String(io.jenkins.plugins.gitopsrelease.core.ParseLimits.readFile("--descriptor",
                descriptor), StandardCharsets.UTF_8);
        JsonNode d = YamlDocs.parseOne(text, descriptor.toString());
        Path base = descriptor.toAbsolutePath().getParent();
        return Workloads.fromDescriptor(d, image, base, descriptor.toString());
    }

    private static void checkBuildUrl(String url) {
        java.net.URI u;
        try {
            u = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid("--build-url", url, "give the http(s) URL of the CI run");
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getRawUserInfo() != null) {
            throw InvalidInputException.invalid("--build-url", u.getRawUserInfo() != null ? "(URL with user info)" : url,
                    "give the http(s) URL of the CI run, without credentials");
        }
    }
}
