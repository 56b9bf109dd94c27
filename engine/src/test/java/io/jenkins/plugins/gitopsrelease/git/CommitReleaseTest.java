package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Git session against a real smart-HTTP server with basic auth. */
class CommitReleaseTest {
    static final String USER = "git-user";
    static final String PASSWORD = "canary-s3cr3t-GIT9";

    @RegisterExtension
    static GitServerFixture server = GitServerFixture.withAuth(USER, PASSWORD);

    @TempDir
    Path tmp;

    static final AtomicInteger REPOS = new AtomicInteger();

    String seed() throws Exception {
        Path content = tmp.resolve("seed" + REPOS.get());
        Files.createDirectories(content.resolve("namespaces/default/projects/shop"));
        Files.writeString(content.resolve("namespaces/default/projects/shop/project.yaml"), "kind: Project\n");
        Files.writeString(content.resolve("README.md"), "gitops\n");
        Files.createDirectories(content.resolve("releases"));
        Files.writeString(content.resolve("releases/existing.yaml"), "image: reg/existing:1\n");
        return server.createRepository("gitops" + REPOS.incrementAndGet(), content, "main");
    }

    String repoName(String url) {
        return url.substring(url.lastIndexOf('/') + 1, url.length() - ".git".length());
    }

    static GitCredentials creds() {
        return GitCredentials.password(USER, Secret.of(PASSWORD));
    }

    /** The simple generation used here: one file per component holding the image. */
    static ReleaseEdit releaseFile(String component, String image) {
        return ReleaseEdit.of(files -> List.of(FileChange.of("releases/" + component + ".yaml", "image: " + image
                + "\n", files.exists("releases/" + component + ".yaml") ? FileChange.Kind.UPDATED
                : FileChange.Kind.CREATED)));
    }

    CommitRelease release(String url, String component, String image) {
        return CommitRelease.create().setRepository(url).setBaseBranch("main").setCredentials(creds())
                .setRelease(new ReleaseInfo("shop", component, image, "0123456789abcdef"))
                .setEdit(releaseFile(component, image)).setTempRoot(tmp.resolve("work"));
    }

    long receivePacks() {
        return server.requests().stream().filter(r -> r.startsWith("POST") && r.contains("git-receive-pack")).count();
    }

    @Test
    void pushesReleaseBranchWithExactlyTheEditedFiles() throws Exception {
        String url = seed();
        CommitResult r = release(url, "api", "reg/api@sha256:" + "ab".repeat(32)).setAuthor("Bot", "bot@example.invalid")
                .call();

        assertThat(r.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(r.branch()).isEqualTo("release/api-01234567");
        assertThat(r.changedFiles()).containsExactly("releases/api.yaml");
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile());
                RevWalk rw = new RevWalk(bare)) {
            RevCommit c = rw.parseCommit(bare.resolve("refs/heads/release/api-01234567"));
            assertThat(c.name()).isEqualTo(r.commit());
            assertThat(c.getParent(0).name()).isEqualTo(bare.resolve("refs/heads/main").name()).isEqualTo(r.baseCommit());
            assertThat(changedPaths(bare, rw.parseCommit(c.getParent(0)), c)).containsExactly("releases/api.yaml");
            assertThat(read(bare, c, "releases/api.yaml")).isEqualTo("image: reg/api@sha256:" + "ab".repeat(32) + "\n");
            assertThat(c.getFullMessage()).startsWith("Release api (01234567)\n\nProject: shop\nComponent: api\n")
                    .contains("Image: reg/api@sha256:").contains("Revision: 0123456789abcdef");
            assertThat(c.getAuthorIdent().getName()).isEqualTo("Bot");
            assertThat(c.getCommitterIdent().getEmailAddress()).isEqualTo("bot@example.invalid");
            // Nothing else moved: main is still the seed.
            assertThat(rw.parseCommit(bare.resolve("refs/heads/main")).getFullMessage()).isEqualTo("seed");
        }
    }

    /** A repository on this machine (file://): read and updated in place; same branch, commit and rules. */
    @Test
    void localRepositoryIsReadInPlaceAndPushedLikeARemoteOne() throws Exception {
        String url = seed();
        Path dir = server.repositoryDir(repoName(url));
        String fileUrl = dir.toUri().toString();
        List<String> steps = new ArrayList<>();
        CommitResult r = CommitRelease.create().setRepository(fileUrl).setBaseBranch("main")
                .setRelease(new ReleaseInfo("shop", "api", "reg/api:7", "0123456789abcdef"))
                .setEdit(ReleaseEdit.of(files -> {
                    assertThat(new String(files.read("README.md").orElseThrow(), StandardCharsets.UTF_8))
                            .isEqualTo("gitops\n");
                    return releaseFile("api", "reg/api:7").apply(files).changes();
                })).setTempRoot(tmp.resolve("work")).setProgress(steps::add).call();
        assertThat(r.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(steps.get(0)).startsWith("read main@").endsWith("(local repository, no fetch)");
        try (Repository bare = FileRepositoryBuilder.create(dir.toFile()); RevWalk rw = new RevWalk(bare)) {
            RevCommit c = rw.parseCommit(bare.resolve("refs/heads/release/api-01234567"));
            assertThat(c.name()).isEqualTo(r.commit());
            assertThat(c.getParent(0).name()).isEqualTo(bare.resolve("refs/heads/main").name());
            assertThat(read(bare, c, "releases/api.yaml")).isEqualTo("image: reg/api:7\n");
        }
        assertThat(tmp.resolve("work")).doesNotExist(); // no private repository for a local one

        // Rerun: the branch already holds the change.
        CommitResult again = CommitRelease.create().setRepository(fileUrl).setBaseBranch("main")
                .setRelease(new ReleaseInfo("shop", "api", "reg/api:7", "0123456789abcdef"))
                .setEdit(releaseFile("api", "reg/api:7")).setTempRoot(tmp.resolve("work")).call();
        assertThat(again.status()).isEqualTo(CommitResult.Status.UP_TO_DATE);
        assertThat(again.commit()).isEqualTo(r.commit());

        // Direct: main moves by one commit.
        CommitResult direct = CommitRelease.create().setRepository(fileUrl).setBaseBranch("main").setDirect(true)
                .setRelease(new ReleaseInfo("shop", "web", "reg/web:1", "0123456789abcdef"))
                .setEdit(releaseFile("web", "reg/web:1")).setTempRoot(tmp.resolve("work")).call();
        assertThat(direct.status()).isEqualTo(CommitResult.Status.PUSHED);
        try (Repository bare = FileRepositoryBuilder.create(dir.toFile())) {
            assertThat(bare.resolve("refs/heads/main").name()).isEqualTo(direct.commit());
        }

        assertThatThrownBy(() -> CommitRelease.create().setRepository(fileUrl).setBaseBranch("nope")
                .setRelease(new ReleaseInfo("shop", "web", "reg/web:1", "0123456789abcdef"))
                .setEdit(releaseFile("web", "reg/web:1")).setTempRoot(tmp.resolve("work")).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--base").hasMessageContaining("nope");
    }

    @Test
    void readsTheFetchedTreeThroughRepoFiles() throws Exception {
        String url = seed();
        List<String> seen = new ArrayList<>();
        String[] readme = new String[1];
        release(url, "api", "reg/api:1").setEdit(ReleaseEdit.of(files -> {
            seen.addAll(files.list());
            readme[0] = new String(files.read("README.md").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(files.read("nope.yaml")).isEmpty();
            assertThat(files.describe()).contains("main@");
            return List.of(FileChange.of("releases/api.yaml", "x\n", FileChange.Kind.CREATED));
        })).call();
        assertThat(seen).containsExactly("README.md", "namespaces/default/projects/shop/project.yaml",
                "releases/existing.yaml");
        assertThat(readme[0]).isEqualTo("gitops\n");
    }

    @Test
    void rerunReusesTheBranchAndPushesNothing() throws Exception {
        String url = seed();
        CommitResult first = release(url, "api", "reg/api:1").call();
        long pushes = receivePacks();
        CommitResult again = release(url, "api", "reg/api:1").call();

        assertThat(again.status()).isEqualTo(CommitResult.Status.UP_TO_DATE);
        assertThat(again.pushed()).isFalse();
        assertThat(again.branch()).isEqualTo(first.branch());
        assertThat(again.commit()).isEqualTo(first.commit());
        assertThat(receivePacks()).isEqualTo(pushes);

        // A different image for the same release name: the same branch is force-updated, still one branch.
        CommitResult changed = release(url, "api", "reg/api:2").call();
        assertThat(changed.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(changed.branch()).isEqualTo(first.branch());
        assertThat(changed.commit()).isNotEqualTo(first.commit());
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/release/")).hasSize(1);
            assertThat(bare.resolve("refs/heads/" + first.branch()).name()).isEqualTo(changed.commit());
        }
    }

    @Test
    void noChangeMeansNoCommitAndNoPush() throws Exception {
        String url = seed();
        long pushes = receivePacks();
        CommitResult r = release(url, "existing", "reg/existing:1").call();
        assertThat(r.status()).isEqualTo(CommitResult.Status.NO_CHANGE);
        assertThat(r.changed()).isFalse();
        assertThat(r.commit()).isNull();
        assertThat(r.pushed()).isFalse();
        assertThat(receivePacks()).isEqualTo(pushes);
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/")).extracting(Ref::getName)
                    .containsExactly("refs/heads/main");
        }
    }

    @Test
    void directCommitGoesOnTheBaseBranch() throws Exception {
        String url = seed();
        CommitResult r = release(url, "api", "reg/api:1").setDirect(true).call();
        assertThat(r.branch()).isEqualTo("main");
        assertThat(r.direct()).isTrue();
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile())) {
            assertThat(bare.resolve("refs/heads/main").name()).isEqualTo(r.commit());
        }
    }

    @Test
    void timestampBranchStyleUsesTheClock() throws Exception {
        String url = seed();
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
        CommitResult r = release(url, "api", "reg/api:1").setBranchStyle(CommitRelease.BranchStyle.TIMESTAMP)
                .setClock(clock).call();
        assertThat(r.branch()).isEqualTo("release/api-20260304-050607");
    }

    @Test
    void releaseNameFromGenerationNamesTheBranch() throws Exception {
        String url = seed();
        CommitResult r = release(url, "api", "reg/api:1").setEdit(files -> new ReleaseEdit.Result(
                List.of(FileChange.of("releases/api.yaml", "x\n", FileChange.Kind.CREATED)), "v2")).call();
        assertThat(r.branch()).isEqualTo("release/api-v2");
        assertThat(r.releaseName()).isEqualTo("v2");
    }

    @Test
    void withoutCredentialsPushFailsClearly() throws Exception {
        String url = seed();
        assertThatThrownBy(() -> release(url, "api", "reg/api:1").setCredentials(GitCredentials.none()).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("authentication failed")
                .hasMessageContaining(url);
    }

    @Test
    void wrongCredentialsFailWithoutLeakingTheSecret() throws Exception {
        String url = seed();
        String wrong = "canary-wr0ng-XYZ";
        assertThatThrownBy(() -> release(url, "api", "reg/api:1")
                .setCredentials(GitCredentials.password(USER, Secret.of(wrong))).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("authentication failed")
                .satisfies(e -> assertThat(messagesOf(e)).doesNotContain(wrong).doesNotContain(PASSWORD));
    }

    @Test
    void unknownBaseBranchIsBadInput() throws Exception {
        String url = seed();
        assertThatThrownBy(() -> release(url, "api", "reg/api:1").setBaseBranch("nope").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--base")
                .hasMessageContaining("nope");
    }

    @Test
    void failingGenerationPushesNothing() throws Exception {
        String url = seed();
        long pushes = receivePacks();
        assertThatThrownBy(() -> release(url, "api", "reg/api:1").setEdit(files -> {
            throw new IllegalStateException("descriptor broken");
        }).call()).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("generation failed")
                .hasMessageContaining("descriptor broken");
        assertThat(receivePacks()).isEqualTo(pushes);
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/")).hasSize(1);
        }
    }

    /** A release name that is no DNS-1123 name is refused under --release-name, before the server is asked. */
    @Test
    void aBadReleaseNameIsRefusedBeforeAnyRequest() throws Exception {
        String url = seed();
        int before = server.requests().size();
        assertThatThrownBy(() -> release(url, "api", "reg/api:1").setReleaseName("Api_2").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--release-name")
                .hasMessageContaining("Api_2").hasMessageContaining("DNS-1123");
        assertThat(server.requests()).hasSize(before);
        assertThat(release(url, "api", "reg/api:1").setReleaseName("api-2").call().status())
                .isEqualTo(CommitResult.Status.PUSHED);
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        String token = "canary-t0ken-URL";
        assertThatThrownBy(() -> release("https://user:" + token + "@127.0.0.1:1/x.git", "api", "reg/api:1").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--repo")
                .hasMessageContaining("credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
        assertThatThrownBy(() -> release("https://" + token + "@127.0.0.1:1/x.git", "api", "reg/api:1").call())
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    }

    @Test
    void tempRepositoryIsRemoved() throws Exception {
        String url = seed();
        release(url, "api", "reg/api:1").call();
        try (var s = Files.list(tmp.resolve("work"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void aTempRootThatIsAFileFailsBeforeAnyRequest() throws Exception {
        String url = seed();
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        long before = server.requests().size();
        assertThatThrownBy(() -> release(url, "api", "reg/api:1").setTempRoot(file).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("cannot prepare a local Git repository");
        assertThat(server.requests()).hasSize((int) before);
    }

    @Test
    void twentyConcurrentReleasesPushTwentyBranches() throws Exception {
        String url = seed();
        List<CommitResult> results = runConcurrently(url, 20, false);
        assertThat(results).extracting(CommitResult::branch).doesNotHaveDuplicates().hasSize(20);
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile());
                RevWalk rw = new RevWalk(bare)) {
            List<Ref> branches = bare.getRefDatabase().getRefsByPrefix("refs/heads/release/");
            assertThat(branches).hasSize(20);
            ObjectId main = bare.resolve("refs/heads/main");
            for (Ref b : branches) {
                RevCommit c = rw.parseCommit(b.getObjectId());
                assertThat(c.getParent(0).getId()).isEqualTo(main);
                assertThat(changedPaths(bare, rw.parseCommit(c.getParent(0)), c)).hasSize(1);
            }
        }
    }

    @Test
    void twentyConcurrentDirectCommitsLoseNothing() throws Exception {
        String url = seed();
        List<CommitResult> results = runConcurrently(url, 20, true);
        assertThat(results).extracting(CommitResult::commit).doesNotHaveDuplicates().hasSize(20);
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(repoName(url)).toFile());
                RevWalk rw = new RevWalk(bare)) {
            // Linear history: seed + 20 releases, each commit one parent, each adding exactly its own file.
            RevCommit c = rw.parseCommit(bare.resolve("refs/heads/main"));
            Set<String> commits = new HashSet<>();
            Set<String> files = new HashSet<>();
            while (c.getParentCount() > 0) {
                assertThat(c.getParentCount()).isEqualTo(1);
                RevCommit parent = rw.parseCommit(c.getParent(0));
                List<String> changed = changedPaths(bare, parent, c);
                assertThat(changed).hasSize(1);
                files.add(changed.get(0));
                commits.add(c.name());
                c = parent;
            }
            assertThat(c.getFullMessage()).isEqualTo("seed");
            assertThat(commits).hasSize(20).containsExactlyInAnyOrderElementsOf(
                    results.stream().map(CommitResult::commit).toList());
            assertThat(files).hasSize(20);
            RevCommit tip = rw.parseCommit(bare.resolve("refs/heads/main"));
            for (int i = 0; i < 20; i++) {
                assertThat(read(bare, tip, "releases/svc" + i + ".yaml")).isEqualTo("image: reg/svc" + i + ":1\n");
            }
        }
    }

    private List<CommitResult> runConcurrently(String url, int n, boolean direct) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String component = "svc" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return release(url, component, "reg/" + component + ":1").setDirect(direct)
                            .setMaxAttempts(40).setBackoffMillis(50).call();
                }));
            }
            start.countDown();
            List<CommitResult> results = new ArrayList<>();
            for (Future<CommitResult> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static String messagesOf(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    static List<String> changedPaths(Repository repo, RevCommit a, RevCommit b) throws Exception {
        List<String> out = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(a.getTree());
            tw.addTree(b.getTree());
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            while (tw.next()) {
                out.add(tw.getPathString());
            }
        }
        return out;
    }

    static String read(Repository repo, RevCommit c, String path) throws Exception {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            return new String(repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
        }
    }

}
