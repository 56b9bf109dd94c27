package io.jenkins.plugins.gitopsrelease;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What a platform engineer configures once: the GitOps repository and its forge, the environments in promotion order
 * and the component link. Steps fall back to these values for every parameter the developer leaves out. JCasC key:
 * {@code unclassified: gitopsRelease:}; the field names equal the keys of the CLI's {@code gitops-release.yaml}.
 */
@Extension
@Symbol("gitopsRelease")
public class GitOpsReleaseConfiguration extends GlobalConfiguration {
    static final List<String> FORGES = List.of("none", "github", "gitlab", "bitbucket", "bitbucket-server", "gitea");
    static final List<String> BRANCH_STYLES = List.of("release-name", "timestamp");

    private String repositoryUrl;
    private String baseBranch = "main";
    private String gitCredentialsId;
    private String forge = "none";
    private String forgeUrl;
    private String forgeCredentialsId;
    private String branchStyle = "release-name";
    private String labels;
    private boolean autoMerge;
    private String namespace = "default";
    private String componentLinkTemplate;
    private List<EnvironmentConfig> environments = new ArrayList<>();
    /** Secret-text credentials holding each provider's webhook secret (GitLab: the secret token). */
    private String githubWebhookCredentialsId;
    private String gitlabWebhookCredentialsId;
    private String bitbucketWebhookCredentialsId;
    /** Bitbucket Cloud hooks created without a secret: the hook's UUID (X-Hook-UUID) to accept. */
    private String bitbucketHookUuid;

    public GitOpsReleaseConfiguration() {
        load();
    }

    public static GitOpsReleaseConfiguration get() {
        return ExtensionList.lookupSingleton(GitOpsReleaseConfiguration.class);
    }

    public String getRepositoryUrl() {
        return repositoryUrl;
    }

    @DataBoundSetter
    public void setRepositoryUrl(String repositoryUrl) {
        this.repositoryUrl = Util.fixEmptyAndTrim(repositoryUrl);
        save();
    }

    public String getBaseBranch() {
        return baseBranch;
    }

    @DataBoundSetter
    public void setBaseBranch(String baseBranch) {
        String v = Util.fixEmptyAndTrim(baseBranch);
        this.baseBranch = v == null ? "main" : v;
        save();
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Util.fixEmptyAndTrim(gitCredentialsId);
        save();
    }

    public String getForge() {
        return forge;
    }

    @DataBoundSetter
    public void setForge(String forge) {
        String v = Util.fixEmptyAndTrim(forge);
        this.forge = v == null ? "none" : v;
        save();
    }

    public String getForgeUrl() {
        return forgeUrl;
    }

    @DataBoundSetter
    public void setForgeUrl(String forgeUrl) {
        this.forgeUrl = Util.fixEmptyAndTrim(forgeUrl);
        save();
    }

    public String getForgeCredentialsId() {
        return forgeCredentialsId;
    }

    @DataBoundSetter
    public void setForgeCredentialsId(String forgeCredentialsId) {
        this.forgeCredentialsId = Util.fixEmptyAndTrim(forgeCredentialsId);
        save();
    }

    public String getBranchStyle() {
        return branchStyle;
    }

    @DataBoundSetter
    public void setBranchStyle(String branchStyle) {
        String v = Util.fixEmptyAndTrim(branchStyle);
        this.branchStyle = v == null ? "release-name" : v;
        save();
    }

    public String getLabels() {
        return labels;
    }

    /** Comma-separated labels put on every release pull request. */
    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = Util.fixEmptyAndTrim(labels);
        save();
    }

    public List<String> labelList() {
        List<String> out = new ArrayList<>();
        if (labels != null) {
            for (String l : labels.split(",")) {
                if (!l.isBlank()) {
                    out.add(l.trim());
                }
            }
        }
        return out;
    }

    public boolean isAutoMerge() {
        return autoMerge;
    }

    @DataBoundSetter
    public void setAutoMerge(boolean autoMerge) {
        this.autoMerge = autoMerge;
        save();
    }

    public String getNamespace() {
        return namespace;
    }

    /** The OpenChoreo namespace of the GitOps resources (occ's default context uses {@code default}). */
    @DataBoundSetter
    public void setNamespace(String namespace) {
        String v = Util.fixEmptyAndTrim(namespace);
        this.namespace = v == null ? "default" : v;
        save();
    }

    public String getComponentLinkTemplate() {
        return componentLinkTemplate;
    }

    /** e.g. {@code https://console.example.com/{namespace}/{project}/{component}?env={environment}}. */
    @DataBoundSetter
    public void setComponentLinkTemplate(String componentLinkTemplate) {
        this.componentLinkTemplate = Util.fixEmptyAndTrim(componentLinkTemplate);
        save();
    }

    public List<EnvironmentConfig> getEnvironments() {
        return environments == null ? List.of() : List.copyOf(environments);
    }

    @DataBoundSetter
    public void setEnvironments(List<EnvironmentConfig> environments) {
        this.environments = environments == null ? new ArrayList<>() : new ArrayList<>(environments);
        save();
    }

    public String getGithubWebhookCredentialsId() {
        return githubWebhookCredentialsId;
    }

    @DataBoundSetter
    public void setGithubWebhookCredentialsId(String id) {
        this.githubWebhookCredentialsId = Util.fixEmptyAndTrim(id);
        save();
    }

    public String getGitlabWebhookCredentialsId() {
        return gitlabWebhookCredentialsId;
    }

    @DataBoundSetter
    public void setGitlabWebhookCredentialsId(String id) {
        this.gitlabWebhookCredentialsId = Util.fixEmptyAndTrim(id);
        save();
    }

    public String getBitbucketWebhookCredentialsId() {
        return bitbucketWebhookCredentialsId;
    }

    @DataBoundSetter
    public void setBitbucketWebhookCredentialsId(String id) {
        this.bitbucketWebhookCredentialsId = Util.fixEmptyAndTrim(id);
        save();
    }

    public String getBitbucketHookUuid() {
        return bitbucketHookUuid;
    }

    @DataBoundSetter
    public void setBitbucketHookUuid(String uuid) {
        this.bitbucketHookUuid = Util.fixEmptyAndTrim(uuid);
        save();
    }

    /** The environment of that name, or null. */
    public EnvironmentConfig environment(String name) {
        for (EnvironmentConfig e : getEnvironments()) {
            if (e.getName() != null && e.getName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The registry credentials of the environment whose registry holds {@code image}, or null. */
    public String registryCredentialsFor(String image) {
        for (EnvironmentConfig e : getEnvironments()) {
            if (e.getRegistry() != null && image != null && image.startsWith(e.getRegistry() + "/")) {
                return e.getRegistryCredentialsId();
            }
        }
        return null;
    }

    /** The same settings as the engine and the CLI's gitops-release.yaml know them (same names). */
    public ReleaseSettings toSettings() {
        List<ReleaseSettings.Environment> envs = new ArrayList<>();
        for (EnvironmentConfig e : getEnvironments()) {
            envs.add(new ReleaseSettings.Environment(e.getName(), e.getRegistry(), null, null, null, null,
                    e.getKubeServerUrl(), null, e.getNamespace(), e.getWatchKind(), null, e.toPolicy()));
        }
        return new ReleaseSettings(repositoryUrl, baseBranch, namespace, forge, forgeUrl, null, branchStyle,
                labelList(), autoMerge, componentLinkTemplate, envs);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.GitOpsReleaseConfiguration_DisplayName();
    }

    public ListBoxModel doFillForgeItems() {
        ListBoxModel m = new ListBoxModel();
        for (String f : FORGES) {
            m.add(f, f);
        }
        return m;
    }

    public ListBoxModel doFillBranchStyleItems() {
        ListBoxModel m = new ListBoxModel();
        for (String s : BRANCH_STYLES) {
            m.add(s, s);
        }
        return m;
    }

    @POST
    public ListBoxModel doFillGitCredentialsIdItems(@QueryParameter String gitCredentialsId) {
        return credentialItems(StandardUsernameCredentials.class, gitCredentialsId);
    }

    @POST
    public ListBoxModel doFillForgeCredentialsIdItems(@QueryParameter String forgeCredentialsId) {
        return credentialItems(StringCredentials.class, forgeCredentialsId);
    }

    @POST
    public ListBoxModel doFillGithubWebhookCredentialsIdItems(@QueryParameter String githubWebhookCredentialsId) {
        return credentialItems(StringCredentials.class, githubWebhookCredentialsId);
    }

    @POST
    public ListBoxModel doFillGitlabWebhookCredentialsIdItems(@QueryParameter String gitlabWebhookCredentialsId) {
        return credentialItems(StringCredentials.class, gitlabWebhookCredentialsId);
    }

    @POST
    public ListBoxModel doFillBitbucketWebhookCredentialsIdItems(
            @QueryParameter String bitbucketWebhookCredentialsId) {
        return credentialItems(StringCredentials.class, bitbucketWebhookCredentialsId);
    }

    @POST
    public FormValidation doCheckRepositoryUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return FormValidation.warning(Messages.GitOpsReleaseConfiguration_RepositoryUrlMissing());
        }
        if (v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]+@.*") && !v.startsWith("ssh://")) {
            return FormValidation.error(Messages.GitOpsReleaseConfiguration_RepositoryUrlUserInfo());
        }
        return FormValidation.ok();
    }

    @POST
    public FormValidation doCheckComponentLinkTemplate(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return FormValidation.ok();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(v);
        while (m.find()) {
            if (!Set.of("namespace", "project", "component", "environment").contains(m.group(1))) {
                return FormValidation.error(Messages.GitOpsReleaseConfiguration_UnknownPlaceholder(m.group(1)));
            }
        }
        return FormValidation.ok();
    }

    /** Environment names must be unique: promotion order is by name. */
    @POST
    public FormValidation doCheckEnvironments() {
        Set<String> seen = new HashSet<>();
        for (EnvironmentConfig e : getEnvironments()) {
            if (!seen.add(e.getName())) {
                return FormValidation.error(Messages.GitOpsReleaseConfiguration_DuplicateEnvironment(e.getName()));
            }
        }
        return FormValidation.ok();
    }

    /** Global-scope credential choices; administrators only, so credential ids do not leak to others. */
    static <C extends StandardCredentials> ListBoxModel credentialItems(Class<C> type, String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }
}
