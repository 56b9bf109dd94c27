package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code generateGitopsResources}. */
public class GenerateGitopsResourcesBuilder extends GitOpsBuilder<GenerateGitopsResourcesStep> {
    @DataBoundConstructor
    public GenerateGitopsResourcesBuilder(GenerateGitopsResourcesStep step) {
        super(step);
    }

    public GenerateGitopsResourcesStep getStep() {
        return step();
    }

    @Extension
    @Symbol("gitopsGenerate")
    public static final class DescriptorImpl extends GitOpsBuilder.DescriptorBase {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GenerateGitopsResourcesBuilder_DisplayName();
        }
    }
}
