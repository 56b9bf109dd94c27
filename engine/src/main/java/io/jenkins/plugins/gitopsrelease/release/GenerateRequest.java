package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.gitops.Generate;
import io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate;
import io.jenkins.plugins.gitopsrelease.openchoreo.ApiStore;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoApi;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code generateGitopsResources} step: occ's release step, in {@code file-system} mode on a GitOps repository
 * checked out in the workspace ({@code root}, default the workspace itself; every file is written atomically, and
 * only after the whole generation succeeded) or in {@code api-server} mode against the OpenChoreo API (External CI:
 * the Workload, a generated release and the binding are written through the API; nothing in the workspace).
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
    private String mode = MODE_FILE_SYSTEM;
    private String server;
    private OpenChoreoAuth auth;
    private int timeoutSeconds = 30;
    private WorkloadCreate.BuildInfo buildInfo;

    public static final String MODE_FILE_SYSTEM = "file-system";
    public static final String MODE_API_SERVER = "api-server";

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
        if (auth instanceof OpenChoreoAuth.Token t) {
            return List.of(t.token());
        }
        if (auth instanceof OpenChoreoAuth.ClientCredentials cc) {
            return List.of(cc.clientSecret());
        }
        return List.of();
    }

    /** {@code file-system} (default) or {@code api-server}. */
    public GenerateRequest mode(String mode) {
        String m = BuildImageRequest.blank(mode) ? MODE_FILE_SYSTEM : mode.trim();
        if (!m.equals(MODE_FILE_SYSTEM) && !m.equals(MODE_API_SERVER)) {
            throw InvalidInputException.invalid("mode", mode, "use 'file-system' or 'api-server'");
        }
        this.mode = m;
        return this;
    }

    /** api-server mode: the API URL and how to authenticate (Jenkins: from the global configuration). */
    public GenerateRequest api(String server, OpenChoreoAuth auth) {
        this.server = BuildImageRequest.blank(server) ? null : server.trim();
        this.auth = auth;
        return this;
    }

    public GenerateRequest timeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
        return this;
    }

    /** Where the image was built (the Jenkins run URL, the commit, the digest): annotations on the Workload. */
    public GenerateRequest buildInfo(WorkloadCreate.BuildInfo buildInfo) {
        this.buildInfo = buildInfo;
        return this;
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
        // The target environment's policy is judged before anything is written, in either mode.
        PolicyGuard guard = PolicyGuard.of(policySettings, targetEnv);
        io.jenkins.plugins.gitopsrelease.policy.CheckPolicy.Evaluation evaluation = guard == null ? null
                : guard.insecure(policyInsecure).check(image, env, progress);
        io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy = evaluation == null ? null : evaluation.result();
        if (MODE_API_SERVER.equals(mode)) {
            return callApi(workspace, progress, start, policy).withEvaluation(evaluation);
        }
        DirectoryFiles repo = new DirectoryFiles(workspace.resolve(root).normalize());
        Generate.Result r = Generate.on(repo).namespace(namespace == null ? "default" : namespace).project(project)
                .component(component).image(image)
                .descriptor(descriptor == null ? null : workspace.resolve(descriptor).normalize())
                .releaseName(releaseName).targetEnv(targetEnv).buildInfo(buildInfo).call();
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
        return new StepResult(Verbs.GENERATE, values, null, Duration.ofNanos(System.nanoTime() - start))
                .withEvaluation(evaluation);
    }

    private StepResult callApi(Path workspace, Progress progress, long start,
            io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy) {
        if (server == null) {
            throw new InvalidInputException("mode 'api-server' needs the OpenChoreo API URL: set it in the global"
                    + " configuration (OpenChoreo API URL) or give server:");
        }
        if (auth == null) {
            throw new InvalidInputException("mode 'api-server' needs credentials: set an OpenChoreo credentials id"
                    + " (username/password = OAuth client id/secret, or secret text = token)");
        }
        if (!".".equals(root)) {
            throw new InvalidInputException("root: a GitOps checkout is for mode 'file-system'; drop it in 'api-server'"
                    + " mode");
        }
        OpenChoreoApi api = OpenChoreoApi.builder(server).auth(auth)
                .timeout(Duration.ofSeconds(Math.max(1, timeoutSeconds))).build();
        Generate.Result r = Generate.on(new ApiStore(api)).namespace(namespace == null ? "default" : namespace)
                .project(project).component(component).image(image)
                .descriptor(descriptor == null ? null : workspace.resolve(descriptor).normalize())
                .releaseName(releaseName).targetEnv(targetEnv).buildInfo(buildInfo).call();
        r.created().forEach(u -> progress.step("created " + u));
        r.updated().forEach(u -> progress.step("updated " + u));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mode", MODE_API_SERVER);
        values.put("releaseName", r.releaseName());
        values.put("environment", r.environment());
        values.put("workloadUrl", r.workloadPath());
        values.put("releaseUrl", r.releasePath());
        values.put("bindingUrl", r.bindingPaths().get(0));
        values.put("files", List.of());
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
