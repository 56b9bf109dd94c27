package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.MaskingProgress;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.forge.ForgeApiException;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.report.LinkTemplate;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The whole release of one component, the {@code gitops-release release} command: build and push the image, generate
 * the GitOps resources and open the release PR (optionally wait for its merge and for the cluster to run it), then
 * optionally promote the same digest to the next environment and bind the release there in a second PR.
 *
 * <p>Each stage runs through the step request the Jenkins steps use ({@link BuildImageRequest},
 * {@link OpenReleasePrRequest}, {@link WatchDeploymentRequest}, {@link PromoteImageRequest}), so the CLI and the
 * plugin share one code path. The report (HTML and JSON) is written whatever happens: a failed stage makes it FAILED
 * with the stage and its error, and the stage's exception is rethrown. A release branch pushed by a run whose PR could
 * not be opened is deleted again; a failed build leaves no tag (the build verb pushes last) and a failed generation no
 * branch (the Git session pushes after generating).
 *
 * <p>Nothing configured: the image goes to an OCI layout under {@code .gitops-release/images}, the GitOps repository
 * is whatever {@code repositoryUrl} names (a local path or file:// URL works), and without a forge the branch is
 * pushed and the report says how to open the PR.
 */
public final class Release {
    public static final String DEFAULT_DIR = ".gitops-release";

    private final ReleaseSettings settings;
    private Path workspace = Path.of("").toAbsolutePath();
    private String project;
    private String component;
    private String context = ".";
    private String image;
    private String registry;
    private String builder = "auto";
    private String dockerfile;
    private String base;
    private String descriptor;
    private String releaseName;
    private String targetEnv;
    private String revision;
    private String buildResult = DEFAULT_DIR + "/build_result.json";
    private Path report;
    private final List<String> insecureRegistries = new ArrayList<>();
    private String registryUsername;
    private Secret registryPassword;
    private String gitUsername;
    private Secret gitPassword;
    private Secret forgeToken;
    private String forgeUser;
    private Duration waitMerge;
    private Duration mergePollInterval;
    private boolean watch;
    private Duration watchTimeout = Duration.ofMinutes(10);
    private Secret kubeToken;
    private Secret kubeconfig;
    private String kubeContext;
    private String promoteTo;
    private String promoteUsername;
    private Secret promotePassword;
    private String promoteSourceCa;
    private String promoteDestinationCa;
    private String gateKey;
    private String gateValue;
    private boolean promotionPr = true;
    private Progress progress = Progress.NONE;
    private Clock clock = Clock.systemUTC();

    private Release(ReleaseSettings settings) {
        this.settings = settings == null ? ReleaseSettings.defaults() : settings;
    }

    public static Release of(ReleaseSettings settings) {
        return new Release(settings);
    }

    /** Where relative paths (context, descriptor, build result, report, OCI layout) are resolved; default cwd. */
    public Release workspace(Path dir) {
        this.workspace = dir.toAbsolutePath().normalize();
        return this;
    }

    public Release project(String project) {
        this.project = project;
        return this;
    }

    public Release component(String component) {
        this.component = component;
        return this;
    }

    public Release context(String dir) {
        this.context = BuildImageRequest.blank(dir) ? "." : dir;
        return this;
    }

    /** REPO[:TAG], a bare name (placed in the environment's registry) or oci:DIR[:TAG]; default: see the class. */
    public Release image(String image) {
        this.image = BuildImageRequest.blank(image) ? null : image.trim();
        return this;
    }

    /** A registry repository prefix (host[:port]/path) to push {@code <component>:<tag>} to. */
    public Release registry(String registry) {
        this.registry = BuildImageRequest.blank(registry) ? null : registry.trim().replaceAll("/+$", "");
        return this;
    }

    public Release builder(String builder) {
        this.builder = BuildImageRequest.blank(builder) ? "auto" : builder;
        return this;
    }

    public Release dockerfile(String dockerfile) {
        this.dockerfile = dockerfile;
        return this;
    }

    public Release base(String base) {
        this.base = base;
        return this;
    }

    /** Workload descriptor relative to the context (default: workload.yaml found under it). */
    public Release descriptor(String descriptor) {
        this.descriptor = descriptor;
        return this;
    }

    public Release releaseName(String releaseName) {
        this.releaseName = BuildImageRequest.blank(releaseName) ? null : releaseName;
        return this;
    }

    public Release targetEnv(String targetEnv) {
        this.targetEnv = BuildImageRequest.blank(targetEnv) ? null : targetEnv;
        return this;
    }

    /** The source commit (default: HEAD of the Git checkout around the context, if any). */
    public Release revision(String revision) {
        this.revision = BuildImageRequest.blank(revision) ? null : revision;
        return this;
    }

    public Release buildResult(String file) {
        this.buildResult = BuildImageRequest.blank(file) ? DEFAULT_DIR + "/build_result.json" : file;
        return this;
    }

    /** The report: .html or .json; the other format is written next to it. Default .gitops-release/report.html. */
    public Release report(Path file) {
        if (file != null) {
            ReportWriter.formatFor(file);
        }
        this.report = file;
        return this;
    }

    public Release insecureRegistries(List<String> hosts) {
        if (hosts != null) {
            insecureRegistries.addAll(hosts);
        }
        return this;
    }

    /** Credentials for the registry the build pushes to (and the promotion reads from). */
    public Release registryCredentials(String username, Secret password) {
        this.registryUsername = username;
        this.registryPassword = password;
        return this;
    }

    public Release gitCredentials(String username, Secret password) {
        this.gitUsername = username;
        this.gitPassword = password;
        return this;
    }

    public Release forgeToken(Secret token, String user) {
        this.forgeToken = token;
        this.forgeUser = user;
        return this;
    }

    /** Wait up to this long for the release PR to be merged (needs a forge); null: don't wait. */
    public Release waitMerge(Duration timeout) {
        this.waitMerge = timeout;
        return this;
    }

    public Release mergePollInterval(Duration interval) {
        this.mergePollInterval = interval;
        return this;
    }

    /** Watch the target environment until it runs the new image (after the merge, when waiting for it). */
    public Release watch(boolean watch) {
        this.watch = watch;
        return this;
    }

    public Release watchTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw InvalidInputException.invalid("--watch-timeout", timeout, "give a positive duration, e.g. 10m");
        }
        this.watchTimeout = timeout;
        return this;
    }

    /** Kubernetes access for the watch; default: the environment's kubeServerUrl/kubeconfig, else ~/.kube/config. */
    public Release kube(Secret token, Secret kubeconfigContent, String context) {
        this.kubeToken = token;
        this.kubeconfig = kubeconfigContent;
        this.kubeContext = context;
        return this;
    }

    /** Copy the built digest to this environment's registry after the release, then bind the release there. */
    public Release promoteTo(String environment) {
        this.promoteTo = BuildImageRequest.blank(environment) ? null : environment;
        return this;
    }

    public Release promoteCredentials(String username, Secret password) {
        this.promoteUsername = username;
        this.promotePassword = password;
        return this;
    }

    public Release promoteCaFiles(String source, String destination) {
        this.promoteSourceCa = source;
        this.promoteDestinationCa = destination;
        return this;
    }

    /** Promotion gate: the image must carry annotation key=value, else nothing is promoted. */
    public Release requireAnnotation(String key, String value) {
        this.gateKey = BuildImageRequest.blank(key) ? null : key;
        this.gateValue = value;
        return this;
    }

    /** After promoting, open a second PR binding the release to the promoted environment (default true). */
    public Release promotionPr(boolean open) {
        this.promotionPr = open;
        return this;
    }

    public Release progress(Progress progress) {
        this.progress = progress == null ? Progress.NONE : progress;
        return this;
    }

    public Release clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The HTML report path this release writes (known before it runs, so a failing caller can point at it). */
    public Path htmlReport() {
        Path r = reportFile();
        return ReportWriter.formatFor(r) == ReportWriter.Format.HTML ? r : sibling(r, ".html");
    }

    public Path jsonReport() {
        Path r = reportFile();
        return ReportWriter.formatFor(r) == ReportWriter.Format.JSON ? r : sibling(r, ".json");
    }

    private Path reportFile() {
        return workspace.resolve(report != null ? report : Path.of(DEFAULT_DIR, "report.html")).normalize();
    }

    private static Path sibling(Path file, String ext) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ext);
    }

    /** What the release produced. {@code deployImage} is the reference written into the GitOps resources. */
    public record Result(ReleaseReport report, Path htmlReport, Path jsonReport, Path buildResult, String image,
            String deployImage, String releaseName, String repositoryUrl, String branch, String commit,
            String pullRequestUrl, List<String> files, String promotedImage, String promotionBranch,
            String promotionPullRequestUrl, String nextStep) {
        public Result {
            files = List.copyOf(files);
        }
    }

    public Result call() {
        check();
        List<Secret> secrets = new ArrayList<>();
        for (Secret s : new Secret[] {registryPassword, gitPassword, forgeToken, kubeToken, kubeconfig, promotePassword}) {
            if (s != null) {
                secrets.add(s);
            }
        }
        MaskingProgress masked = new MaskingProgress(progress, secrets);
        Run run = new Run(masked);
        try {
            return run.execute();
        } catch (RuntimeException | StackOverflowError e) {
            // Translated first, so the report records the same scrubbed one-line error the user sees.
            io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException g =
                    io.jenkins.plugins.gitopsrelease.core.Failures.translate(e);
            run.fail(g);
            throw g;
        }
    }

    private void check() {
        GenerateRequest.require(project, "project");
        GenerateRequest.require(component, "component");
        if (settings.repositoryUrl() == null) {
            throw new InvalidInputException("repositoryUrl: no GitOps repository: set repositoryUrl in"
                    + " gitops-release.yaml (--config), or run the example with --example");
        }
        boolean hasForge = !"none".equals(settings.forge());
        if (waitMerge != null && !hasForge) {
            throw InvalidInputException.invalid("--wait-merge", true, "waiting for the merge needs a forge: set forge"
                    + " in gitops-release.yaml");
        }
        if (hasForge && forgeToken == null) {
            throw new InvalidInputException("forge token: forge " + settings.forge() + " needs an API token: set"
                    + " forgeTokenEnv in gitops-release.yaml or pass --forge-token-env/--forge-token-file");
        }
        if ((watch || promoteTo != null) && watchOrSourceEnv() == null) {
            throw new InvalidInputException("--target-env: --watch and --promote-to need the environment the release"
                    + " goes to: give --target-env or list environments in gitops-release.yaml");
        }
        if (promoteTo != null && settings.environment(promoteTo).isEmpty()) {
            throw InvalidInputException.invalid("--promote-to", promoteTo, "name an environment of gitops-release.yaml ("
                    + settings.environments().stream().map(ReleaseSettings.Environment::name).toList() + ")");
        }
        if (watch && !settings.environments().isEmpty() && settings.environment(watchOrSourceEnv()).isEmpty()) {
            throw InvalidInputException.invalid("--target-env", watchOrSourceEnv(), "name an environment of"
                    + " gitops-release.yaml to watch it");
        }
        reportFile(); // a bad --report extension is refused before anything runs
    }

    private String watchOrSourceEnv() {
        if (targetEnv != null) {
            return targetEnv;
        }
        return settings.environments().isEmpty() ? null : settings.environments().get(0).name();
    }

    /** One run: the report builder and which stage is running, so a failure is recorded against the right one. */
    private final class Run {
        private final MaskingProgress progress;
        private final ReleaseReport.Builder report;
        private String stage = ReleaseReport.Stages.BUILD;
        private long stageStart = System.nanoTime();
        private boolean pushing;
        private boolean prOpened;
        private boolean recorded;
        private ReleaseBranches branches;
        private Map<String, ObjectId> branchesBefore;

        Run(MaskingProgress progress) {
            this.progress = progress;
            this.report = ReleaseReport.builder().setComponent(component).setProject(project)
                    .setNamespace(settings.namespace()).setStartedAt(clock.instant());
            String env = watchOrSourceEnv();
            if (settings.componentLinkTemplate() != null) {
                try {
                    report.setComponentLink(LinkTemplate.parse(settings.componentLinkTemplate())
                            .expand(settings.namespace(), project, component, env));
                } catch (InvalidInputException e) {
                    progress.step("no component link: " + e.getMessage());
                }
            }
        }

        private void begin(String name) {
            stage = name;
            stageStart = System.nanoTime();
            progress.step("== " + name);
        }

        /** Watches the engine's messages for the moment a stage moves on (push starts, PR opened). */
        private final Progress tracking = new Progress() {
            @Override
            public void step(String message) {
                if (message != null) {
                    if (message.startsWith("pushing ") || message.startsWith("Pushing ")) {
                        pushing = true;
                    }
                    if (message.startsWith("opened ") || message.startsWith("updated ")) {
                        prOpened = true;
                    }
                }
                progress.step(message);
            }

            @Override
            public void transfer(String name, long done, long total) {
                progress.transfer(name, done, total);
            }

            @Override
            public void detail(String message) {
                progress.detail(message);
            }
        };

        Result execute() {
            String rev = revision != null ? revision : headCommit(workspace.resolve(context));
            String env = targetEnv != null ? targetEnv : watchOrSourceEnv();

            // 1. build and push
            begin(ReleaseReport.Stages.BUILD);
            String target = imageTarget(rev, env);
            boolean oci = target.startsWith("oci:");
            BuildImageRequest build = BuildImageRequest.create().image(target, settings).context(context)
                    .dockerfile(dockerfile).builder(builder).base(base).descriptor(descriptor).buildResult(buildResult)
                    .insecureRegistries(insecureRegistries);
            Secret pushPassword = registryPassword;
            String pushUser = registryUsername;
            ReleaseSettings.Environment envSettings = env == null ? null : settings.environment(env).orElse(null);
            if (pushPassword == null && envSettings != null && envSettings.registryPasswordEnv() != null && !oci) {
                pushUser = envSettings.registryUsername();
                pushPassword = Secret.fromEnv(envSettings.registryPasswordEnv());
            }
            if (pushPassword != null && !oci) {
                build.registryCredentials(pushUser, pushPassword);
            }
            StepResult built = build.call(workspace, tracking);
            built.contributeTo(report);
            if ("jib".equals(built.value("builder"))) {
                report.addNote("jib builds and pushes layers together: the build stage includes the push.");
            }
            String digest = (String) built.value("digest");
            String tag = (String) built.value("tag");
            String builtRef = (String) built.value("image");
            String deployImage = oci ? component + ":" + tag + "@" + digest : builtRef;
            if (oci) {
                String dir = ((String) built.value("repository")).substring(4);
                report.addNote("The image is in the OCI layout " + dir + " (tag " + tag + "); copy it to a registry"
                        + " with: skopeo copy oci:" + dir + ":" + tag + " docker://REGISTRY/" + component + ":" + tag
                        + " (the digest stays " + digest + "). The GitOps resources name it " + deployImage + ".");
            }
            // The build recorded where it found the descriptor; generation reads the same file.
            String descriptorForGitops = (String) built.value("descriptor");

            // 2. generate, commit, push the release branch, open the PR (and wait for the merge)
            begin(ReleaseReport.Stages.GENERATE);
            OpenReleasePrRequest pr = prRequest(env, true).release(project, component, deployImage, descriptorForGitops,
                    releaseName, env, rev);
            snapshotBranches();
            StepResult opened = pr.call(workspace, tracking);
            opened.contributeTo(report);
            String nextStep = opened.value("nextStep") == null ? null : opened.value("nextStep").toString()
                    .replace("(or rerun with --forge)", "(or set forge and forgeTokenEnv in gitops-release.yaml)");
            String release = (String) opened.value("releaseName");
            if (nextStep != null && opened.value("prUrl") == null && Boolean.TRUE.equals(opened.value("changed"))) {
                report.addNote("No forge configured: the release branch " + opened.value("branch") + " is pushed to "
                        + settings.repositoryUrl() + "; " + nextStep + ".");
            } else if (nextStep != null && !Boolean.TRUE.equals(opened.value("changed"))) {
                report.addNote(nextStep);
            }

            // 3. watch the cluster
            if (watch) {
                begin(ReleaseReport.Stages.WATCH);
                ReleaseSettings.Environment e = settings.environment(env).orElse(null);
                WatchDeploymentRequest w = WatchDeploymentRequest.create();
                if (kubeconfig != null) {
                    w.kubeconfig(kubeconfig, kubeContext);
                } else if (e != null && e.kubeconfig() != null) {
                    w.kubeconfig(Secret.of(readFile("kubeconfig", Path.of(e.kubeconfig()))),
                            kubeContext != null ? kubeContext : e.kubeContext());
                }
                Secret token = kubeToken != null ? kubeToken
                        : e != null && e.kubeTokenEnv() != null ? Secret.fromEnv(e.kubeTokenEnv()) : null;
                if (token != null) {
                    w.server(null, token, null);
                }
                w.componentIn(component, env, settings).timeoutMinutes(Math.max(1, watchTimeout.toMinutes()));
                boolean bindingKind = e != null && "releasebinding".equals(e.watchKind());
                w.expect(deployImage, null, bindingKind ? release : null);
                StepResult watched = w.call(workspace, tracking);
                watched.contributeTo(report);
                if (watched.failure() != null) {
                    recorded = true;
                    throw new OperationFailedException(watched.failure());
                }
            }

            // 4. promote the same digest and bind the release in the next environment
            String promoted = null;
            String promotionBranch = null;
            String promotionPrUrl = null;
            if (promoteTo != null) {
                begin(ReleaseReport.Stages.PROMOTE);
                if (oci) {
                    throw InvalidInputException.invalid("--promote-to", promoteTo, "the image is in an OCI layout,"
                            + " not a registry: give --registry or environments[].registry to promote");
                }
                PromoteImageRequest p = PromoteImageRequest.create().environments(env, promoteTo, settings)
                        .buildResult(buildResult, (String) built.value("repository"))
                        .insecureRegistries(insecureRegistries).caFiles(promoteSourceCa, promoteDestinationCa)
                        .requireAnnotation(gateKey, gateValue);
                if (pushPassword != null) {
                    p.sourceCredentials(pushUser, pushPassword);
                }
                ReleaseSettings.Environment dest = settings.environment(promoteTo).orElseThrow();
                if (promotePassword != null) {
                    p.destinationCredentials(promoteUsername, promotePassword);
                } else if (dest.registryPasswordEnv() != null) {
                    p.destinationCredentials(dest.registryUsername(), Secret.fromEnv(dest.registryPasswordEnv()));
                }
                StepResult copied = p.call(workspace, System.getenv(), tracking);
                copied.contributeTo(report);
                promoted = (String) copied.value("destination");
                if (promotionPr) {
                    if (opened.value("mergeSha") == null) {
                        // The binding names the release, which is on the base branch only once its PR is merged.
                        report.addNote("Bind " + release + " to " + promoteTo + " once " + opened.value("branch")
                                + " is merged: gitops-release releasebinding generate --project " + project
                                + " --component " + component + " --component-release " + release
                                + " --target-env " + promoteTo + " (or rerun with --wait-merge)");
                    } else {
                        begin("promotion PR");
                        prOpened = false;
                        // Merging the promotion PR is the staging gate; the release does not wait for it.
                        OpenReleasePrRequest bind = prRequest(promoteTo, false).release(project, component, promoted, null,
                                release, promoteTo, rev).bindOnly(true);
                        snapshotBranches();
                        StepResult second = bind.call(workspace, tracking);
                        report.addStage("promotion PR", second.duration(), ReleaseReport.StageOutcome.OK);
                        promotionBranch = (String) second.value("branch");
                        promotionPrUrl = (String) second.value("prUrl");
                        report.addNote("Promotion PR binding " + release + " to " + promoteTo + ": "
                                + (promotionPrUrl != null ? promotionPrUrl + " (#" + second.value("prNumber") + ")"
                                        : "branch " + promotionBranch + "; " + second.value("nextStep")));
                    }
                }
            }

            ReleaseReport done = report.setFinishedAt(clock.instant()).build();
            writeReports(done);
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) opened.value("files");
            return new Result(done, htmlReport(), jsonReport(), workspace.resolve(buildResult).normalize(), builtRef,
                    deployImage, release, settings.repositoryUrl(), (String) opened.value("branch"),
                    (String) opened.value("commit"), (String) opened.value("prUrl"), files == null ? List.of() : files,
                    promoted, promotionBranch, promotionPrUrl, nextStep);
        }

        private OpenReleasePrRequest prRequest(String env, boolean waitForMerge) {
            OpenReleasePrRequest pr = OpenReleasePrRequest.create().settings(settings, null, null, null, null, null,
                    null, null);
            if (gitPassword != null) {
                pr.gitPassword(gitUsername, gitPassword);
            }
            if (forgeToken != null) {
                pr.forgeToken(forgeToken, forgeUser);
            }
            long minutes = waitMerge == null || !waitForMerge ? 0 : Math.max(1, (waitMerge.toSeconds() + 59) / 60);
            pr.pullRequest(null, false, minutes).mergePollInterval(mergePollInterval);
            return pr;
        }

        private void snapshotBranches() {
            try {
                GitCredentials creds = gitPassword != null ? GitCredentials.password(gitUsername, gitPassword)
                        : GitCredentials.none();
                branches = new ReleaseBranches(settings.repositoryUrl(), creds, component);
                branchesBefore = branches.list();
            } catch (IOException | RuntimeException e) {
                // Not being able to list is not a reason to stop; the PR stage will say what is wrong with access.
                branches = null;
                branchesBefore = null;
            }
        }

        /** Records the failure, takes back a branch whose PR was never opened, writes the FAILED report. */
        void fail(RuntimeException e) {
            String failedStage = stageOf(e);
            String message = progress.mask(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            if (!recorded) {
                report.addStage(failedStage, Duration.ofNanos(System.nanoTime() - stageStart),
                        ReleaseReport.StageOutcome.FAILED);
                report.addError(failedStage, message);
            }
            // Only a branch without a PR is taken back: deleting a PR's branch would close the PR.
            if ((failedStage.equals(ReleaseReport.Stages.PR) || failedStage.equals("promotion PR")) && !prOpened
                    && branches != null && branchesBefore != null) {
                try {
                    List<String> deleted = branches.deleteNew(branchesBefore, branches.list(), progress);
                    if (!deleted.isEmpty()) {
                        report.addNote("The pull request could not be opened, so the release branch "
                                + String.join(", ", deleted) + " was deleted again; rerun to retry.");
                    }
                } catch (IOException | RuntimeException cleanup) {
                    report.addNote("The release branch could not be deleted after the failed PR: "
                            + progress.mask(String.valueOf(cleanup.getMessage())));
                }
            }
            try {
                writeReports(report.setOutcome(ReleaseReport.Outcome.FAILED).setFinishedAt(clock.instant())
                        .build());
            } catch (RuntimeException writeFailure) {
                e.addSuppressed(writeFailure);
            }
        }

        private String stageOf(RuntimeException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (stage.equals(ReleaseReport.Stages.BUILD)) {
                boolean pushFailure = pushing || m.matches("(?is).*(refused the credentials|unauthori[sz]ed|denied"
                        + "|\\b401\\b|\\b403\\b|cannot push|push).*");
                return pushFailure ? ReleaseReport.Stages.PUSH : ReleaseReport.Stages.BUILD;
            }
            if (stage.equals(ReleaseReport.Stages.GENERATE)) {
                if (e instanceof ForgeApiException) {
                    return ReleaseReport.Stages.PR;
                }
                if (prOpened) {
                    return waitMerge != null ? StepResult.MERGE_STAGE : ReleaseReport.Stages.PR;
                }
                if (m.startsWith("git push") || m.contains("git push to")) {
                    return ReleaseReport.Stages.PUSH_BRANCH;
                }
                return ReleaseReport.Stages.GENERATE;
            }
            return stage;
        }

        private void writeReports(ReleaseReport r) {
            ReportWriter.write(r, htmlReport());
            ReportWriter.write(r, jsonReport());
        }
    }

    /** The registry target when none was given: the environment's registry, --registry, or the OCI layout. */
    private String imageTarget(String rev, String env) {
        String tag = rev != null ? rev.substring(0, Math.min(8, rev.length()))
                : DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        if (image != null) {
            if (image.startsWith("oci:")) {
                return image;
            }
            String last = image.substring(image.lastIndexOf('/') + 1);
            String withTag = last.contains(":") ? image : image + ":" + tag;
            if (registry != null && !io.jenkins.plugins.gitopsrelease.image.ImageRefs.hasRegistry(withTag)) {
                return registry + "/" + withTag;
            }
            String envRegistry = env == null ? null
                    : settings.environment(env).map(ReleaseSettings.Environment::registry).orElse(null);
            if (envRegistry != null && !io.jenkins.plugins.gitopsrelease.image.ImageRefs.hasRegistry(withTag)) {
                return envRegistry + "/" + withTag;
            }
            return withTag;
        }
        if (registry != null) {
            return registry + "/" + component + ":" + tag;
        }
        String envRegistry = env == null ? null
                : settings.environment(env).map(ReleaseSettings.Environment::registry).orElse(null);
        if (envRegistry != null) {
            return envRegistry + "/" + component + ":" + tag;
        }
        return "oci:" + workspace.resolve(DEFAULT_DIR).resolve("images") + ":" + tag;
    }

    /** HEAD of the Git checkout around {@code dir}, or null outside one. */
    static String headCommit(Path dir) {
        FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (b.getGitDir() == null) {
            return null;
        }
        try (Repository repo = b.setMustExist(true).build()) {
            ObjectId head = repo.resolve("HEAD");
            return head == null ? null : head.name();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String readFile(String field, Path file) {
        return new String(io.jenkins.plugins.gitopsrelease.core.ParseLimits.readFile(field, file),
                StandardCharsets.UTF_8);
    }
}
