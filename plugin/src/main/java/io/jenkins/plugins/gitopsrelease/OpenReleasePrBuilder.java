package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle form of {@code openReleasePr}. */
public class OpenReleasePrBuilder extends GitOpsBuilder<OpenReleasePrStep> {
    @DataBoundConstructor
    public OpenReleasePrBuilder(OpenReleasePrStep step) {
        super(step);
    }

    public OpenReleasePrStep getStep() {
        return step();
    }

    @Extension
    @Symbol("gitopsOpenReleasePr")
    public static final class DescriptorImpl extends GitOpsBuilder.DescriptorBase {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OpenReleasePrBuilder_DisplayName();
        }
    }
}
