package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository on this machine is updated in place: new objects are held in memory until the ref moves, under the
 * rules the repository's own receive-pack applies. Real repositories on disk, as {@code git} and JGit leave them.
 */
class CommitReleaseLocalTest {
    @TempDir
    Path tmp;

    /** A working tree with one commit on main; {@code bare} clones it bare and returns that instead. */
    Path seed(boolean bare) throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("releases"));
        Files.writeString(work.resolve("README.md"), "gitops\n");
        Files.writeString(work.resolve("releases/existing.yaml"), "image: reg/existing:1\n");
        try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid")
                    .setSign(false).call();
        }
        if (!bare) {
            return work.resolve(".git");
        }
        Path dir = tmp.resolve("gitops.git");
        Git.cloneRepository().setURI(work.toUri().toString()).setBare(true).setDirectory(dir.toFile()).call().close();
        return dir;
    }

    static CommitRelease release(Path gitDir, String component, String image) {
        return CommitRelease.create().setRepository(gitDir.toUri().toString()).setBaseBranch("main")
                .setRelease(new ReleaseInfo("shop", component, image, "0123456789abcdef"))
                .setEdit(CommitReleaseTest.releaseFile(component, image));
    }

    /** Every object file and pack in the repository: what a refused update must leave as it was. */
    static Set<String> objectFiles(Path gitDir) throws Exception {
        try (Stream<Path> s = Files.walk(gitDir.resolve("objects"))) {
            return new HashSet<>(s.filter(Files::isRegularFile).map(p -> gitDir.relativize(p).toString()).toList());
        }
    }

    static Repository open(Path gitDir) throws Exception {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }

    static ObjectId tip(Path gitDir, String branch) throws Exception {
        try (Repository r = open(gitDir)) {
            return r.resolve("refs/heads/" + branch);
        }
    }

    @Test
    void writesExactlyTheNewObjectsAndNoTemporaryRepository() throws Exception {
        Path dir = seed(true);
        Set<String> before = objectFiles(dir);
        List<String> steps = new ArrayList<>();
        CommitResult r = release(dir, "api", "reg/api:7").setTempRoot(tmp.resolve("temp")).setProgress(steps::add)
                .call();
        assertThat(r.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(tmp.resolve("temp")).doesNotExist();
        assertThat(steps).anyMatch(s -> s.endsWith("(local repository, no fetch)"));
        Set<String> added = objectFiles(dir);
        added.removeAll(before);
        // The commit, its root tree, the releases/ tree and the new file: four loose objects, nothing else.
        assertThat(added).hasSize(4).allMatch(p -> p.matches("objects/[0-9a-f]{2}/[0-9a-f]{38}"));
        try (Repository repo = open(dir); RevWalk rw = new RevWalk(repo)) {
            RevCommit c = rw.parseCommit(repo.resolve("refs/heads/release/api-01234567"));
            assertThat(c.name()).isEqualTo(r.commit());
            assertThat(c.getParent(0)).isEqualTo(repo.resolve("refs/heads/main"));
            try (TreeWalk tw = TreeWalk.forPath(repo, "releases/api.yaml", c.getTree())) {
                assertThat(new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("image: reg/api:7\n");
            }
        }
    }

    @Test
    void aReleaseBranchIsReplacedAfterTheBaseMovedUnlessTheRepositoryDeniesIt() throws Exception {
        Path dir = seed(true);
        ObjectId first = ObjectId.fromString(release(dir, "api", "reg/api:7").call().commit());
        moveMain(dir);
        // The base moved: the same release is rebuilt on it, replacing the branch (as a force push does).
        CommitResult again = release(dir, "api", "reg/api:7").call();
        assertThat(again.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(tip(dir, "release/api-01234567")).isNotEqualTo(first).isEqualTo(ObjectId.fromString(again.commit()));

        ObjectId kept = tip(dir, "release/api-01234567");
        moveMain(dir);
        try (Repository repo = open(dir)) {
            StoredConfig c = repo.getConfig();
            c.setBoolean("receive", null, "denyNonFastForwards", true);
            c.save();
        }
        Set<String> before = objectFiles(dir);
        assertThatThrownBy(() -> release(dir, "api", "reg/api:7").call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("release/api-01234567").hasMessageContaining("receive.denyNonFastForwards")
                .hasMessageContaining("nothing was written");
        assertThat(tip(dir, "release/api-01234567")).isEqualTo(kept);
        assertThat(objectFiles(dir)).isEqualTo(before);
    }

    @Test
    void theBranchCheckedOutInAWorkingTreeIsNotMoved() throws Exception {
        Path gitDir = seed(false);
        ObjectId main = tip(gitDir, "main");
        Set<String> before = objectFiles(gitDir);
        assertThatThrownBy(() -> release(gitDir, "api", "reg/api:7").setDirect(true).call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("main checked out")
                .hasMessageContaining("receive.denyCurrentBranch").hasMessageContaining("bare repository");
        assertThat(tip(gitDir, "main")).isEqualTo(main);
        assertThat(objectFiles(gitDir)).isEqualTo(before);

        // A release branch of the same working tree is no checked-out branch: it goes in.
        assertThat(release(gitDir, "api", "reg/api:7").call().status()).isEqualTo(CommitResult.Status.PUSHED);
        // And the repository's owner may allow moving the checked-out branch, as with git.
        try (Repository repo = open(gitDir)) {
            repo.getConfig().setString("receive", null, "denyCurrentBranch", "ignore");
            repo.getConfig().save();
        }
        CommitResult direct = release(gitDir, "web", "reg/web:1").setDirect(true).call();
        assertThat(tip(gitDir, "main")).isEqualTo(ObjectId.fromString(direct.commit()));
    }

    /** A crashed writer's lock file, as git leaves it: named in the error, the branch untouched. */
    @Test
    void aStaleLockFileIsNamedAndTheBranchIsLeftAlone() throws Exception {
        Path dir = seed(true);
        Files.createDirectories(dir.resolve("refs/heads/release"));
        Path releaseLock = dir.resolve("refs/heads/release/api-01234567.lock");
        Files.writeString(releaseLock, "");
        assertThatThrownBy(() -> release(dir, "api", "reg/api:7").call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("release/api-01234567")
                .hasMessageContaining(releaseLock.toString()).hasMessageContaining("remove it");
        assertThat(tip(dir, "release/api-01234567")).isNull();

        ObjectId main = tip(dir, "main");
        Path mainLock = dir.resolve("refs/heads/main.lock");
        Files.writeString(mainLock, "");
        List<String> steps = new ArrayList<>();
        assertThatThrownBy(() -> release(dir, "web", "reg/web:1").setDirect(true).setMaxAttempts(2)
                .setBackoffMillis(1).setProgress(steps::add).call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("gave up after 2 attempts")
                .hasMessageContaining(mainLock.toString());
        assertThat(steps).anyMatch(s -> s.contains("regenerating on the new base (attempt 2/2)"));
        assertThat(tip(dir, "main")).isEqualTo(main);

        // Once the lock is gone, the same release goes in.
        Files.delete(mainLock);
        assertThat(release(dir, "web", "reg/web:1").setDirect(true).call().status())
                .isEqualTo(CommitResult.Status.PUSHED);
    }

    @Test
    void withReceiveFsckObjectsTheNewObjectsAreCheckedAndGoIn() throws Exception {
        Path dir = seed(true);
        try (Repository repo = open(dir)) {
            repo.getConfig().setBoolean("receive", null, "fsckObjects", true);
            repo.getConfig().save();
        }
        assertThat(release(dir, "api", "reg/api:7").call().status()).isEqualTo(CommitResult.Status.PUSHED);
    }

    @Test
    void concurrentDirectCommitsOnALocalRepositoryLoseNothing() throws Exception {
        Path dir = seed(true);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CommitResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String component = "svc" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return release(dir, component, "reg/" + component + ":1").setDirect(true).setMaxAttempts(40)
                            .setBackoffMillis(20).call();
                }));
            }
            start.countDown();
            for (Future<CommitResult> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS).status()).isEqualTo(CommitResult.Status.PUSHED);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Repository repo = open(dir); RevWalk rw = new RevWalk(repo)) {
            RevCommit c = rw.parseCommit(repo.resolve("refs/heads/main"));
            int commits = 0;
            for (; c.getParentCount() > 0; c = rw.parseCommit(c.getParent(0))) {
                assertThat(c.getParentCount()).isEqualTo(1);
                commits++;
            }
            assertThat(commits).isEqualTo(n);
            RevCommit head = rw.parseCommit(repo.resolve("refs/heads/main"));
            for (int i = 0; i < n; i++) {
                assertThat(TreeWalk.forPath(repo, "releases/svc" + i + ".yaml", head.getTree())).isNotNull();
            }
        }
    }

    /** Another writer's commit on main (a README change), through a working clone and a push. */
    private void moveMain(Path bare) throws Exception {
        Path clone = Files.createTempDirectory(tmp, "clone");
        try (Git g = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call()) {
            File readme = clone.resolve("README.md").toFile();
            Files.writeString(readme.toPath(), "gitops " + System.nanoTime() + "\n");
            g.add().addFilepattern("README.md").call();
            g.commit().setMessage("move").setAuthor("o", "o@example.invalid").setCommitter("o", "o@example.invalid")
                    .setSign(false).call();
            g.push().call();
        }
    }
}
