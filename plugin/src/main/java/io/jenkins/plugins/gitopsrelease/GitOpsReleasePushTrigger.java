package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Job;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import java.util.Objects;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Opts a job in to push webhooks: when a push reaching {@code /gitops-release-webhook/} touches this OpenChoreo
 * component (auto-build rules, read from the GitOps repository of the global configuration), the job is scheduled.
 * {@code pipelineTriggers([gitopsReleasePush(component: 'api', project: 'shop')])} in a Jenkinsfile, or "Build when
 * a push touches an OpenChoreo component" on a freestyle job.
 */
public class GitOpsReleasePushTrigger extends Trigger<Job<?, ?>> {
    private final String component;
    private final String project;

    @DataBoundConstructor
    public GitOpsReleasePushTrigger(String component, String project) {
        this.component = Util.fixEmptyAndTrim(component);
        this.project = Util.fixEmptyAndTrim(project);
    }

    public String getComponent() {
        return component;
    }

    public String getProject() {
        return project;
    }

    /** Both names given and equal (an unset name never matches anything). */
    boolean matches(String project, String component) {
        return this.component != null && this.project != null && Objects.equals(this.component, component)
                && Objects.equals(this.project, project);
    }

    @Extension
    @Symbol("gitopsReleasePush")
    public static class DescriptorImpl extends TriggerDescriptor {
        @Override
        public boolean isApplicable(Item item) {
            return item instanceof ParameterizedJobMixIn.ParameterizedJob;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GitOpsReleasePushTrigger_DisplayName();
        }

        @POST
        public FormValidation doCheckComponent(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.GitOpsReleasePushTrigger_ComponentRequired()) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckProject(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.GitOpsReleasePushTrigger_ProjectRequired()) : FormValidation.ok();
        }
    }
}
