package io.jenkins.plugins.gitopsrelease;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.LinkTemplate;
import io.jenkins.plugins.gitopsrelease.release.StepRequest;
import io.jenkins.plugins.gitopsrelease.release.StepResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code path every step and freestyle builder shares: run the request on the agent, record what happened on the
 * run's "GitOps Release" page (also when it failed), then return the values or fail the build with the engine's
 * message.
 */
final class StepRunner {
    private StepRunner() {
    }

    /**
     * Who the run's report is about; null fields when the step does not know (buildImage, promoteImage, a watch by
     * component alone). Such a step joins the report an earlier step of the run started for the same component.
     */
    record Subject(String component, String project, String namespace) {
        boolean complete() {
            return component != null && project != null;
        }

        Subject orFrom(ReleaseReport report) {
            if (complete() || report == null || (component != null && !component.equals(report.component()))) {
                return this;
            }
            return new Subject(report.component(), report.project(), report.namespace());
        }
    }

    static Map<String, Object> run(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener,
            StepRequest request, Subject subject) throws IOException, InterruptedException {
        GitOpsReleaseAction action = GitOpsReleaseAction.of(run);
        long start = System.nanoTime();
        StepResult result;
        try {
            result = workspace.act(new AgentStep(request, listener, new HashMap<>(env), false));
        } catch (AbortException e) {
            recordFailure(action, subject, request.verb(), Duration.ofNanos(System.nanoTime() - start), e.getMessage());
            throw e;
        }
        action.recordFacts(result);
        record(action, subject, result);
        if (result.failure() != null) {
            throw new AbortException(result.failure());
        }
        return scriptValues(result.values());
    }

    /**
     * The map a Pipeline gets: plain {@link LinkedHashMap}/{@link ArrayList} (what CPS persists and the sandbox allows
     * without question) rather than the engine's immutable collections.
     */
    static Map<String, Object> scriptValues(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v instanceof List<?> l ? new ArrayList<>(l) : v));
        return out;
    }

    private static void record(GitOpsReleaseAction action, Subject given, StepResult result) throws IOException {
        Subject subject = given.orFrom(action.report());
        if (!subject.complete()) {
            if (result.value("digest") != null && result.value("repository") != null) {
                action.recordImage(str(result.value("repository")), str(result.value("tag")),
                        str(result.value("digest")), str(result.value("builder")));
            }
            return;
        }
        action.update(subject.component(), subject.project(), subject.namespace(), b -> {
            result.contributeTo(b);
            linkComponent(b, subject, str(result.value("environment")));
        });
    }

    private static void recordFailure(GitOpsReleaseAction action, Subject given, String verb, Duration took,
            String message) throws IOException {
        Subject subject = given.orFrom(action.report());
        if (!subject.complete()) {
            return;
        }
        action.update(subject.component(), subject.project(), subject.namespace(), b -> {
            String stage = StepResult.stageOf(verb);
            b.addStage(stage, took, ReleaseReport.StageOutcome.FAILED);
            b.addError(stage, message);
        });
    }

    /** The component link from the global template, when one is configured and valid. */
    private static void linkComponent(ReleaseReport.Builder b, Subject s, String environment) {
        String template = GitOpsReleaseConfiguration.get().getComponentLinkTemplate();
        if (template == null) {
            return;
        }
        try {
            Map<String, String> values = new HashMap<>();
            values.put("namespace", s.namespace() == null ? "default" : s.namespace());
            values.put("project", s.project());
            values.put("component", s.component());
            values.put("environment", environment == null ? "" : environment);
            b.setComponentLink(LinkTemplate.parse(template).expand(values));
        } catch (GitOpsReleaseException e) {
            // A broken template must not fail a release; the configuration page flags it.
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
