package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.plugins.workflow.steps.Step;

/**
 * A freestyle build step that wraps the Pipeline step of the same verb, so both share one form (the step's
 * config.jelly) and one code path. Freestyle has no return value; the run's GitOps Release page shows the result.
 */
public abstract class GitOpsBuilder<S extends Step & GitOpsStep> extends Builder implements SimpleBuildStep {
    private final S step;

    protected GitOpsBuilder(S step) {
        this.step = step;
    }

    /**
     * The wrapped step. Each builder publishes it as {@code getStep()} with its concrete type: the form's
     * {@code <f:property field="step"/>} looks the getter up by name, and an inherited generic getter would be typed
     * {@code Step}, which has no descriptor.
     */
    protected S step() {
        return step;
    }

    /** Every GitOps Release build step applies to every kind of job. */
    public abstract static class DescriptorBase extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        step.perform(run, workspace, env, listener);
    }
}
