package io.jenkins.plugins.gitopsrelease;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.MaskingProgress;
import io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException;
import io.jenkins.plugins.gitopsrelease.release.StepRequest;
import io.jenkins.plugins.gitopsrelease.release.StepResult;
import java.io.File;
import java.util.HashMap;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Runs one engine verb in the agent JVM that holds the workspace. Secrets travel only inside the request; the log
 * gets the engine's progress with every secret masked. Engine errors come back as {@link AbortException}s carrying
 * the engine's one-line message (no stack trace in the build log).
 */
record AgentStep(StepRequest request, TaskListener listener, HashMap<String, String> env, boolean verbose)
        implements ControllerToAgentFileCallable<StepResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public StepResult invoke(File workspace, VirtualChannel channel) throws AbortException {
        MaskingProgress progress = new MaskingProgress(new LogProgress(listener, verbose), request.secrets());
        long start = System.nanoTime();
        try {
            return request.execute(workspace.toPath(), env, progress);
        } catch (PolicyRefusedException e) {
            // a result, not an exception: the run records which rules were unmet, then the step fails with the message
            return StepResult.refused(request.verb(), e, progress.mask(e.getMessage()),
                    java.time.Duration.ofNanos(System.nanoTime() - start));
        } catch (GitOpsReleaseException e) {
            throw new AbortException(progress.mask(e.getMessage()));
        }
    }
}
