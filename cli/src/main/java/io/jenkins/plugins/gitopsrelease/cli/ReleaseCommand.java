package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.DurationText;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository;
import io.jenkins.plugins.gitopsrelease.release.Release;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code release}: the whole pipeline for one component, through the same step requests as the Jenkins steps. */
@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build and push the image, generate the GitOps resources, push the release branch and open"
                + " the PR, optionally wait for the merge, watch the rollout and promote the digest to the next"
                + " environment (with a second PR binding the release there). Writes build_result.json and the"
                + " release report (HTML + JSON) whatever happens.",
                "With nothing configured the image goes to an OCI layout under .gitops-release/ and the release"
                + " branch to the GitOps repository named by repositoryUrl; --example runs all of it on examples/."},
        footer = {"", "Exit codes: 0 released, 1 a stage failed (the report says which), 2 bad input.",
                "Credentials come from environment variables or files only (the *-env and *-file options)."})
final class ReleaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--example", description = "Release examples/hello-web into the example GitOps repository"
            + " (.gitops-release/gitops.git, created from examples/gitops-repo on first run).")
    boolean example;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Platform settings (default: gitops-release.yaml in the current directory when present).")
    Path config;

    @Option(names = "--project", paramLabel = "NAME", description = "OpenChoreo project of the component.")
    String project;
    @Option(names = "--component", paramLabel = "NAME", description = "Component to release.")
    String component;
    @Option(names = "--context", paramLabel = "DIR", defaultValue = ".", description = "Source directory (default: .).")
    String context;
    @Option(names = "--image", paramLabel = "REF",
            description = "REPO[:TAG], a bare name (put in the target environment's registry) or oci:DIR[:TAG]"
                    + " (default: <component>:<rev8> in --registry, the environment's registry, or"
                    + " oci:.gitops-release/images).")
    String image;
    @Option(names = "--registry", paramLabel = "HOST[/PATH]", description = "Registry to push <component>:<tag> to.")
    String registry;
    @Option(names = "--builder", paramLabel = "KIND", description = "auto (default), dockerfile, jib, spa, buildpacks.")
    String builder;
    @Option(names = "--dockerfile", paramLabel = "PATH", description = "Dockerfile relative to --context.")
    String dockerfile;
    @Option(names = "--base", paramLabel = "REF", description = "Base image for jib (default scratch).")
    String base;
    @Option(names = "--descriptor", paramLabel = "PATH", description = "Workload descriptor relative to --context"
            + " (default: workload.yaml found under it).")
    String descriptor;
    @Option(names = "--release-name", paramLabel = "NAME", description = "ComponentRelease name (default: generated).")
    String releaseName;
    @Option(names = "--target-env", paramLabel = "ENV",
            description = "Environment to bind the release to (default: the first environment of --config, else the"
                    + " pipeline's root).")
    String targetEnv;
    @Option(names = "--revision", paramLabel = "SHA", description = "Source commit (default: HEAD around --context).")
    String revision;
    @Option(names = "--insecure-registry", paramLabel = "HOST", description = "Registry reached over plain HTTP (repeatable).")
    List<String> insecure = new ArrayList<>();
    @Option(names = "--build-result", paramLabel = "FILE",
            description = "Where to record the image (default .gitops-release/build_result.json).")
    String buildResult;
    @Option(names = "--report", paramLabel = "FILE",
            description = "Release report, .html or .json; the other format is written next to it"
                    + " (default .gitops-release/report.html and .json).")
    Path report;

    @Option(names = "--registry-username", paramLabel = "USER")
    String registryUsername;
    @Option(names = "--registry-password-env", paramLabel = "VAR")
    String registryPasswordEnv;
    @Option(names = "--registry-password-file", paramLabel = "FILE")
    Path registryPasswordFile;
    @Option(names = "--git-username", paramLabel = "USER")
    String gitUsername;
    @Option(names = "--git-password-env", paramLabel = "VAR")
    String gitPasswordEnv;
    @Option(names = "--git-password-file", paramLabel = "FILE")
    Path gitPasswordFile;
    @Option(names = "--forge-user", paramLabel = "LOGIN")
    String forgeUser;
    @Option(names = "--forge-token-env", paramLabel = "VAR", description = "Default: forgeTokenEnv of --config.")
    String forgeTokenEnv;
    @Option(names = "--forge-token-file", paramLabel = "FILE")
    Path forgeTokenFile;

    @Option(names = "--wait-merge", description = "Wait until the release PR is merged (needs a forge).")
    boolean waitMerge;
    @Option(names = "--merge-timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "e.g. 90s, 30m, 2h (default: ${DEFAULT-VALUE}).")
    String mergeTimeout;
    @Option(names = "--merge-poll", paramLabel = "DURATION", defaultValue = "15s",
            description = "How often to ask the forge (default: ${DEFAULT-VALUE}).")
    String mergePoll;
    @Option(names = "--watch", description = "Watch the target environment until it runs the new image.")
    boolean watch;
    @Option(names = "--watch-timeout", paramLabel = "DURATION", defaultValue = "10m")
    String watchTimeout;
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Default: the environment's kubeconfig.")
    Path kubeconfig;
    @Option(names = "--kube-context", paramLabel = "NAME")
    String kubeContext;
    @Option(names = "--kube-token-env", paramLabel = "VAR")
    String kubeTokenEnv;
    @Option(names = "--kube-token-file", paramLabel = "FILE")
    Path kubeTokenFile;

    @Option(names = "--promote-to", paramLabel = "ENV",
            description = "Copy the digest to this environment's registry, then open a PR binding the release there.")
    String promoteTo;
    @Option(names = "--promote-username", paramLabel = "USER")
    String promoteUsername;
    @Option(names = "--promote-password-env", paramLabel = "VAR")
    String promotePasswordEnv;
    @Option(names = "--promote-password-file", paramLabel = "FILE")
    Path promotePasswordFile;
    @Option(names = "--promote-ca-file", paramLabel = "FILE", description = "PEM CA of the destination registry.")
    String promoteCaFile;
    @Option(names = "--require-annotation", paramLabel = "KEY=VALUE",
            description = "Promotion gate: the image must carry this annotation.")
    String requireAnnotation;
    @Option(names = "--no-promotion-pr", description = "Promote the image only; do not open the binding PR.")
    boolean noPromotionPr;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        Path cwd = Path.of("").toAbsolutePath();
        ReleaseSettings settings;
        Path workspace = cwd;
        String ctx = context;
        String proj = project;
        String comp = component;
        String build = builder;
        if (example) {
            Path examples = findExamples(cwd);
            workspace = examples.getParent();
            Path bare = workspace.resolve(Release.DEFAULT_DIR).resolve("gitops.git");
            if (LocalGitOpsRepository.seedIfMissing(bare, examples.resolve("gitops-repo"), "main")) {
                output.say("created the example GitOps repository " + bare + " from " + examples.resolve("gitops-repo"));
            }
            settings = ReleaseSettings.load(config != null ? config : examples.resolve("gitops-release.yaml"));
            ctx = "." .equals(context) ? workspace.relativize(examples.resolve("hello-web")).toString() : context;
            proj = project != null ? project : "shop";
            comp = component != null ? component : "hello-web";
            // In-process and download-free: the example must run where no container tool is installed.
            build = builder != null ? builder : "jib";
        } else if (config != null) {
            settings = ReleaseSettings.load(config);
        } else if (Files.isRegularFile(cwd.resolve("gitops-release.yaml"))) {
            settings = ReleaseSettings.load(cwd.resolve("gitops-release.yaml"));
        } else {
            settings = ReleaseSettings.defaults();
        }
        if (proj == null || comp == null) {
            throw new InvalidInputException("--project and --component: required (or --example)");
        }
        Secret forgeToken = secret("--forge-token", forgeTokenEnv, forgeTokenFile);
        if (forgeToken == null && settings.forgeTokenEnv() != null && !"none".equals(settings.forge())) {
            forgeToken = Secret.fromEnv(settings.forgeTokenEnv());
        }
        Secret registryPassword = secret("--registry-password", registryPasswordEnv, registryPasswordFile);
        Secret gitPassword = secret("--git-password", gitPasswordEnv, gitPasswordFile);
        Secret promotePassword = secret("--promote-password", promotePasswordEnv, promotePasswordFile);
        Secret kubeToken = secret("--kube-token", kubeTokenEnv, kubeTokenFile);
        Secret kubeconfigContent = kubeconfig == null ? null : Secret.of(read("--kubeconfig", kubeconfig));
        String[] gate = null;
        if (requireAnnotation != null) {
            int eq = requireAnnotation.indexOf('=');
            if (eq <= 0) {
                throw InvalidInputException.invalid("--require-annotation", requireAnnotation, "give KEY=VALUE");
            }
            gate = new String[] {requireAnnotation.substring(0, eq), requireAnnotation.substring(eq + 1)};
        }

        Release release = Release.of(settings).workspace(workspace).project(proj).component(comp).context(ctx)
                .image(image).registry(registry).builder(build).dockerfile(dockerfile).base(base).descriptor(descriptor)
                .releaseName(releaseName).targetEnv(targetEnv).revision(revision).buildResult(buildResult)
                .report(report == null ? null : report.toAbsolutePath()).insecureRegistries(insecure)
                .registryCredentials(registryUsername, registryPassword).gitCredentials(gitUsername, gitPassword)
                .forgeToken(forgeToken, forgeUser)
                .waitMerge(waitMerge ? DurationText.parse("--merge-timeout", mergeTimeout) : null)
                .mergePollInterval(DurationText.parse("--merge-poll", mergePoll))
                .watch(watch).watchTimeout(DurationText.parse("--watch-timeout", watchTimeout))
                .kube(kubeToken, kubeconfigContent, kubeContext)
                .promoteTo(promoteTo).promoteCredentials(promoteUsername, promotePassword)
                .promoteCaFiles(null, promoteCaFile == null ? null : Path.of(promoteCaFile).toAbsolutePath().toString())
                .requireAnnotation(gate == null ? null : gate[0], gate == null ? null : gate[1])
                .promotionPr(!noPromotionPr).progress(output.progress());
        Release.Result r;
        try {
            r = release.call();
        } catch (RuntimeException e) {
            output.err().println("release FAILED; report: " + release.htmlReport() + " (and " + release.jsonReport()
                    + ")");
            throw e;
        }
        say(output, r);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", r.report().outcome().name());
        json.put("image", r.image());
        json.put("deployImage", r.deployImage());
        json.put("buildResult", r.buildResult().toString());
        json.put("releaseName", r.releaseName());
        json.put("repository", r.repositoryUrl());
        json.put("branch", r.branch());
        json.put("commit", r.commit());
        json.put("pullRequest", r.pullRequestUrl());
        json.put("files", r.files());
        json.put("promotedImage", r.promotedImage());
        json.put("promotionBranch", r.promotionBranch());
        json.put("promotionPullRequest", r.promotionPullRequestUrl());
        json.put("reportHtml", r.htmlReport().toString());
        json.put("reportJson", r.jsonReport().toString());
        Map<String, Long> stages = new LinkedHashMap<>();
        for (ReleaseReport.StageTiming s : r.report().stages()) {
            stages.merge(s.stage(), s.duration().toMillis(), Long::sum);
        }
        json.put("stageMillis", stages);
        output.result(json);
        return ExitCodes.OK;
    }

    private static void say(Output output, Release.Result r) {
        output.say("");
        output.say("image          " + r.image());
        if (!r.image().equals(r.deployImage())) {
            output.say("               (the GitOps resources name it " + r.deployImage() + ")");
        }
        output.say("build result   " + r.buildResult());
        output.say("release        " + r.releaseName());
        output.say("GitOps repo    " + r.repositoryUrl());
        if (r.branch() != null) {
            output.say("branch         " + r.branch() + (r.commit() == null ? "" : " @ " + r.commit().substring(0, 8)));
        }
        for (String f : r.files()) {
            output.say("  " + f);
        }
        if (r.pullRequestUrl() != null) {
            output.say("pull request   " + r.pullRequestUrl());
        } else if (r.nextStep() != null) {
            output.say("next           " + r.nextStep());
        }
        if (r.promotedImage() != null) {
            output.say("promoted       " + r.promotedImage());
        }
        if (r.promotionPullRequestUrl() != null) {
            output.say("promotion PR   " + r.promotionPullRequestUrl());
        }
        StringBuilder times = new StringBuilder();
        for (ReleaseReport.StageTiming s : r.report().stages()) {
            times.append(times.length() == 0 ? "" : ", ").append(s.stage()).append(' ')
                    .append(s.duration().toMillis()).append(" ms");
        }
        output.say("stages         " + times);
        output.say("report         " + r.htmlReport());
        output.say("               " + r.jsonReport());
    }

    /** examples/ in the current directory, or next to the repository the jar was built in (cli/target/..). */
    static Path findExamples(Path cwd) {
        if (Files.isDirectory(cwd.resolve("examples").resolve("hello-web"))) {
            return cwd.resolve("examples");
        }
        try {
            Path jar = Path.of(ReleaseCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("examples").resolve("hello-web"))) {
                    return p.resolve("examples");
                }
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through to the error
        }
        throw InvalidInputException.invalid("--example", cwd, "no examples/hello-web here: run it from the root of a"
                + " gitops-release checkout");
    }

    private static Secret secret(String option, String env, Path file) {
        if (env != null && file != null) {
            throw new InvalidInputException(option + "-env and " + option + "-file: give one of them");
        }
        if (env != null) {
            return Secret.fromEnv(env);
        }
        if (file != null) {
            String v = read(option + "-file", file).strip();
            if (v.isEmpty()) {
                throw InvalidInputException.invalid(option + "-file", file, "the file is empty");
            }
            return Secret.of(v);
        }
        return null;
    }

    private static String read(String option, Path file) {
        return new String(io.jenkins.plugins.gitopsrelease.core.ParseLimits.readFile(option, file),
                StandardCharsets.UTF_8);
    }
}
