package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code workload create}: writes the component's Workload. Without a descriptor and with an existing Workload only
 * {@code spec.container.image} changes; otherwise a Workload is built from the descriptor (or bare, image only).
 * Placement: {@code outputPath}, else the file already holding the Workload, else {@code workload.yaml} next to
 * the Component, else {@code projects/<p>/components/<c>/workload.yaml}.
 */
public final class WorkloadCreate {
    private final RepoFiles files;
    private GitopsIndex index;
    private String namespace = "default";
    private String project;
    private String component;
    private String image;
    private Path descriptor;
    private String outputPath;

    private WorkloadCreate(RepoFiles files) {
        this.files = files;
    }

    public static WorkloadCreate on(RepoFiles files) {
        return new WorkloadCreate(files);
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

    /** Root-relative file to write the Workload to. */
    public WorkloadCreate outputPath(String outputPath) {
        this.outputPath = outputPath;
        return this;
    }

    /** What was decided and the change (none when the file already has that content). */
    public record Result(String path, String workloadName, boolean fromDescriptor, List<FileChange> changes) {
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
        GitopsIndex idx = index != null ? index : GitopsIndex.forComponent(files, namespace, project, component, null);
        Optional<Resource> existing = idx.workload(project, component);
        String out = outputPath == null ? null : RepoPaths.normalize(outputPath);
        if (out != null && existing.isPresent() && !existing.get().path().equals(out)) {
            throw new InvalidInputException("--output-path: the Workload for " + project + "/" + component
                    + " already lives in " + existing.get().where() + "; writing " + out + " would create a second"
                    + " one: drop --output-path or move the file");
        }
        ObjectNode doc;
        boolean fromDescriptor = descriptor != null;
        if (descriptor == null && existing.isPresent()) {
            Resource w = existing.get();
            ObjectNode spec = Workloads.specWithoutOwner(w.spec());
            ((ObjectNode) spec.get("container")).put("image", image);
            doc = Workloads.document(w.name(), Json.text(w.tree(), "metadata", "namespace"), project, component, spec);
        } else {
            ObjectNode spec;
            if (descriptor != null) {
                String text;
                try {
                    text = Files.readString(descriptor, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw InvalidInputException.invalid("--descriptor", descriptor, "cannot read the file ("
                            + e.getClass().getSimpleName() + "): give the path of the workload descriptor");
                }
                JsonNode d = YamlDocs.parseOne(text, descriptor.toString());
                Path base = descriptor.toAbsolutePath().getParent();
                spec = Workloads.fromDescriptor(d, image, base, descriptor.toString());
            } else {
                spec = Json.obj();
                spec.set("container", Json.obj().put("image", image));
            }
            doc = Workloads.document(component + "-workload", namespace, project, component, spec);
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
            Optional<Resource> comp = idx.get("Component", namespace, component);
            path = comp.map(c -> ReleaseConfig.join(c.dir(), "workload.yaml"))
                    .orElse("projects/" + project + "/components/" + component + "/workload.yaml");
            if (files.exists(path)) {
                throw new InvalidInputException(path + " exists but holds no Workload for " + project + "/"
                        + component + ": move it away or give --output-path");
            }
            change = Docs.write(files, path, doc);
        }
        return new Result(path, Json.text(doc, "metadata", "name"), fromDescriptor,
                change == null ? List.of() : List.of(change));
    }
}
