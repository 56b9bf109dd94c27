package io.jenkins.plugins.gitopsrelease;

import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** What every GitOps Release step shares: the execution that runs {@link #perform} off the CPS thread. */
public abstract class GitOpsStepBase extends Step implements GitOpsStep {

    @Override
    public StepExecution start(StepContext context) {
        return new GitOpsExecution(this, context);
    }

    /** Every step needs a node with a workspace. */
    public abstract static class DescriptorBase extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return GitOpsExecution.REQUIRED_CONTEXT;
        }
    }
}
