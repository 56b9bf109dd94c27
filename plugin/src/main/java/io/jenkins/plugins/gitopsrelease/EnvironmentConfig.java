package io.jenkins.plugins.gitopsrelease;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One deployment environment in promotion order (development → staging → production): where its images live and how
 * to see what its cluster runs. Field names equal the keys of {@code environments:} in {@code gitops-release.yaml}.
 */
public class EnvironmentConfig implements Describable<EnvironmentConfig>, Serializable {
    private static final long serialVersionUID = 1L;
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final List<String> WATCH_KINDS =
            List.of("deployment", "statefulset", "daemonset", "helmrelease", "kustomization", "application", "releasebinding");

    private final String name;
    private String registry;
    private String registryCredentialsId;
    private String kubeCredentialsId;
    private String kubeServerUrl;
    private String namespace;
    private String watchKind = "deployment";
    // the promotion policy of this environment (what a build must show to enter it); lists are comma/newline separated
    private String requiredAnnotations;
    private String minimumSoak;
    private String allowedBranches;
    private String approvers;

    @DataBoundConstructor
    public EnvironmentConfig(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
    }

    public String getRegistry() {
        return registry;
    }

    /** Repository prefix of this environment's registry, e.g. {@code registry.example.com/staging}. */
    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Util.fixEmptyAndTrim(registry);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    public String getKubeCredentialsId() {
        return kubeCredentialsId;
    }

    /** A secret file (kubeconfig) or secret text (token, used with {@link #getKubeServerUrl()}). */
    @DataBoundSetter
    public void setKubeCredentialsId(String kubeCredentialsId) {
        this.kubeCredentialsId = Util.fixEmptyAndTrim(kubeCredentialsId);
    }

    public String getKubeServerUrl() {
        return kubeServerUrl;
    }

    @DataBoundSetter
    public void setKubeServerUrl(String kubeServerUrl) {
        this.kubeServerUrl = Util.fixEmptyAndTrim(kubeServerUrl);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getWatchKind() {
        return watchKind;
    }

    @DataBoundSetter
    public void setWatchKind(String watchKind) {
        String v = Util.fixEmptyAndTrim(watchKind);
        this.watchKind = v == null ? "deployment" : v;
    }

    public String getRequiredAnnotations() {
        return requiredAnnotations;
    }

    /** {@code KEY} or {@code KEY=VALUE}, comma or newline separated, e.g. {@code deployed.staging, smoke=passed}. */
    @DataBoundSetter
    public void setRequiredAnnotations(String v) {
        this.requiredAnnotations = Util.fixEmptyAndTrim(v);
    }

    public String getMinimumSoak() {
        return minimumSoak;
    }

    /** How long the build must have run in the previous environment, e.g. {@code 30m}. */
    @DataBoundSetter
    public void setMinimumSoak(String v) {
        this.minimumSoak = Util.fixEmptyAndTrim(v);
    }

    public String getAllowedBranches() {
        return allowedBranches;
    }

    @DataBoundSetter
    public void setAllowedBranches(String v) {
        this.allowedBranches = Util.fixEmptyAndTrim(v);
    }

    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String v) {
        this.approvers = Util.fixEmptyAndTrim(v);
    }

    /** The engine's policy of this environment (empty when no field is set). */
    io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy toPolicy() {
        return new io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy(Parameters.list(requiredAnnotations),
                minimumSoak, Parameters.list(allowedBranches), Parameters.list(approvers));
    }

    @Extension
    @Symbol("environment")
    public static final class DescriptorImpl extends Descriptor<EnvironmentConfig> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EnvironmentConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String v = Util.fixEmptyAndTrim(value);
            if (v == null) {
                return FormValidation.error(Messages.EnvironmentConfig_NameRequired());
            }
            if (!NAME.matcher(v).matches()) {
                return FormValidation.error(Messages.EnvironmentConfig_NameInvalid(v));
            }
            return FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRegistry(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String v = Util.fixEmptyAndTrim(value);
            if (v != null && (v.contains("://") || v.endsWith("/"))) {
                return FormValidation.error(Messages.EnvironmentConfig_RegistryInvalid(v));
            }
            return FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRequiredAnnotations(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return policyCheck(() -> new io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy(
                    Parameters.list(value), null, null, null));
        }

        @POST
        public FormValidation doCheckMinimumSoak(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return policyCheck(() -> new io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy(null,
                    Util.fixEmptyAndTrim(value), null, null));
        }

        private static FormValidation policyCheck(Runnable check) {
            try {
                check.run();
                return FormValidation.ok();
            } catch (io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public ListBoxModel doFillWatchKindItems() {
            ListBoxModel m = new ListBoxModel();
            for (String k : WATCH_KINDS) {
                m.add(k, k);
            }
            return m;
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(@QueryParameter String registryCredentialsId) {
            return GitOpsReleaseConfiguration.credentialItems(StandardUsernamePasswordCredentials.class, registryCredentialsId);
        }

        @POST
        public ListBoxModel doFillKubeCredentialsIdItems(@QueryParameter String kubeCredentialsId) {
            return GitOpsReleaseConfiguration.credentialItems(StandardCredentials.class, kubeCredentialsId);
        }
    }
}
