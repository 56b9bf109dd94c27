package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One verb's parameters, already resolved against the platform settings, ready to run where the workspace is. The
 * Jenkins plugin builds these on the controller (where credentials and the global configuration live) and runs them
 * on the agent; the CLI's {@code release} runs them in-process.
 */
public interface StepRequest extends Serializable {

    /** The verb's Jenkins step name (see {@link Verbs}). */
    String verb();

    /** Runs the verb; {@code env} is the build's environment (not the agent process's). */
    StepResult run(Path workspace, Map<String, String> env, Progress progress);

    /**
     * {@link #run} behind the engine's boundary: whatever escapes leaves as a one-line, scrubbed
     * {@code GitOpsReleaseException} (see {@link Failures}). Front ends call this, not {@code run}.
     */
    default StepResult execute(Path workspace, Map<String, String> env, Progress progress) {
        return Failures.guard(() -> run(workspace, env, progress));
    }

    /** The secrets this request carries, so that a log can mask them. */
    List<Secret> secrets();
}
