package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code watchDeployment}. */
public class WatchDeploymentBuilder extends GitOpsBuilder<WatchDeploymentStep> {
    @DataBoundConstructor
    public WatchDeploymentBuilder(WatchDeploymentStep step) {
        super(step);
    }

    public WatchDeploymentStep getStep() {
        return step();
    }

    @Extension
    @Symbol("gitopsWatchDeployment")
    public static final class DescriptorImpl extends GitOpsBuilder.DescriptorBase {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WatchDeploymentBuilder_DisplayName();
        }
    }
}
