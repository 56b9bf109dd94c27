package io.jenkins.plugins.gitopsrelease;

import hudson.model.Action;
import hudson.model.Api;
import hudson.model.Job;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** "Deployments" on a job: per environment, the latest release this job deployed there and the run that did it. */
@ExportedBean(defaultVisibility = 2)
public class DeploymentsAction implements Action {
    /** How far back to look; older deployments were superseded long ago. */
    static final int MAX_RUNS = 100;

    private final Job<?, ?> job;

    DeploymentsAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return Messages.DeploymentsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "gitops-deployments";
    }

    public Api getApi() {
        return new Api(this);
    }

    /** Newest run first; the first DEPLOYED or PROMOTED state seen per environment wins. */
    @Exported(inline = true)
    public List<GitOpsReleaseAction.EnvironmentRow> getEnvironments() {
        Map<String, GitOpsReleaseAction.EnvironmentRow> latest = new LinkedHashMap<>();
        int seen = 0;
        for (Run<?, ?> r = job.getLastBuild(); r != null && seen < MAX_RUNS; r = r.getPreviousBuild(), seen++) {
            GitOpsReleaseAction a = r.getAction(GitOpsReleaseAction.class);
            if (a == null) {
                continue;
            }
            for (GitOpsReleaseAction.EnvironmentRow row : a.getEnvironments()) {
                if (("DEPLOYED".equals(row.getState()) || "PROMOTED".equals(row.getState()))
                        && !latest.containsKey(row.getName())) {
                    latest.put(row.getName(), row);
                }
            }
        }
        return new ArrayList<>(latest.values());
    }
}
