package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Api;
import hudson.model.Run;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import io.jenkins.plugins.gitopsrelease.release.RecordJson;
import io.jenkins.plugins.gitopsrelease.release.StepResult;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.ReportHtml;
import io.jenkins.plugins.gitopsrelease.report.ReportJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * "GitOps Release" on a run: what its steps built, released, promoted and watched. The engine's report model is kept as
 * JSON in build.xml (XStream cannot rebuild records), and rendered by the engine's own escaped HTML on the page.
 */
@ExportedBean(defaultVisibility = 2)
public class GitOpsReleaseAction implements RunAction2 {
    private transient Run<?, ?> run;
    private transient ReleaseReport parsed;
    /** The full report once a step named component and project. */
    private String reportJson;
    /** What buildImage recorded before any step named the component. */
    private String imageRepository;
    private String imageTag;
    private String imageDigest;
    private String imageBuilder;
    /**
     * Build records the steps captured on the agent, by image ({@code repo@digest}), the latest capture winning; JSON
     * ({@link RecordJson}) because XStream cannot rebuild records. Null in runs from before records were kept.
     */
    private LinkedHashMap<String, String> records;
    /** The latest policy evaluation per environment (JSON). */
    private LinkedHashMap<String, String> policies;
    private transient Map<String, BuildRecord> parsedRecords;
    private transient Map<String, PolicyResult> parsedPolicies;

    GitOpsReleaseAction() {
    }

    /** The run's action, added on first use. */
    static GitOpsReleaseAction of(Run<?, ?> run) {
        synchronized (run) {
            GitOpsReleaseAction a = run.getAction(GitOpsReleaseAction.class);
            if (a == null) {
                a = new GitOpsReleaseAction();
                run.addAction(a);
            }
            return a;
        }
    }

    synchronized void recordImage(String repository, String tag, String digest, String builder) throws IOException {
        this.imageRepository = repository;
        this.imageTag = tag;
        this.imageDigest = digest;
        this.imageBuilder = builder;
        ReleaseReport current = report();
        if (current != null) {
            ReleaseReport.Builder b = current.toBuilder().setImage(repository, tag, digest).setImageBuilder(builder);
            store(b.setFinishedAt(Instant.now()).build());
        } else if (run != null) {
            run.save();
        }
    }

    /** Keeps the record and policy evaluations a step captured on the agent; saves the run when there were any. */
    synchronized void recordFacts(StepResult result) throws IOException {
        boolean changed = false;
        if (result.recordJson() != null) {
            BuildRecord r = RecordJson.record(result.recordJson(), "the step's result");
            if (records == null) {
                records = new LinkedHashMap<>();
            }
            records.remove(r.image()); // re-inserted last: the page lists records in the order they were last seen
            records.put(r.image(), result.recordJson());
            changed = true;
        }
        for (String json : result.policyJson()) {
            PolicyResult p = RecordJson.policy(json, "the step's result");
            if (policies == null) {
                policies = new LinkedHashMap<>();
            }
            policies.remove(p.environment());
            policies.put(p.environment(), json);
            changed = true;
        }
        if (changed) {
            parsedRecords = null;
            parsedPolicies = null;
            if (run != null) {
                run.save();
            }
        }
    }

    private synchronized Map<String, BuildRecord> records() {
        if (parsedRecords == null) {
            Map<String, BuildRecord> m = new LinkedHashMap<>();
            if (records != null) {
                records.forEach((k, v) -> m.put(k, RecordJson.record(v, "build.xml")));
            }
            parsedRecords = m;
        }
        return parsedRecords;
    }

    private synchronized Map<String, PolicyResult> policies() {
        if (parsedPolicies == null) {
            Map<String, PolicyResult> m = new LinkedHashMap<>();
            if (policies != null) {
                policies.forEach((k, v) -> m.put(k, RecordJson.policy(v, "build.xml")));
            }
            parsedPolicies = m;
        }
        return parsedPolicies;
    }

    /** The build records this run's steps saw (attributes, annotations in time order), newest capture last. */
    @Exported(inline = true)
    public List<RecordViews.RecordView> getRecords() {
        return records().values().stream().map(RecordViews.RecordView::new).toList();
    }

    /** The latest policy evaluation per environment in this run. */
    @Exported(inline = true)
    public List<RecordViews.PolicyView> getPolicies() {
        return policies().values().stream().map(RecordViews.PolicyView::new).toList();
    }

    /**
     * The record of {@code digest} as {@code environment} holds it: the latest capture in the environment's registry
     * (global configuration), else the latest capture of that digest in any repository (annotations travel with the
     * image); null when none.
     */
    @CheckForNull
    RecordViews.RecordView recordOf(String digest, String environment) {
        if (digest == null) {
            return null;
        }
        String registry = environment == null ? null : GitOpsReleaseConfiguration.get().toSettings()
                .environment(environment).map(e -> e.registry()).orElse(null);
        BuildRecord found = null;
        BuildRecord inEnvironment = null;
        for (BuildRecord r : records().values()) {
            if (digest.equals(r.digest())) {
                found = r;
                if (registry != null && r.image().startsWith(registry + "/")) {
                    inEnvironment = r;
                }
            }
        }
        BuildRecord pick = inEnvironment != null ? inEnvironment : found;
        return pick == null ? null : new RecordViews.RecordView(pick);
    }

    @CheckForNull
    RecordViews.PolicyView policyOf(String environment) {
        PolicyResult p = environment == null ? null : policies().get(environment);
        return p == null ? null : new RecordViews.PolicyView(p);
    }

    /** Applies one step's contribution to the run's report and saves the run. */
    synchronized void update(String component, String project, String namespace, Consumer<ReleaseReport.Builder> change)
            throws IOException {
        ReleaseReport current = report();
        ReleaseReport.Builder b;
        if (current == null) {
            b = ReleaseReport.builder().setComponent(component).setProject(project).setNamespace(namespace)
                    .setStartedAt(run == null ? Instant.now() : Instant.ofEpochMilli(run.getStartTimeInMillis()));
            if (imageDigest != null) {
                b.setImage(imageRepository, imageTag, imageDigest).setImageBuilder(imageBuilder);
            }
        } else {
            b = current.toBuilder();
        }
        change.accept(b);
        store(b.setFinishedAt(Instant.now()).build());
    }

    private void store(ReleaseReport r) throws IOException {
        this.reportJson = ReportJson.toJson(r);
        this.parsed = r;
        if (run != null) {
            run.save();
        }
    }

    @CheckForNull
    public synchronized ReleaseReport report() {
        if (parsed == null && reportJson != null) {
            parsed = ReportJson.parse(reportJson, "build.xml");
        }
        return parsed;
    }

    /** The engine-rendered, fully escaped HTML fragment (index.jelly prints it unescaped on purpose). */
    public String getHtml() {
        ReleaseReport r = report();
        return r == null ? null : ReportHtml.renderFragment(r);
    }

    @Override
    public synchronized void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public synchronized void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public synchronized Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return Messages.GitOpsReleaseAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "gitops-release";
    }

    /** The commit page of the push that started this run (GitOpsPushAction), for the link back; null otherwise. */
    @Exported
    @CheckForNull
    public String getPushCommitUrl() {
        GitOpsPushAction push = GitOpsPushAction.of(getRun());
        return push == null ? null : push.getCommitUrl();
    }

    @CheckForNull
    public String getPushCommit() {
        GitOpsPushAction push = GitOpsPushAction.of(getRun());
        return push == null || push.getCommit() == null ? null
                : push.getCommit().substring(0, Math.min(12, push.getCommit().length()));
    }

    public Api getApi() {
        return new Api(this);
    }

    @Exported
    public String getComponent() {
        ReleaseReport r = report();
        return r == null ? null : r.component();
    }

    @Exported
    public String getProject() {
        ReleaseReport r = report();
        return r == null ? null : r.project();
    }

    @Exported
    public synchronized String getImage() {
        ReleaseReport r = report();
        if (r != null && r.image() != null) {
            return r.image().reference();
        }
        return imageDigest == null ? null : imageRepository + (imageTag == null ? "" : ":" + imageTag) + "@" + imageDigest;
    }

    @Exported
    public synchronized String getDigest() {
        ReleaseReport r = report();
        return r != null && r.image() != null ? r.image().digest() : imageDigest;
    }

    @Exported
    public String getReleaseName() {
        ReleaseReport r = report();
        return r == null ? null : r.releaseName();
    }

    @Exported
    public String getPullRequestUrl() {
        ReleaseReport r = report();
        return r == null || r.pullRequest() == null ? null : r.pullRequest().url();
    }

    @Exported
    public String getComponentLink() {
        ReleaseReport r = report();
        return r == null ? null : r.componentLink();
    }

    @Exported
    public String getOutcome() {
        ReleaseReport r = report();
        return r == null ? null : r.outcome().name();
    }

    @Exported(inline = true)
    public synchronized List<EnvironmentRow> getEnvironments() {
        ReleaseReport r = report();
        List<EnvironmentRow> rows = new ArrayList<>();
        if (r != null) {
            for (ReleaseReport.EnvironmentStatus e : r.environments()) {
                rows.add(new EnvironmentRow(e.name(), e.state().name(), e.releaseName(), e.digest(),
                        e.timeToReady() == null ? null : e.timeToReady().toMillis(), run, this));
            }
        }
        return rows;
    }

    /** One environment's state as the API and the job page show it. */
    @ExportedBean(defaultVisibility = 3)
    public static final class EnvironmentRow {
        private final String name;
        private final String state;
        private final String releaseName;
        private final String digest;
        private final Long timeToReadyMs;
        private final transient Run<?, ?> run;
        private final transient GitOpsReleaseAction action;

        EnvironmentRow(String name, String state, String releaseName, String digest, Long timeToReadyMs, Run<?, ?> run,
                GitOpsReleaseAction action) {
            this.action = action;
            this.name = name;
            this.state = state;
            this.releaseName = releaseName;
            this.digest = digest;
            this.timeToReadyMs = timeToReadyMs;
            this.run = run;
        }

        @Exported
        public String getName() {
            return name;
        }

        @Exported
        public String getState() {
            return state;
        }

        @Exported
        public String getReleaseName() {
            return releaseName;
        }

        @Exported
        public String getDigest() {
            return digest;
        }

        @Exported
        public Long getTimeToReadyMs() {
            return timeToReadyMs;
        }

        public Run<?, ?> getRun() {
            return run;
        }

        @Exported
        public String getRunUrl() {
            return run == null ? null : run.getUrl();
        }

        /** The record of this environment's digest as the same run captured it, or null. */
        @Exported(inline = true)
        @CheckForNull
        public RecordViews.RecordView getRecord() {
            return action == null ? null : action.recordOf(digest, name);
        }

        /** This environment's policy verdict in the same run, or null when none was evaluated. */
        @Exported(inline = true)
        @CheckForNull
        public RecordViews.PolicyView getPolicy() {
            return action == null ? null : action.policyOf(name);
        }

        /** The run's action: the Deployments page includes its records fragment from it. */
        public GitOpsReleaseAction getAction() {
            return action;
        }

        /** For the Deployments page's shared fragment, which takes lists. */
        public List<RecordViews.RecordView> getRecordList() {
            RecordViews.RecordView r = getRecord();
            return r == null ? List.of() : List.of(r);
        }

        public List<RecordViews.PolicyView> getPolicyList() {
            RecordViews.PolicyView p = getPolicy();
            return p == null ? List.of() : List.of(p);
        }
    }
}
