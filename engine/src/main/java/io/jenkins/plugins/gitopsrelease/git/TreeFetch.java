package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;

/**
 * Reads a branch of a remote repository without a checkout: shallow-fetch its tip into a private bare repository,
 * hand the commit's tree to the caller as {@link RepoFiles}, delete the repository. What a webhook receiver needs to
 * read the GitOps repository's components on a controller that has no working copy of it.
 */
public final class TreeFetch {
    private String repositoryUrl;
    private String branch = "main";
    private GitCredentials credentials = GitCredentials.none();
    private Path tempRoot;

    private TreeFetch() {
    }

    public static TreeFetch create() {
        return new TreeFetch();
    }

    public TreeFetch setRepository(String url) {
        this.repositoryUrl = url;
        return this;
    }

    public TreeFetch setBranch(String branch) {
        this.branch = branch;
        return this;
    }

    public TreeFetch setCredentials(GitCredentials credentials) {
        this.credentials = credentials == null ? GitCredentials.none() : credentials;
        return this;
    }

    public TreeFetch setTempRoot(Path tempRoot) {
        this.tempRoot = tempRoot;
        return this;
    }

    /** Fetches and calls {@code reader} with the tip's commit id and tree; the repository is gone afterwards. */
    public <T> T read(BiFunction<String, RepoFiles, T> reader) {
        URIish uri = GitUrls.check(repositoryUrl);
        if (branch == null || !Repository.isValidRefName("refs/heads/" + branch)) {
            throw InvalidInputException.invalid("baseBranch", branch == null ? "" : branch,
                    "not a valid Git branch name");
        }
        String url = GitUrls.redact(repositoryUrl);
        Path dir = null;
        try (GitCredentials.Session auth = credentials.open()) {
            dir = tempRoot == null ? Files.createTempDirectory("gitops-release-tree-")
                    : Files.createTempDirectory(Files.createDirectories(tempRoot), "gitops-release-tree-");
            try (Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
                repo.create(true);
                repo.getConfig().setInt("gc", null, "auto", 0);
                repo.getConfig().save();
                String local = "refs/remotes/origin/" + branch;
                try {
                    Git.wrap(repo).fetch().setRemote(uri.toString())
                            .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + local)).setDepth(1)
                            .setTagOpt(TagOpt.NO_TAGS).setTransportConfigCallback(auth::configure)
                            .setProgressMonitor(NullProgressMonitor.INSTANCE).call();
                } catch (GitAPIException e) {
                    String msg = String.valueOf(e.getMessage());
                    for (String s : credentials.secretsForScrubbing()) {
                        msg = msg.replace(s, "****");
                    }
                    throw new OperationFailedException("git fetch of " + branch + " from " + url + " failed: "
                            + GitUrls.redact(msg).replace('\n', ' '), null);
                }
                ObjectId tip = repo.resolve(local);
                if (tip == null) {
                    throw InvalidInputException.invalid("baseBranch", branch, "the repository " + url
                            + " has no such branch");
                }
                RevCommit commit;
                try (RevWalk rw = new RevWalk(repo)) {
                    commit = rw.parseCommit(tip);
                }
                String name = branch + "@" + tip.abbreviate(8).name();
                return reader.apply(tip.name(), new GitTreeFiles(repo, commit.getTree(), url + " " + name));
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + url + ": " + e.getMessage(), e);
        } finally {
            Bare.deleteTree(dir);
        }
    }
}
