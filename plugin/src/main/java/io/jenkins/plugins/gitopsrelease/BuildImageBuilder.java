package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code buildImage}. */
public class BuildImageBuilder extends GitOpsBuilder<BuildImageStep> {
    @DataBoundConstructor
    public BuildImageBuilder(BuildImageStep step) {
        super(step);
    }

    public BuildImageStep getStep() {
        return step();
    }

    @Extension
    @Symbol("gitopsBuildImage")
    public static final class DescriptorImpl extends GitOpsBuilder.DescriptorBase {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BuildImageBuilder_DisplayName();
        }
    }
}
