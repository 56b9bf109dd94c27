package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/** Adds {@link DeploymentsAction} to jobs whose recent runs used a GitOps Release step. Called often: stays cheap. */
@Extension
@SuppressWarnings("rawtypes")
public class DeploymentsActionFactory extends TransientActionFactory<Job> {
    /** Only the latest few runs are probed here; the page itself looks further back. */
    private static final int PROBE = 5;

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Class<? extends Action> actionType() {
        return DeploymentsAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull Job target) {
        Run<?, ?> r = target.getLastBuild();
        for (int i = 0; r != null && i < PROBE; i++, r = r.getPreviousBuild()) {
            if (r.getAction(GitOpsReleaseAction.class) != null) {
                return List.of(new DeploymentsAction(target));
            }
        }
        return List.of();
    }
}
