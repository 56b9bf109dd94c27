package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.git.GitUrls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * The release branches of one component in the GitOps repository, so a release whose PR could not be opened can take
 * back the branch it pushed: a snapshot before the PR stage, and deletion of what appeared since (only when it still
 * points at the commit this run pushed; a branch that existed before is never touched).
 */
final class ReleaseBranches {
    private final String url;
    private final GitCredentials credentials;
    private final String prefix;

    ReleaseBranches(String url, GitCredentials credentials, String component) {
        this.url = url;
        this.credentials = credentials;
        this.prefix = "refs/heads/release/" + component + "-";
    }

    /** Branch → commit, for this component's release branches. */
    Map<String, ObjectId> list() throws IOException {
        return withTransport((repo, t) -> {
            Map<String, ObjectId> out = new HashMap<>();
            try (FetchConnection c = t.openFetch()) {
                for (Ref r : c.getRefs()) {
                    if (r.getName().startsWith(prefix)) {
                        out.put(r.getName(), r.getObjectId());
                    }
                }
            }
            return out;
        });
    }

    /** Deletes the branches in {@code after} that were not in {@code before}; returns their names. */
    List<String> deleteNew(Map<String, ObjectId> before, Map<String, ObjectId> after, Progress progress)
            throws IOException {
        List<String> created = after.keySet().stream().filter(b -> !before.containsKey(b)).sorted().toList();
        if (created.isEmpty()) {
            return created;
        }
        return withTransport((repo, t) -> {
            List<RemoteRefUpdate> updates = new java.util.ArrayList<>();
            for (String ref : created) {
                // expectedOld: delete only if nobody moved the branch since this run pushed it.
                updates.add(new RemoteRefUpdate(repo, (String) null, ref, true, null, after.get(ref)));
            }
            t.push(NullProgressMonitor.INSTANCE, updates);
            List<String> deleted = new java.util.ArrayList<>();
            for (RemoteRefUpdate u : updates) {
                if (u.getStatus() == RemoteRefUpdate.Status.OK) {
                    String branch = u.getRemoteName().substring("refs/heads/".length());
                    deleted.add(branch);
                    progress.step("deleted " + branch + ": the release did not get its pull request");
                }
            }
            return deleted;
        });
    }

    private interface Work<T> {
        T run(Repository repo, Transport transport) throws IOException;
    }

    private <T> T withTransport(Work<T> work) throws IOException {
        URIish uri = GitUrls.check(url);
        Path dir = Files.createTempDirectory("gitops-release-refs-");
        try (GitCredentials.Session auth = credentials.open();
                Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
            repo.create(true);
            try (Transport t = Transport.open(repo, uri)) {
                auth.configure(t);
                return work.run(repo, t);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
