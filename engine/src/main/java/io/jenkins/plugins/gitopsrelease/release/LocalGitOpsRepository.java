package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The embedded GitOps repository: a local bare repository seeded once from a directory (the example's
 * {@code examples/gitops-repo}), so a release has somewhere to push its branch with nothing configured.
 */
public final class LocalGitOpsRepository {
    private LocalGitOpsRepository() {
    }

    /**
     * Creates {@code bare} with one commit on {@code branch} holding {@code content}, unless it already exists (then
     * it is left alone: earlier releases live there). Returns whether it was created. Built in a temporary
     * directory and moved into place, so an interrupted run leaves no half-made repository.
     */
    public static boolean seedIfMissing(Path bare, Path content, String branch) {
        if (Files.isDirectory(bare.resolve("objects")) && Files.exists(bare.resolve("HEAD"))) {
            return false;
        }
        Path parent = bare.toAbsolutePath().getParent();
        Path tmp = null;
        Path work = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".seed-bare-");
            work = Files.createTempDirectory(parent, ".seed-work-");
            try (Repository r = FileRepositoryBuilder.create(tmp.toFile())) {
                r.create(true);
                r.updateRef(Constants.HEAD).link("refs/heads/" + branch);
                // No background auto-gc after the seeding push: it would race the move into place.
                r.getConfig().setInt("gc", null, "auto", 0);
                r.getConfig().setBoolean("gc", null, "autoDetach", false);
                r.getConfig().setBoolean("receive", null, "autogc", false);
                r.getConfig().save();
            }
            copyTree(content, work);
            PersonIdent who = new PersonIdent("GitOps Release", "gitops-release@localhost");
            try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call()) {
                g.getRepository().getConfig().setInt("gc", null, "auto", 0);
                g.getRepository().getConfig().save();
                g.add().addFilepattern(".").call();
                g.commit().setMessage("Seed from " + content.getFileName()).setAuthor(who).setCommitter(who)
                        .setSign(false).call();
                g.push().setRemote(tmp.toUri().toString()).add(branch).call();
            }
            Files.move(tmp, bare);
            tmp = null;
            return true;
        } catch (IOException | GitAPIException e) {
            throw new OperationFailedException("cannot create the local GitOps repository " + bare + ": "
                    + e.getMessage(), e);
        } finally {
            delete(tmp);
            delete(work);
        }
    }

    /** Copies the directory tree {@code from} into {@code to} (created as needed; an existing file is an error). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory; best effort
        }
    }
}
