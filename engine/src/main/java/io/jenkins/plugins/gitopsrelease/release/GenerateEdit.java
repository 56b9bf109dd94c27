package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.gitops.Generate;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The bridge between a Git session and generation: {@code gitops.Generate} run on whatever base tree the session
 * fetched (again on a new base after a lost push race), returning its changes and the release name it chose so the
 * release branch is named after it.
 */
public record GenerateEdit(String namespace, String project, String component, String image, Path descriptor,
        String releaseName, String targetEnv, Clock clock) implements ReleaseEdit {

    public GenerateEdit(String namespace, String project, String component, String image, Path descriptor,
            String releaseName, String targetEnv) {
        this(namespace, project, component, image, descriptor, releaseName, targetEnv, Clock.systemUTC());
    }

    @Override
    public Result apply(RepoFiles base) {
        Generate.Result r = generate(base);
        return new Result(r.changes(), r.releaseName());
    }

    /** The whole generation result, for callers that also want the environment it bound (the pipeline's root). */
    public Generate.Result generate(RepoFiles base) {
        return Generate.on(base).namespace(namespace == null ? "default" : namespace).project(project)
                .component(component).image(image).descriptor(descriptor).releaseName(releaseName)
                .targetEnv(targetEnv).clock(clock).call();
    }
}
