package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.DurationText;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate;
import io.jenkins.plugins.gitopsrelease.release.BulkPromotionEdit;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.forge.ForgeSettings;
import io.jenkins.plugins.gitopsrelease.forge.Forges;
import io.jenkins.plugins.gitopsrelease.forge.OpenReleasePr;
import io.jenkins.plugins.gitopsrelease.forge.ReleasePrResult;
import io.jenkins.plugins.gitopsrelease.git.CommitRelease;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.release.GenerateEdit;
import io.jenkins.plugins.gitopsrelease.git.ReleaseInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Commits the generated release to the GitOps repository and opens (or reuses) its pull request. */
@Command(name = "open-pr", mixinStandardHelpOptions = true,
        description = "Generate the release into the GitOps repository (no checkout), push a release branch and open"
                + " or reuse its pull request. Secrets come from environment variables or files, never from argv.")
final class OpenPrCommand implements Callable<Integer> {

    /** What generation needs from the command line. */
    record GenerationRequest(String namespace, String project, String component, String image, Path descriptor,
            String releaseName, String targetEnv) {
    }

    /** Turns a request into the edit run inside the Git session. */
    @FunctionalInterface
    interface GenerationFactory {
        ReleaseEdit create(GenerationRequest request);
    }

    /** occ-compatible generation on the fetched tree; tests may swap in a smaller edit. */
    static volatile GenerationFactory generation = r -> new GenerateEdit(r.namespace(), r.project(), r.component(),
            r.image(), r.descriptor(), r.releaseName(), r.targetEnv());

    @Mixin
    GlobalOptions global;
    @Mixin
    PolicyOptions policy;

    @Spec
    CommandSpec spec;

    @Option(names = "--repo", required = true, description = "GitOps repository clone URL (no credentials in it).")
    String repo;
    @Option(names = "--base", defaultValue = "main", description = "Base branch (default: ${DEFAULT-VALUE}).")
    String base;
    @Option(names = "--project", required = true)
    String project;
    @Option(names = "--component", description = "The component released (not with --all/--components).")
    String component;
    @Option(names = "--image", description = "Image reference, ideally with @sha256 digest (required unless bulk).")
    String image;
    @Option(names = "--all", description = "Bulk promotion: bind every component of --project to --target-env, each"
            + " to the release bound in the previous environment; one commit, one PR.")
    boolean all;
    @Option(names = "--components", split = ",", paramLabel = "C1,C2",
            description = "Bulk promotion of these components of --project to --target-env; one commit, one PR.")
    List<String> components;
    @Option(names = "--revision", description = "Source commit; its first 8 characters name the release.")
    String revision;
    @Option(names = "--descriptor", description = "Workload descriptor file.")
    Path descriptor;
    @Option(names = "--release-name", description = "Release name (default: <component>-<rev8>).")
    String releaseName;
    @Option(names = "--namespace", defaultValue = "default",
            description = "OpenChoreo namespace of the resources (default: ${DEFAULT-VALUE}, as occ's default context).")
    String namespace;

    @Option(names = "--target-env", description = "Environment to bind the release to.")
    String targetEnv;
    @Option(names = "--branch-style", defaultValue = "release-name",
            description = "release-name (deterministic, reused on rerun) or timestamp.")
    String branchStyle;
    @Option(names = "--direct", description = "Commit on the base branch instead of a release branch (no PR).")
    boolean direct;

    @Option(names = "--forge", description = "github, gitlab, bitbucket, bitbucket-server or gitea.")
    String forge;
    @Option(names = "--forge-url", description = "Forge API/base URL (default: derived from --repo).")
    String forgeUrl;
    @Option(names = "--forge-repo", description = "Repository on the forge, owner/name (default: from --repo).")
    String forgeRepo;
    @Option(names = "--forge-user", description = "GitHub login, or Bitbucket user for an app password.")
    String forgeUser;
    @Option(names = "--token-env", description = "Environment variable holding the forge token.")
    String tokenEnv;
    @Option(names = "--token-file", description = "File holding the forge token.")
    Path tokenFile;
    @Option(names = "--label", description = "Label to add (repeatable).")
    List<String> labels = new ArrayList<>();
    @Option(names = "--reviewer", description = "Reviewer to request (repeatable).")
    List<String> reviewers = new ArrayList<>();
    @Option(names = "--draft")
    boolean draft;
    @Option(names = "--auto-merge", description = "Merge when checks pass (GitHub, GitLab, Gitea).")
    boolean autoMerge;
    @Option(names = "--wait-merge", description = "Wait for the merge and print the merge commit.")
    boolean waitMerge;
    @Option(names = "--merge-timeout", defaultValue = "30m", description = "e.g. 90s, 30m, 2h (default: ${DEFAULT-VALUE}).")
    String mergeTimeout;

    @Option(names = "--git-username", description = "User for HTTP git (with a password or token).")
    String gitUsername;
    @Option(names = "--git-password-env", description = "Environment variable holding the git password or token.")
    String gitPasswordEnv;
    @Option(names = "--git-password-file", description = "File holding the git password or token.")
    Path gitPasswordFile;
    @Option(names = "--ssh-key-file", description = "SSH private key for ssh:// URLs.")
    Path sshKeyFile;
    @Option(names = "--ssh-passphrase-env", description = "Environment variable holding the key's passphrase.")
    String sshPassphraseEnv;
    @Option(names = "--known-hosts", description = "known_hosts file (default: ~/.ssh/known_hosts).")
    Path knownHosts;
    @Option(names = "--author-name", defaultValue = "GitOps Release")
    String authorName;
    @Option(names = "--author-email", defaultValue = "gitops-release@localhost")
    String authorEmail;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        boolean bulk = all || (components != null && !components.isEmpty());
        BulkPromotionEdit bulkEdit = null;
        if (bulk) {
            if (component != null || image != null || descriptor != null || releaseName != null) {
                throw new InvalidInputException("--all/--components promote existing releases: drop --component,"
                        + " --image, --descriptor and --release-name");
            }
            if (all && components != null && !components.isEmpty()) {
                throw new InvalidInputException("--all and --components: give one of them");
            }
            if (targetEnv == null) {
                throw new InvalidInputException("--target-env is required with --all or --components");
            }
            bulkEdit = new BulkPromotionEdit(namespace, project, components, all, targetEnv);
        } else if (component == null || image == null) {
            throw new InvalidInputException("Missing required option(s): --component and --image (or --all /"
                    + " --components with --target-env for bulk promotion)");
        }
        ReleaseInfo release = bulk ? new ReleaseInfo(project, project, "promote:" + targetEnv, revision)
                : new ReleaseInfo(project, component, image, revision);
        CommitRelease.BranchStyle style = switch (branchStyle.toLowerCase(Locale.ROOT)) {
            case "release-name" -> CommitRelease.BranchStyle.RELEASE_NAME;
            case "timestamp" -> CommitRelease.BranchStyle.TIMESTAMP;
            default -> throw InvalidInputException.invalid("--branch-style", branchStyle, "use release-name or timestamp");
        };
        if (descriptor != null && !Files.isRegularFile(descriptor)) {
            throw InvalidInputException.invalid("--descriptor", descriptor, "no such file");
        }
        if (direct && forge != null) {
            throw InvalidInputException.invalid("--direct", true, "a direct commit opens no PR: drop --forge or --direct");
        }
        Duration timeout = waitMerge ? DurationText.parse("--merge-timeout", mergeTimeout) : null;
        if (!bulk) {
            policy.enforce(image, targetEnv, output); // before a branch is pushed
        }
        ReleaseEdit edit = bulk ? bulkEdit : generation.create(new GenerationRequest(namespace, project, component,
                image, descriptor, releaseName, targetEnv));

        CommitRelease commit = CommitRelease.create().setRepository(repo).setBaseBranch(base)
                .setCredentials(gitCredentials()).setRelease(release)
                .setReleaseName(bulk ? project + "-" + targetEnv : releaseName).setBranchStyle(style)
                .setDirect(direct).setEdit(edit).setAuthor(authorName, authorEmail).setProgress(output.progress());
        OpenReleasePr open = OpenReleasePr.create().setCommit(commit, release, base).setTargetEnv(targetEnv)
                .setLabels(labels).setReviewers(reviewers).setDraft(draft).setAutoMerge(autoMerge)
                .setWaitMerge(timeout).setProgress(output.progress());
        if (forge != null) {
            ForgeSettings.Kind kind = ForgeSettings.Kind.parse(forge);
            ForgeSettings s = ForgeSettings.fromRepositoryUrl(kind, repo, forgeUrl, forgeToken(), forgeUser);
            if (forgeRepo != null) {
                s = new ForgeSettings(kind, s.apiUrl(), forgeRepo, s.token(), forgeUser, null);
            }
            open.setForge(Forges.create(s));
        }
        ReleasePrResult r = open.call();

        var git = r.git();
        switch (git.status()) {
            case NO_CHANGE -> output.say("no change: " + base + " already holds this release; nothing pushed, no PR");
            case UP_TO_DATE -> output.say("branch  " + git.branch() + " already up to date at " + git.commit());
            default -> {
                output.say("branch  " + git.branch());
                output.say("commit  " + git.commit());
            }
        }
        if (r.pullRequest() != null) {
            output.say("pr      #" + r.pullRequest().number() + " " + nullToEmpty(r.pullRequest().url()) + " ("
                    + r.prAction().name().toLowerCase(Locale.ROOT) + ")");
        }
        if (r.mergeCommitSha() != null) {
            output.say("merged  " + r.mergeCommitSha());
        }
        r.warnings().forEach(w -> output.say("warning: " + w));
        if (r.nextStep() != null && git.changed() && !git.direct()) {
            output.say(r.nextStep());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", git.status().name());
        json.put("branch", git.branch());
        json.put("commit", git.commit());
        json.put("baseCommit", git.baseCommit());
        json.put("changedFiles", git.changedFiles());
        json.put("pushed", git.pushed());
        json.put("releaseName", git.releaseName());
        if (r.pullRequest() != null) {
            json.put("pullRequest", Map.of("number", r.pullRequest().number(), "url", nullToEmpty(r.pullRequest().url()),
                    "action", r.prAction().name()));
        }
        json.put("mergeCommit", r.mergeCommitSha());
        json.put("warnings", r.warnings());
        if (bulk) {
            var items = bulkEdit.lastResult().items();
            json.put("items", items);
            items.stream().filter(i -> i.status() != ReleaseBindingGenerate.Status.FAILED).forEach(i -> output.say(
                    "bound   " + i.project() + "/" + i.component() + " " + i.releaseName() + " ("
                            + i.status().name().toLowerCase(Locale.ROOT) + ")"));
            items.stream().filter(i -> i.status() == ReleaseBindingGenerate.Status.FAILED)
                    .forEach(i -> output.err().println("error: " + i.project() + "/" + i.component() + ": " + i.error()));
            output.result(json);
            ComponentReleaseCommand.failIfAny(items.stream().filter(i -> i.status()
                    == ReleaseBindingGenerate.Status.FAILED).map(i -> i.project() + "/" + i.component()).toList());
            return ExitCodes.OK;
        }
        output.result(json);
        return ExitCodes.OK;
    }

    private GitCredentials gitCredentials() {
        if (sshKeyFile != null) {
            Secret pass = sshPassphraseEnv == null ? null : Secret.fromEnv(sshPassphraseEnv);
            return GitCredentials.sshKeyFile(sshKeyFile, pass, knownHosts);
        }
        Secret password = null;
        if (gitPasswordEnv != null && gitPasswordFile != null) {
            throw InvalidInputException.invalid("--git-password-file", gitPasswordFile, "give either"
                    + " --git-password-env or --git-password-file, not both");
        }
        if (gitPasswordEnv != null) {
            password = Secret.fromEnv(gitPasswordEnv);
        } else if (gitPasswordFile != null) {
            password = Secret.fromFile("--git-password-file", gitPasswordFile);
        }
        if (password == null) {
            if (gitUsername != null) {
                throw InvalidInputException.invalid("--git-username", gitUsername, "a user needs a password or token:"
                        + " add --git-password-env or --git-password-file");
            }
            return GitCredentials.none();
        }
        return gitUsername == null ? GitCredentials.token(password) : GitCredentials.password(gitUsername, password);
    }

    private Secret forgeToken() {
        Secret token = Secret.fromEnvOrFile("--token-env", tokenEnv, "--token-file", tokenFile);
        if (token == null) {
            throw InvalidInputException.invalid("--forge", forge, "a forge needs a token: add --token-env VAR or"
                    + " --token-file FILE");
        }
        return token;
    }


    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
