package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.release.OpenReleasePrRequest;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code openReleasePr project: 'shop', component: 'hello-web', image: built.image}: generates the release on the
 * GitOps repository's base branch (no checkout in the workspace), pushes a release branch and opens (or reuses) the
 * pull request; optionally waits for its merge. Repository, forge, branch style, labels and auto-merge come from the
 * global configuration unless given. Returns {@code [status, changed, branch, commit, releaseName, environment, files,
 * created, updated, title, prUrl, prNumber, prAction, mergeSha, nextStep]}.
 */
public class OpenReleasePrStep extends ReleaseStepBase {
    static final int DEFAULT_MERGE_TIMEOUT = 30;

    private String revision;
    private String repositoryUrl;
    private String baseBranch;
    private String branchStyle;
    private String gitCredentialsId;
    private String forgeCredentialsId;
    private ArrayList<String> labels = new ArrayList<>();
    private ArrayList<String> reviewers = new ArrayList<>();
    private boolean draft;
    private List<String> components;
    private boolean all;
    private String mode;
    private boolean autoMerge;
    private boolean waitMerge;
    private int mergeTimeout = DEFAULT_MERGE_TIMEOUT;

    @DataBoundConstructor
    public OpenReleasePrStep(String project, String component, String image) {
        super(project, component, image);
    }

    public String getRevision() {
        return revision;
    }

    /** The application commit the image was built from; default: the build's {@code GIT_COMMIT}. */
    @DataBoundSetter
    public void setRevision(String revision) {
        this.revision = Util.fixEmptyAndTrim(revision);
    }

    public String getRepositoryUrl() {
        return repositoryUrl;
    }

    @DataBoundSetter
    public void setRepositoryUrl(String repositoryUrl) {
        this.repositoryUrl = Util.fixEmptyAndTrim(repositoryUrl);
    }

    public String getBaseBranch() {
        return baseBranch;
    }

    @DataBoundSetter
    public void setBaseBranch(String baseBranch) {
        this.baseBranch = Util.fixEmptyAndTrim(baseBranch);
    }

    public String getBranchStyle() {
        return branchStyle;
    }

    @DataBoundSetter
    public void setBranchStyle(String branchStyle) {
        this.branchStyle = Util.fixEmptyAndTrim(branchStyle);
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Util.fixEmptyAndTrim(gitCredentialsId);
    }

    public String getForgeCredentialsId() {
        return forgeCredentialsId;
    }

    @DataBoundSetter
    public void setForgeCredentialsId(String forgeCredentialsId) {
        this.forgeCredentialsId = Util.fixEmptyAndTrim(forgeCredentialsId);
    }

    public List<String> getLabels() {
        return labels == null ? List.of() : List.copyOf(labels);
    }

    /**
     * Labels added to the global configuration's labels. A Pipeline passes a list; the form a comma-separated text,
     * which arrives as a one-element list and is split here.
     */
    @DataBoundSetter
    public void setLabels(List<String> labels) {
        this.labels = Parameters.values(labels);
    }

    /** The form's view of {@link #getLabels()}; not a step parameter. */
    public String getLabelsText() {
        return String.join(", ", getLabels());
    }

    public List<String> getReviewers() {
        return reviewers == null ? List.of() : List.copyOf(reviewers);
    }

    /** Same binding as {@link #setLabels(List)}. */
    @DataBoundSetter
    public void setReviewers(List<String> reviewers) {
        this.reviewers = Parameters.values(reviewers);
    }

    public String getReviewersText() {
        return String.join(", ", getReviewers());
    }

    public boolean isDraft() {
        return draft;
    }

    @DataBoundSetter
    public void setDraft(boolean draft) {
        this.draft = draft;
    }

    public boolean isAutoMerge() {
        return autoMerge;
    }

    /** {@code true} asks the forge to merge once checks pass; {@code false} leaves the global configuration's choice. */
    @DataBoundSetter
    public void setAutoMerge(boolean autoMerge) {
        this.autoMerge = autoMerge;
    }

    public boolean isWaitMerge() {
        return waitMerge;
    }

    @DataBoundSetter
    public void setWaitMerge(boolean waitMerge) {
        this.waitMerge = waitMerge;
    }

    public int getMergeTimeout() {
        return mergeTimeout;
    }

    /** Minutes to wait for the merge when {@code waitMerge} is set. */
    @DataBoundSetter
    public void setMergeTimeout(int mergeTimeout) {
        this.mergeTimeout = mergeTimeout;
    }

    public List<String> getComponents() {
        return components == null ? List.of() : List.copyOf(components);
    }

    /** Bulk promotion: these components of the project to targetEnv (each to its previous environment's release). */
    @DataBoundSetter
    public void setComponents(List<String> components) {
        this.components = components == null || components.isEmpty() ? null : new ArrayList<>(components);
    }

    public boolean isAll() {
        return all;
    }

    /** Bulk promotion of every component of the project to targetEnv. */
    @DataBoundSetter
    public void setAll(boolean all) {
        this.all = all;
    }

    public String getMode() {
        return mode;
    }

    /** Bulk promotion's store: {@code file-system} (one commit, one PR) or {@code api-server} (the OpenChoreo API). */
    @DataBoundSetter
    public void setMode(String mode) {
        this.mode = Util.fixEmptyAndTrim(mode);
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        ReleaseSettings settings = config.toSettings();
        String rev = revision != null ? env.expand(revision) : env.get("GIT_COMMIT");
        if ("api-server".equals(mode)) {
            // Bulk promotion through the OpenChoreo API: no GitOps repository, no PR.
            OpenReleasePrRequest api = Parameters.map(() -> OpenReleasePrRequest.create().namespace(settings.namespace())
                    .release(project, component, null, null, null, targetEnv, rev).bulk(components, all));
            api.api(mode, config.getOpenChoreoApiUrl(), new CredentialsLookup(run).openChoreo(
                    config.getOpenChoreoCredentialsId(), "openChoreoCredentialsId"), 8);
            return StepRunner.run(run, workspace, env, listener, api,
                    new StepRunner.Subject(component, project, settings.namespace()));
        }
        OpenReleasePrRequest request = Parameters.map(() -> OpenReleasePrRequest.create()
                .settings(settings, repositoryUrl, baseBranch, null, null, branchStyle, getLabels(),
                        autoMerge ? Boolean.TRUE : null)
                .release(project, component, env.expand(image), descriptor, env.expand(releaseName), targetEnv, rev)
                .pullRequest(getReviewers(), draft, waitMerge ? mergeTimeout : 0).bulk(components, all)
                .policySettings(settings, Parameters.list(insecureRegistries)));
        CredentialsLookup lookup = new CredentialsLookup(run);
        CredentialsLookup.GitAuth git = lookup.git(
                gitCredentialsId != null ? gitCredentialsId : config.getGitCredentialsId(), "gitCredentialsId");
        if (git != null && git.privateKey() != null) {
            request.gitSshKey(git.privateKey(), git.passphrase());
        } else if (git != null) {
            request.gitPassword(git.username(), git.password());
        }
        if (!"none".equals(request.forge())) {
            // Without a forge no API is called, so a configured forge token is neither needed nor looked up.
            Secret token = lookup.secretText(
                    forgeCredentialsId != null ? forgeCredentialsId : config.getForgeCredentialsId(),
                    "forgeCredentialsId");
            if (token != null) {
                request.forgeToken(token, null);
            }
        }
        return StepRunner.run(run, workspace, env, listener, request,
                new StepRunner.Subject(component, project, settings.namespace()));
    }

    @Extension
    public static final class DescriptorImpl extends ReleaseStepBase.ReleaseDescriptorBase {
        @Override
        public String getFunctionName() {
            return "openReleasePr";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OpenReleasePrStep_DisplayName();
        }

        public ListBoxModel doFillBranchStyleItems() {
            return Parameters.choices(Messages.Parameters_GlobalDefault(), GitOpsReleaseConfiguration.BRANCH_STYLES);
        }

        @POST
        public ListBoxModel doFillGitCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String gitCredentialsId) {
            return Parameters.usernameItems(item, gitCredentialsId);
        }

        @POST
        public ListBoxModel doFillForgeCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String forgeCredentialsId) {
            return Parameters.secretTextItems(item, forgeCredentialsId);
        }

        /** Without a repository here or in the global configuration the step cannot run: say so now. */
        @POST
        public FormValidation doCheckRepositoryUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> OpenReleasePrRequest.create().settings(
                    GitOpsReleaseConfiguration.get().toSettings(), v, null, null, null, null, null, null));
        }

        @POST
        public FormValidation doCheckMergeTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> OpenReleasePrRequest.create().pullRequest(null, false,
                    Parameters.minutes("mergeTimeout", v)));
        }
    }
}
