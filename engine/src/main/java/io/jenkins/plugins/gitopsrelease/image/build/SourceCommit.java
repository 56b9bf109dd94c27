package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** The default tag: the first 8 characters of the commit checked out around the context (as the seeds name images). */
final class SourceCommit {
    private SourceCommit() {
    }

    static String shortHead(Path context, String image) {
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(context.toFile());
        if (b.getGitDir() == null) {
            throw InvalidInputException.invalid("--image", image, "no tag given and " + context
                    + " is not inside a git checkout, so there is no commit to tag with: add :TAG");
        }
        try (Repository repo = b.setMustExist(true).build()) {
            ObjectId head = repo.resolve("HEAD");
            if (head == null) {
                throw InvalidInputException.invalid("--image", image, "no tag given and the git repository around "
                        + context + " has no commit yet: commit first or add :TAG");
            }
            return head.name().substring(0, 8);
        } catch (IOException e) {
            throw InvalidInputException.invalid("--image", image, "no tag given and the git repository around "
                    + context + " cannot be read (" + e.getMessage() + "): add :TAG");
        }
    }
}
