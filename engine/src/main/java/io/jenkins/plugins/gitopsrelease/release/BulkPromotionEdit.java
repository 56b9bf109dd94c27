package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bulk promotion in GitOps mode (OpenChoreo's "Bulk Promote"): {@code releasebinding generate} for many components
 * of a project (a list, or all of them) to one environment, on whatever base tree the Git session fetched, so one
 * commit and one pull request hold every binding. A component that fails is kept in {@link #last()} with its error;
 * the others are still written. The branch is named {@code release/<project>-<environment>}.
 */
public record BulkPromotionEdit(String namespace, String project, List<String> components, boolean all,
        String targetEnv, AtomicReference<ReleaseBindingGenerate.Result> last) implements ReleaseEdit {

    public BulkPromotionEdit(String namespace, String project, List<String> components, boolean all, String targetEnv) {
        this(namespace, project, components == null ? List.of() : List.copyOf(components), all, targetEnv,
                new AtomicReference<>());
    }

    @Override
    public Result apply(RepoFiles base) {
        ReleaseBindingGenerate.Result r = ReleaseBindingGenerate.on(base)
                .namespace(namespace == null ? "default" : namespace).project(project).all(all)
                .components(all ? null : components).targetEnv(targetEnv).call();
        last.set(r);
        return new Result(r.changes(), project + "-" + targetEnv);
    }

    /** The per-component outcome of the last attempt. */
    public ReleaseBindingGenerate.Result lastResult() {
        return last.get();
    }
}
