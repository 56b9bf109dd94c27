package io.jenkins.plugins.gitopsrelease;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.Map;

/** What a step does, callable from its Pipeline execution and from its freestyle builder alike. */
interface GitOpsStep {
    Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException;
}
