package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.forge.ForgeSettings;
import io.jenkins.plugins.gitopsrelease.forge.Forges;
import io.jenkins.plugins.gitopsrelease.forge.OpenReleasePr;
import io.jenkins.plugins.gitopsrelease.forge.ReleasePrResult;
import io.jenkins.plugins.gitopsrelease.git.CommitRelease;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.git.ReleaseInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The {@code openReleasePr} step: generation on the GitOps repository's base branch (no checkout), the release
 * branch pushed, the pull request opened or reused. Everything the developer leaves out comes from the settings the
 * platform engineer fixed: repository, base branch, namespace, forge, branch style, labels, auto-merge.
 */
public final class OpenReleasePrRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String repositoryUrl;
    private String baseBranch;
    private String namespace;
    private String project;
    private String component;
    private String image;
    private String descriptor;
    private String releaseName;
    private String targetEnv;
    private ReleaseSettings policySettings;
    private final java.util.ArrayList<String> policyInsecure = new java.util.ArrayList<>();
    private String revision;
    private String forge;
    private String forgeUrl;
    private Secret forgeToken;
    private String forgeUser;
    private String branchStyle;
    private final ArrayList<String> labels = new ArrayList<>();
    private final ArrayList<String> reviewers = new ArrayList<>();
    private boolean draft;
    private boolean autoMerge;
    private long waitMergeMinutes;
    private long mergePollMillis;
    private boolean bindOnly;
    private String gitUsername;
    private Secret gitPassword;
    private Secret sshKey;
    private Secret sshPassphrase;
    private final ArrayList<String> bulkComponents = new ArrayList<>();
    private boolean bulkAll;
    private String mode = GenerateRequest.MODE_FILE_SYSTEM;
    private String apiServer;
    private io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth apiAuth;
    private int parallel = 8;

    @Override
    public String verb() {
        return Verbs.OPEN_RELEASE_PR;
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        return call(workspace, env, progress);
    }

    public static OpenReleasePrRequest create() {
        return new OpenReleasePrRequest();
    }

    /** Step values first, then the settings; labels are the union of both. */
    public OpenReleasePrRequest settings(ReleaseSettings s, String repositoryUrl, String baseBranch, String namespace,
            String forge, String branchStyle, List<String> labels, Boolean autoMerge) {
        this.repositoryUrl = first(repositoryUrl, s.repositoryUrl());
        this.baseBranch = first(baseBranch, s.baseBranch());
        this.namespace = first(namespace, s.namespace());
        this.forge = first(forge, s.forge());
        this.forgeUrl = s.forgeUrl();
        this.policySettings = s;
        this.branchStyle = first(branchStyle, s.branchStyle());
        LinkedHashSet<String> all = new LinkedHashSet<>(s.labels());
        if (labels != null) {
            all.addAll(labels);
        }
        this.labels.clear();
        this.labels.addAll(all);
        this.autoMerge = autoMerge != null ? autoMerge : s.autoMerge();
        if (this.repositoryUrl == null) {
            throw new InvalidInputException("repositoryUrl: no GitOps repository: set it in the global configuration"
                    + " (or gitops-release.yaml) or pass repositoryUrl to the step");
        }
        return this;
    }

    /**
     * The platform settings whose {@code targetEnv} policy must hold for the image before anything is written (set
     * with the settings already; registry hosts reached over plain HTTP for reading the build's record).
     */
    public OpenReleasePrRequest policySettings(ReleaseSettings settings, List<String> insecureRegistries) {
        this.policySettings = settings;
        if (insecureRegistries != null) {
            this.policyInsecure.addAll(insecureRegistries);
        }
        return this;
    }

    public OpenReleasePrRequest release(String project, String component, String image, String descriptor,
            String releaseName, String targetEnv, String revision) {
        this.project = project;
        this.component = component;
        this.image = image;
        this.descriptor = BuildImageRequest.blank(descriptor) ? null : descriptor;
        this.releaseName = BuildImageRequest.blank(releaseName) ? null : releaseName;
        this.targetEnv = BuildImageRequest.blank(targetEnv) ? null : targetEnv;
        this.revision = BuildImageRequest.blank(revision) ? null : revision;
        return this;
    }

    public OpenReleasePrRequest pullRequest(List<String> reviewers, boolean draft, long waitMergeMinutes) {
        if (reviewers != null) {
            this.reviewers.addAll(reviewers);
        }
        this.draft = draft;
        if (waitMergeMinutes < 0) {
            throw InvalidInputException.invalid("mergeTimeout", waitMergeMinutes, "give minutes >= 0");
        }
        this.waitMergeMinutes = waitMergeMinutes;
        return this;
    }

    /** How often to ask the forge whether the PR is merged (default: the forge module's 15 s). */
    public OpenReleasePrRequest mergePollInterval(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw InvalidInputException.invalid("mergePollInterval", interval, "give a positive duration, e.g. 15s");
        }
        this.mergePollMillis = interval == null ? 0 : interval.toMillis();
        return this;
    }

    /**
     * Promotion: bind the existing release (the {@code releaseName} given to {@link #release}, required) to the
     * target environment, as {@code releasebinding generate --target-env ENV --component-release NAME} does, instead
     * of generating a new release. The branch is {@code release/<release-name>-<env>}, apart from the release's own.
     */
    public OpenReleasePrRequest bindOnly(boolean bindOnly) {
        this.bindOnly = bindOnly;
        return this;
    }

    /**
     * Bulk promotion: bind every listed component of the project (or {@code all} of them) to {@code targetEnv}, each
     * to the release bound in the previous environment. GitOps mode: one commit and one PR holding every binding;
     * api-server mode ({@link #api}): one binding update per component, in parallel with a bound.
     */
    public OpenReleasePrRequest bulk(List<String> components, boolean all) {
        this.bulkComponents.clear();
        if (components != null) {
            this.bulkComponents.addAll(components);
        }
        this.bulkAll = all;
        return this;
    }

    /** The OpenChoreo namespace (api-server mode, where no GitOps settings apply). */
    public OpenReleasePrRequest namespace(String namespace) {
        this.namespace = BuildImageRequest.blank(namespace) ? null : namespace;
        return this;
    }

    /** api-server mode for bulk promotion: the OpenChoreo API instead of a GitOps repository and a PR. */
    public OpenReleasePrRequest api(String mode, String server,
            io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth auth, int parallel) {
        this.mode = BuildImageRequest.blank(mode) ? GenerateRequest.MODE_FILE_SYSTEM : mode.trim();
        if (!this.mode.equals(GenerateRequest.MODE_FILE_SYSTEM) && !this.mode.equals(GenerateRequest.MODE_API_SERVER)) {
            throw InvalidInputException.invalid("mode", mode, "use 'file-system' or 'api-server'");
        }
        this.apiServer = server;
        this.apiAuth = auth;
        this.parallel = parallel;
        return this;
    }

    boolean isBulk() {
        return bulkAll || !bulkComponents.isEmpty();
    }

    public OpenReleasePrRequest forgeToken(Secret token, String user) {
        this.forgeToken = token;
        this.forgeUser = user;
        return this;
    }

    public OpenReleasePrRequest gitPassword(String username, Secret password) {
        this.gitUsername = username;
        this.gitPassword = password;
        return this;
    }

    public OpenReleasePrRequest gitSshKey(Secret key, Secret passphrase) {
        this.sshKey = key;
        this.sshPassphrase = passphrase;
        return this;
    }

    public String repositoryUrl() {
        return repositoryUrl;
    }

    public String forge() {
        return forge;
    }

    @Override
    public List<Secret> secrets() {
        List<Secret> s = new ArrayList<>();
        if (apiAuth instanceof io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.Token t) {
            s.add(t.token());
        } else if (apiAuth instanceof io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.ClientCredentials cc) {
            s.add(cc.clientSecret());
        }
        for (Secret x : new Secret[] {forgeToken, gitPassword, sshKey, sshPassphrase}) {
            if (x != null) {
                s.add(x);
            }
        }
        return s;
    }

    public StepResult call(Path workspace, Progress progress) {
        return call(workspace, Map.of(), progress);
    }

    public StepResult call(Path workspace, Map<String, String> env, Progress progress) {
        GenerateRequest.require(project, "project");
        if (isBulk()) {
            return bulk(progress);
        }
        if (GenerateRequest.MODE_API_SERVER.equals(mode)) {
            throw new InvalidInputException("mode 'api-server' of openReleasePr is bulk promotion: give components:"
                    + " [...] or all: true with targetEnv (a single release goes through generateGitopsResources)");
        }
        GenerateRequest.require(component, "component");
        GenerateRequest.require(image, "image");
        long start = System.nanoTime();
        PolicyGuard guard = PolicyGuard.of(policySettings, targetEnv);
        io.jenkins.plugins.gitopsrelease.policy.CheckPolicy.Evaluation evaluation = guard == null ? null
                : guard.insecure(policyInsecure).check(image, env, progress);
        ReleaseInfo release = new ReleaseInfo(project, component, image, revision);
        // The environment generation bound: targetEnv, or the pipeline's root environment when none was given.
        java.util.concurrent.atomic.AtomicReference<String> boundEnvironment =
                new java.util.concurrent.atomic.AtomicReference<>(targetEnv);
        java.util.concurrent.atomic.AtomicReference<List<FileChange>> lastChanges =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        GitCredentials creds = sshKey != null ? GitCredentials.sshKey(sshKey, sshPassphrase, null)
                : gitPassword != null ? GitCredentials.password(gitUsername, gitPassword) : GitCredentials.none();
        if (bindOnly && (releaseName == null || targetEnv == null)) {
            throw new InvalidInputException("bindOnly: binding an existing release needs its releaseName and the"
                    + " targetEnv");
        }
        // Stage times for the report: generation (summed over attempts), then the rest of the Git session up to the
        // push, then the forge calls, then the wait for the merge.
        java.util.concurrent.atomic.AtomicLong generateNanos = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong pushedAt = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong prOpenedAt = new java.util.concurrent.atomic.AtomicLong();
        Progress timed = message -> {
            if (message != null) {
                if (message.startsWith("opened ") || message.startsWith("updated ")) {
                    prOpenedAt.compareAndSet(0, System.nanoTime());
                }
            }
            progress.step(message);
        };
        CommitRelease commit = CommitRelease.create().setRepository(repositoryUrl).setBaseBranch(baseBranch)
                .setCredentials(creds).setRelease(release).setReleaseName(bindOnly ? null : releaseName)
                .setBranchStyle("timestamp".equals(branchStyle) ? CommitRelease.BranchStyle.TIMESTAMP
                        : CommitRelease.BranchStyle.RELEASE_NAME)
                .setEdit(base -> {
                    long t0 = System.nanoTime();
                    // Remember the last attempt's changes: the Git session keeps paths only, the report wants kinds.
                    ReleaseEdit.Result result;
                    if (bindOnly) {
                        result = bind(base);
                    } else {
                        var g = new GenerateEdit(namespace, project, component, image,
                                descriptor == null ? null : workspace.resolve(descriptor).normalize(), releaseName,
                                targetEnv).generate(base);
                        boundEnvironment.set(g.environment());
                        result = new ReleaseEdit.Result(g.changes(), g.releaseName());
                    }
                    lastChanges.set(result.changes());
                    generateNanos.addAndGet(System.nanoTime() - t0);
                    return result;
                })
                .setProgress(message -> {
                    progress.step(message);
                    pushedAt.set(System.nanoTime()); // the session's last message is its push (or why none)
                });
        OpenReleasePr open = OpenReleasePr.create().setCommit(commit, release, baseBranch).setTargetEnv(targetEnv)
                .setProgress(timed);
        if (mergePollMillis > 0) {
            open.setPollInterval(Duration.ofMillis(mergePollMillis));
        }
        boolean hasForge = forge != null && !"none".equals(forge);
        if (!hasForge && (!labels.isEmpty() || !reviewers.isEmpty() || draft || autoMerge || waitMergeMinutes > 0)) {
            // Settings may carry PR labels for all jobs; without a forge there is no PR to put them on.
            progress.step("no forge configured: the release branch is pushed; labels, reviewers, draft, auto-merge"
                    + " and waiting for the merge need a forge");
        }
        if (hasForge) {
            open.setLabels(labels).setReviewers(reviewers).setDraft(draft).setAutoMerge(autoMerge)
                    .setWaitMerge(waitMergeMinutes > 0 ? Duration.ofMinutes(waitMergeMinutes) : null);
            if (forgeToken == null) {
                throw new InvalidInputException("forgeCredentialsId: forge " + forge + " needs an API token: choose a"
                        + " secret-text credential in the global configuration or the step");
            }
            open.setForge(Forges.create(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.parse(forge), repositoryUrl,
                    forgeUrl, forgeToken, forgeUser)));
        }
        ReleasePrResult r = open.call();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", r.git().status().name());
        values.put("changed", r.git().changed());
        values.put("branch", r.git().branch());
        values.put("commit", r.git().commit());
        values.put("releaseName", bindOnly ? releaseName : r.git().releaseName());
        values.put("environment", boundEnvironment.get());
        values.put("files", List.copyOf(r.git().changedFiles()));
        List<FileChange> changes = r.git().changed() ? lastChanges.get() : List.of();
        values.put("created", changes.stream().filter(c -> c.kind() == FileChange.Kind.CREATED).map(FileChange::path).toList());
        values.put("updated", changes.stream().filter(c -> c.kind() == FileChange.Kind.UPDATED).map(FileChange::path).toList());
        values.put("title", release.title());
        if (r.pullRequest() != null) {
            values.put("prUrl", r.pullRequest().url());
            values.put("prNumber", r.pullRequest().number());
            values.put("prAction", r.prAction().name());
        }
        values.put("mergeSha", r.mergeCommitSha());
        values.put("nextStep", r.nextStep());
        long end = System.nanoTime();
        long sessionEnd = pushedAt.get() == 0 ? end : pushedAt.get();
        values.put("generateMillis", generateNanos.get() / 1_000_000);
        values.put("pushBranchMillis", Math.max(0, sessionEnd - start - generateNanos.get()) / 1_000_000);
        if (waitMergeMinutes > 0 && r.pullRequest() != null) {
            long mergeFrom = prOpenedAt.get() == 0 ? sessionEnd : prOpenedAt.get();
            values.put("mergeMillis", Math.max(0, end - mergeFrom) / 1_000_000);
        }
        r.warnings().forEach(w -> progress.step("warning: " + w));
        return new StepResult(Verbs.OPEN_RELEASE_PR, values, null, Duration.ofNanos(System.nanoTime() - start))
                .withEvaluation(evaluation);
    }

    /** Bulk promotion in either mode; a failed component fails the step after the others were done. */
    private StepResult bulk(Progress progress) {
        if (targetEnv == null) {
            throw new InvalidInputException("targetEnv: bulk promotion needs the environment to promote to");
        }
        if (bulkAll && !bulkComponents.isEmpty()) {
            throw new InvalidInputException("components and all: give a list of components or all: true, not both");
        }
        if (component != null && !component.isBlank()) {
            throw new InvalidInputException("component: bulk promotion takes components: [...] or all: true");
        }
        long start = System.nanoTime();
        String ns = namespace == null ? "default" : namespace;
        Map<String, Object> values = new LinkedHashMap<>();
        io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate.Result result;
        if (GenerateRequest.MODE_API_SERVER.equals(mode)) {
            if (apiServer == null || apiAuth == null) {
                throw new InvalidInputException("mode 'api-server' needs the OpenChoreo API URL and credentials (global"
                        + " configuration)");
            }
            var api = io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoApi.builder(apiServer).auth(apiAuth).build();
            result = io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate
                    .on(new io.jenkins.plugins.gitopsrelease.openchoreo.ApiStore(api)).namespace(ns).project(project)
                    .all(bulkAll).components(bulkAll ? null : bulkComponents).targetEnv(targetEnv)
                    .parallelism(parallel).call();
            values.put("mode", GenerateRequest.MODE_API_SERVER);
        } else {
            if (repositoryUrl == null) {
                throw new InvalidInputException("repositoryUrl: no GitOps repository configured");
            }
            BulkPromotionEdit edit = new BulkPromotionEdit(ns, project, bulkComponents, bulkAll, targetEnv);
            ReleaseInfo release = new ReleaseInfo(project, project, "promote:" + targetEnv, revision);
            GitCredentials creds = sshKey != null ? GitCredentials.sshKey(sshKey, sshPassphrase, null)
                    : gitPassword != null ? GitCredentials.password(gitUsername, gitPassword) : GitCredentials.none();
            CommitRelease commit = CommitRelease.create().setRepository(repositoryUrl).setBaseBranch(baseBranch)
                    .setCredentials(creds).setRelease(release).setReleaseName(project + "-" + targetEnv)
                    .setBranchStyle(CommitRelease.BranchStyle.RELEASE_NAME).setEdit(edit).setProgress(progress::step);
            OpenReleasePr open = OpenReleasePr.create().setCommit(commit, release, baseBranch).setTargetEnv(targetEnv)
                    .setProgress(progress::step);
            if (forge != null && !"none".equals(forge)) {
                if (forgeToken == null) {
                    throw new InvalidInputException("forgeCredentialsId: forge " + forge + " needs an API token");
                }
                open.setLabels(labels).setReviewers(reviewers).setDraft(draft).setAutoMerge(autoMerge)
                        .setForge(Forges.create(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.parse(forge),
                                repositoryUrl, forgeUrl, forgeToken, forgeUser)));
            }
            ReleasePrResult r = open.call();
            result = edit.lastResult();
            values.put("mode", GenerateRequest.MODE_FILE_SYSTEM);
            values.put("status", r.git().status().name());
            values.put("branch", r.git().branch());
            values.put("commit", r.git().commit());
            values.put("files", List.copyOf(r.git().changedFiles()));
            if (r.pullRequest() != null) {
                values.put("prUrl", r.pullRequest().url());
                values.put("prNumber", r.pullRequest().number());
            }
        }
        values.put("environment", targetEnv);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (var i : result.items()) {
            String who = i.project() + "/" + i.component();
            if (i.status() == io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate.Status.FAILED) {
                failed.add(who);
                progress.step("failed " + who + ": " + i.error());
            } else {
                done.add(who + " " + i.status().name().toLowerCase(java.util.Locale.ROOT) + " " + i.releaseName());
            }
        }
        values.put("components", done);
        values.put("failed", failed);
        String failure = failed.isEmpty() ? null : failed.size() + " component(s) failed to promote to " + targetEnv
                + ": " + String.join(", ", failed) + " (the others were done)";
        return new StepResult(Verbs.OPEN_RELEASE_PR, values, failure, Duration.ofNanos(System.nanoTime() - start));
    }

    /** {@code releasebinding generate}: the release must already be on the base branch. */
    private io.jenkins.plugins.gitopsrelease.git.ReleaseEdit.Result bind(io.jenkins.plugins.gitopsrelease.files.RepoFiles base) {
        var r = io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate.on(base)
                .namespace(namespace == null ? "default" : namespace).project(project).component(component)
                .componentRelease(releaseName).targetEnv(targetEnv).call();
        if (!r.failed().isEmpty()) {
            throw new io.jenkins.plugins.gitopsrelease.core.OperationFailedException("binding " + releaseName + " to "
                    + targetEnv + " failed: " + r.failed().get(0).error());
        }
        return new io.jenkins.plugins.gitopsrelease.git.ReleaseEdit.Result(r.changes(), releaseName + "-" + targetEnv);
    }

    static String first(String a, String b) {
        return a != null && !a.isBlank() ? a.trim() : b;
    }
}
