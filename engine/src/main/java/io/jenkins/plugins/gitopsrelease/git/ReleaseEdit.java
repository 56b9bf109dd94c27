package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.util.List;
import java.util.function.Function;

/**
 * The generation step as the Git session sees it: read the base tree, return the files to write. Called once per
 * attempt; when a direct commit loses a race, it is called again on the new base, so it must be a pure function of
 * the files it reads.
 *
 * <p>The seam for {@code gitops} generation: {@code ReleaseEdit.of(files -> generate.setFiles(files).call().changes())}.
 */
@FunctionalInterface
public interface ReleaseEdit {

    Result apply(RepoFiles base);

    /**
     * What generation produced: the file changes and, optionally, the release name it chose (used in the branch
     * name when the caller did not give one).
     */
    record Result(List<FileChange> changes, String releaseName) {
        public Result {
            changes = List.copyOf(changes);
        }

        public static Result of(List<FileChange> changes) {
            return new Result(changes, null);
        }
    }

    static ReleaseEdit of(Function<RepoFiles, List<FileChange>> generate) {
        return base -> Result.of(generate.apply(base));
    }
}
