package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one verb run as a step returns: the values a Jenkinsfile gets back ({@code def r = buildImage ...}; only
 * strings, numbers, booleans and lists of those, which Pipeline can persist and the sandbox allows), a failure that
 * should fail the step after the run recorded it (a watch that timed out), and — derived from the same values — the
 * step's contribution to the run's release report. Plain data, so it travels back from an agent without surprises.
 */
public final class StepResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String verb;
    private final LinkedHashMap<String, Object> values;
    private final String failure;
    private final long durationMillis;
    /** The build's record as this step saw it (JSON, see {@link RecordJson}), null when the step read none. */
    private String recordJson;
    /** Every policy evaluation of the step (JSON), in order. */
    private final java.util.ArrayList<String> policyJson = new java.util.ArrayList<>();

    StepResult(String verb, Map<String, Object> values, String failure, Duration duration) {
        this.verb = verb;
        this.values = new LinkedHashMap<>();
        // Plain JDK collections only: immutable List.of() copies are internal classes a remoting filter may refuse.
        values.forEach((k, v) -> this.values.put(k, v instanceof List<?> l ? new java.util.ArrayList<>(l) : v));
        this.failure = failure;
        this.durationMillis = duration.toMillis();
    }

    public String verb() {
        return verb;
    }

    /** The step's return value; a copy the caller may keep. */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * A step refused by a policy: no values, the refusal as the failure, the evaluation and the record it judged
     * attached, so the run shows which rules were unmet.
     */
    public static StepResult refused(String verb, io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException e,
            String message, Duration took) {
        StepResult r = new StepResult(verb, Map.of(), message, took);
        if (e.result() != null) {
            r.withPolicy(e.result());
        }
        if (e.record() != null) {
            r.withRecord(e.record());
        }
        return r;
    }

    StepResult withRecord(io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord record) {
        this.recordJson = record == null ? null : RecordJson.toJson(record);
        return this;
    }

    StepResult withPolicy(io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy) {
        if (policy != null) {
            policyJson.add(RecordJson.toJson(policy));
        }
        return this;
    }

    /** A policy check that passed: its verdict and the record it judged (null: no policy). */
    StepResult withEvaluation(io.jenkins.plugins.gitopsrelease.policy.CheckPolicy.Evaluation e) {
        return e == null ? this : withRecord(e.record()).withPolicy(e.result());
    }

    /** The build's record captured on the agent by this step (JSON text; {@link RecordJson#record} reads it). */
    public String recordJson() {
        return recordJson;
    }

    /** The policy evaluations of this step, as JSON texts ({@link RecordJson#policy} reads them). */
    public List<String> policyJson() {
        return List.copyOf(policyJson);
    }

    public Object value(String key) {
        return values.get(key);
    }

    private String text(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        Object v = values.get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** Non-null when the step must fail (after the run recorded what happened). */
    public String failure() {
        return failure;
    }

    public Duration duration() {
        return Duration.ofMillis(durationMillis);
    }

    /** Applies this step's facts to a run's report: one stage timing, plus what the verb learned. */
    public void contributeTo(ReleaseReport.Builder b) {
        ReleaseReport.StageOutcome outcome = failure == null ? ReleaseReport.StageOutcome.OK : ReleaseReport.StageOutcome.FAILED;
        if (values.isEmpty() && failure != null) { // refused before it did anything: a failed stage, nothing else
            b.addStage(stageOf(verb), duration(), outcome);
            b.addError(stageOf(verb), failure);
            return;
        }
        switch (verb) {
            case Verbs.BUILD_IMAGE -> {
                b.setImage(text("repository"), text("tag"), text("digest")).setImageBuilder(text("builder"));
                if (values.get("buildMillis") instanceof Number build && values.get("pushMillis") instanceof Number push) {
                    b.addStage(ReleaseReport.Stages.BUILD, Duration.ofMillis(build.longValue()), outcome);
                    b.addStage(ReleaseReport.Stages.PUSH, Duration.ofMillis(push.longValue()), outcome);
                } else {
                    b.addStage(ReleaseReport.Stages.BUILD, duration(), outcome);
                }
            }
            case Verbs.GENERATE -> {
                b.setReleaseName(text("releaseName"));
                if ("api-server".equals(text("mode"))) {
                    // API objects, not files: listed as notes that link to them.
                    list("created").forEach(u -> b.addNote("OpenChoreo API: created " + u));
                    list("updated").forEach(u -> b.addNote("OpenChoreo API: updated " + u));
                } else {
                    list("created").forEach(p -> b.addFileChanged(p, FileChange.Kind.CREATED));
                    list("updated").forEach(p -> b.addFileChanged(p, FileChange.Kind.UPDATED));
                }
                b.addStage(ReleaseReport.Stages.GENERATE, duration(), outcome);
            }
            case Verbs.OPEN_RELEASE_PR -> {
                if (text("releaseName") != null) {
                    b.setReleaseName(text("releaseName"));
                }
                list("created").forEach(p -> b.addFileChanged(p, FileChange.Kind.CREATED));
                list("updated").forEach(p -> b.addFileChanged(p, FileChange.Kind.UPDATED));
                if (text("branch") != null && Boolean.TRUE.equals(values.get("changed"))) {
                    b.setPullRequest(pullRequest());
                }
                if (text("environment") != null) {
                    b.putEnvironment(new ReleaseReport.EnvironmentStatus(text("environment"),
                            ReleaseReport.EnvironmentState.PENDING, text("releaseName"), null, null, null));
                }
                addPrStages(b, outcome);
            }
            case Verbs.PROMOTE_IMAGE -> {
                if (text("sourceEnvironment") != null && text("destinationEnvironment") != null) {
                    b.addPromotion(new ReleaseReport.Promotion(text("sourceEnvironment"), text("destinationEnvironment"),
                            text("source"), text("destination"), text("digest")));
                    b.putEnvironment(new ReleaseReport.EnvironmentStatus(text("destinationEnvironment"),
                            ReleaseReport.EnvironmentState.PROMOTED, null, text("digest"), null, null));
                }
                b.addStage(ReleaseReport.Stages.PROMOTE, duration(), outcome);
            }
            case Verbs.WATCH_DEPLOYMENT -> {
                if (text("environment") != null) {
                    Object ms = values.get("millisToReady");
                    // A watch that named no release ran the one this run generated or opened the PR for.
                    String release = text("release") != null ? text("release") : b.releaseName();
                    b.putEnvironment(new ReleaseReport.EnvironmentStatus(text("environment"),
                            failure == null ? ReleaseReport.EnvironmentState.DEPLOYED : ReleaseReport.EnvironmentState.FAILED,
                            release, text("digest"), ms instanceof Number n ? Duration.ofMillis(n.longValue()) : null,
                            null));
                }
                b.addStage(ReleaseReport.Stages.WATCH, duration(), outcome);
            }
            case Verbs.ANNOTATE_BUILD -> {
                // the annotations live in the registry (the build's record), not in the run's report
            }
            default -> throw new IllegalStateException("unknown verb " + verb);
        }
        if (failure != null) {
            b.addError(stageOf(verb), failure);
        }
    }

    /**
     * generate, push branch, PR (and merge, when waited for) when the request measured them apart; one PR stage
     * otherwise.
     */
    private void addPrStages(ReleaseReport.Builder b, ReleaseReport.StageOutcome outcome) {
        if (!(values.get("generateMillis") instanceof Number gen) || !(values.get("pushBranchMillis") instanceof Number push)) {
            b.addStage(ReleaseReport.Stages.PR, duration(), outcome);
            return;
        }
        long merge = values.get("mergeMillis") instanceof Number m ? m.longValue() : -1;
        long pr = Math.max(0, durationMillis - gen.longValue() - push.longValue() - Math.max(0, merge));
        b.addStage(ReleaseReport.Stages.GENERATE, Duration.ofMillis(gen.longValue()), outcome);
        b.addStage(ReleaseReport.Stages.PUSH_BRANCH, Duration.ofMillis(push.longValue()), outcome);
        b.addStage(ReleaseReport.Stages.PR, Duration.ofMillis(pr), outcome);
        if (merge >= 0) {
            b.addStage(MERGE_STAGE, Duration.ofMillis(merge), outcome);
        }
    }

    /** Waiting for a reviewer to merge the release PR: reported apart, it is people's time, not the tool's. */
    public static final String MERGE_STAGE = "merge";

    private ReleaseReport.PullRequest pullRequest() {
        Object n = values.get("prNumber");
        String url = text("prUrl");
        String merge = text("mergeSha");
        ReleaseReport.PullRequestState state = url == null && !(n instanceof Number)
                ? ReleaseReport.PullRequestState.BRANCH_PUSHED
                : merge != null ? ReleaseReport.PullRequestState.MERGED : ReleaseReport.PullRequestState.OPEN;
        return new ReleaseReport.PullRequest(url, n instanceof Number num ? num.intValue() : null, state, text("branch"),
                text("title"), merge);
    }

    /** The report stage a verb times. */
    public static String stageOf(String verb) {
        return switch (verb) {
            case Verbs.BUILD_IMAGE -> ReleaseReport.Stages.BUILD;
            case Verbs.GENERATE -> ReleaseReport.Stages.GENERATE;
            case Verbs.OPEN_RELEASE_PR -> ReleaseReport.Stages.PR;
            case Verbs.PROMOTE_IMAGE -> ReleaseReport.Stages.PROMOTE;
            default -> ReleaseReport.Stages.WATCH;
        };
    }
}
