package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.gitops.Generate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code generateGitopsResources} step: occ's release step on a GitOps repository checked out in the workspace
 * ({@code root}, default the workspace itself). Every file is written atomically, and only after the whole
 * generation succeeded.
 */
public final class GenerateRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String root = ".";
    private String namespace;
    private String project;
    private String component;
    private String image;
    private String descriptor;
    private String releaseName;
    private String targetEnv;
    private ReleaseSettings policySettings;
    private final java.util.ArrayList<String> policyInsecure = new java.util.ArrayList<>();

    @Override
    public String verb() {
        return Verbs.GENERATE;
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        return call(workspace, env, progress);
    }

    @Override
    public List<io.jenkins.plugins.gitopsrelease.core.Secret> secrets() {
        return List.of();
    }

    public static GenerateRequest create() {
        return new GenerateRequest();
    }

    public GenerateRequest root(String root) {
        this.root = BuildImageRequest.blank(root) ? "." : root;
        return this;
    }

    /** Falls back to the settings' namespace (occ's {@code default}). */
    public GenerateRequest namespace(String namespace, ReleaseSettings settings) {
        this.namespace = BuildImageRequest.blank(namespace) ? settings.namespace() : namespace;
        this.policySettings = settings;
        return this;
    }

    /**
     * The platform settings whose {@code targetEnv} policy must hold for the image before anything is written (set
     * with the settings already; registry hosts reached over plain HTTP for reading the build's record).
     */
    public GenerateRequest policySettings(ReleaseSettings settings, List<String> insecureRegistries) {
        this.policySettings = settings;
        if (insecureRegistries != null) {
            this.policyInsecure.addAll(insecureRegistries);
        }
        return this;
    }

    public GenerateRequest project(String project) {
        this.project = project;
        return this;
    }

    public GenerateRequest component(String component) {
        this.component = component;
        return this;
    }

    public GenerateRequest image(String image) {
        this.image = image;
        return this;
    }

    public GenerateRequest descriptor(String descriptor) {
        this.descriptor = BuildImageRequest.blank(descriptor) ? null : descriptor;
        return this;
    }

    public GenerateRequest releaseName(String releaseName) {
        this.releaseName = BuildImageRequest.blank(releaseName) ? null : releaseName;
        return this;
    }

    public GenerateRequest targetEnv(String targetEnv) {
        this.targetEnv = BuildImageRequest.blank(targetEnv) ? null : targetEnv;
        return this;
    }

    public StepResult call(Path workspace, Progress progress) {
        return call(workspace, Map.of(), progress);
    }

    public StepResult call(Path workspace, Map<String, String> env, Progress progress) {
        require(project, "project");
        require(component, "component");
        require(image, "image");
        long start = System.nanoTime();
        PolicyGuard guard = PolicyGuard.of(policySettings, targetEnv);
        io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy = guard == null ? null
                : guard.insecure(policyInsecure).check(image, env, progress);
        DirectoryFiles repo = new DirectoryFiles(workspace.resolve(root).normalize());
        Generate.Result r = Generate.on(repo).namespace(namespace == null ? "default" : namespace).project(project)
                .component(component).image(image)
                .descriptor(descriptor == null ? null : workspace.resolve(descriptor).normalize())
                .releaseName(releaseName).targetEnv(targetEnv).call();
        repo.apply(r.changes());
        for (FileChange c : r.changes()) {
            progress.step(c.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + c.path());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("releaseName", r.releaseName());
        values.put("environment", r.environment());
        values.put("files", List.copyOf(r.changes().stream().map(FileChange::path).toList()));
        values.put("created", List.copyOf(r.created()));
        values.put("updated", List.copyOf(r.updated()));
        if (policy != null) {
            values.put("policy", policy.environment() + ": " + policy.rules().size() + " rules met");
        }
        return new StepResult(Verbs.GENERATE, values, null, Duration.ofNanos(System.nanoTime() - start));
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + ": required");
        }
    }
}
