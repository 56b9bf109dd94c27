package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of every GitOps Release step: engine work off the CPS thread, its result map returned to the
 * script. Not resumable across a controller restart (a push or a copy is not either).
 */
final class GitOpsExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /** The context every step needs: a node with a workspace. */
    static final Set<? extends Class<?>> REQUIRED_CONTEXT =
            Set.of(Run.class, FilePath.class, EnvVars.class, TaskListener.class);

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
    private final transient GitOpsStep step;

    GitOpsExecution(GitOpsStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        return step.perform(c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class));
    }
}
