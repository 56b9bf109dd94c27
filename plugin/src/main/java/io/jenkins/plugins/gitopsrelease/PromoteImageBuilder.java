package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code promoteImage}. */
public class PromoteImageBuilder extends GitOpsBuilder<PromoteImageStep> {
    @DataBoundConstructor
    public PromoteImageBuilder(PromoteImageStep step) {
        super(step);
    }

    public PromoteImageStep getStep() {
        return step();
    }

    @Extension
    @Symbol("gitopsPromoteImage")
    public static final class DescriptorImpl extends GitOpsBuilder.DescriptorBase {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PromoteImageBuilder_DisplayName();
        }
    }
}
