package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code promoteImage}. */
public class PromoteImageBuilder extends GitOpsBuilder<PromoteImageStep> {
    @DataBoundConstructor
    public PromoteImageBuilder(PromoteImageStep step) {
        super(step);
    }

    @Extension
    @Symbol("gitopsPromoteImage")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PromoteImageBuilder_DisplayName();
        }
    }
}
