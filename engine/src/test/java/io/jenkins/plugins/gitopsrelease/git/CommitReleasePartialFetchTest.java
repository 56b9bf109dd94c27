package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.testinfra.GitDaemonFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob-less fetches against real servers: Debian's git daemon with and without uploadpack.allowFilter, and JGit's
 * smart-HTTP server, which filters but refuses single blobs by default. Every case must push the same tree.
 */
class CommitReleasePartialFetchTest {
    static final int COMPONENTS = 120;
    static GitDaemonFixture daemon;
    static GitServerFixture jgit;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() throws Exception {
        daemon = GitDaemonFixture.start();
        jgit = GitServerFixture.anonymous().start();
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (jgit != null) {
            jgit.close();
        }
    }

    /** COMPONENTS components of two files each, and a README. */
    Path content(String name) throws Exception {
        Path c = Files.createDirectories(tmp.resolve("content-" + name));
        for (int i = 0; i < COMPONENTS; i++) {
            Path d = Files.createDirectories(c.resolve("components/c" + i));
            Files.writeString(d.resolve("component.yaml"), "kind: Component\nname: c" + i + "\n");
            Files.writeString(d.resolve("workload.yaml"), "image: reg/c" + i + ":1\n");
        }
        Files.writeString(c.resolve("README.md"), "gitops\n");
        return c;
    }

    /**
     * Reads c7's two files through {@code prefetch} (one request), then README.md without it (a second request),
     * and rewrites c7's workload from what it read.
     */
    static ReleaseEdit edit(Map<String, String> seen) {
        return ReleaseEdit.of(files -> {
            List<String> c7 = files.list(d -> d.isEmpty() || d.equals("components") || d.equals("components/c7"))
                    .stream().filter(p -> p.startsWith("components/c7/")).toList();
            assertThat(c7).hasSize(2);
            files.prefetch(c7);
            for (String p : c7) {
                seen.put(p, new String(files.read(p).orElseThrow(), StandardCharsets.UTF_8));
            }
            seen.put("README.md", new String(files.read("README.md").orElseThrow(), StandardCharsets.UTF_8));
            String w = seen.get("components/c7/workload.yaml").replace(":1", ":2");
            return List.of(FileChange.of("components/c7/workload.yaml", w, FileChange.Kind.UPDATED));
        });
    }

    CommitRelease release(String url, Map<String, String> seen, RecordingProgress progress) {
        return CommitRelease.create().setRepository(url).setBaseBranch("main")
                .setRelease(new ReleaseInfo("shop", "c7", "reg/c7:2", "0123456789abcdef")).setEdit(edit(seen))
                .setTempRoot(tmp.resolve("work")).setProgress(progress);
    }

    /** What a release of c7 showed: it pushed, and generation read exactly c7's two files and README.md. */
    record Outcome(CommitResult result, RecordingProgress progress) {
    }

    Outcome releaseC7(String url) {
        Map<String, String> seen = new TreeMap<>();
        RecordingProgress progress = new RecordingProgress();
        CommitResult r = release(url, seen, progress).call();
        assertThat(r.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(seen).isEqualTo(EXPECTED_READS);
        return new Outcome(r, progress);
    }

    /** A repository of {@code content} on JGit's server, with uploadpack.allowFilter set. */
    static String filtering(GitServerFixture server, String name, Path content) throws Exception {
        String url = server.createRepository(name, content, "main");
        try (Repository bare = FileRepositoryBuilder.create(server.repositoryDir(name).toFile())) {
            bare.getConfig().setBoolean("uploadpack", null, "allowfilter", true);
            bare.getConfig().save();
        }
        return url;
    }

    static final Map<String, String> EXPECTED_READS = Map.of("components/c7/component.yaml",
            "kind: Component\nname: c7\n", "components/c7/workload.yaml", "image: reg/c7:1\n", "README.md",
            "gitops\n");

    @Test
    void aServerThatFiltersSendsOnlyTheFilesGenerationReads() throws Exception {
        String url = daemon.createRepository("filtering", content("filtering"));
        daemon.config("filtering", "uploadpack.allowFilter", "true");
        Outcome o = releaseC7(url);
        CommitResult r = o.result();
        assertThat(o.progress().text()).contains("without file contents")
                // c7's two files in one request, README.md in a second: the other 240 never came
                .contains("fetched the 3 file(s) generation read, in 2 request(s)")
                .doesNotContain("fetching every file");
        assertPushed(daemon.repositoryDir("filtering"), r);
        assertThat(tmp.resolve("work")).isEmptyDirectory();
    }

    /** Bad input on a filtering server: named under its flag, nothing pushed, nothing left on disk. */
    @Test
    void anUnknownBaseBranchOnAFilteringServerIsBadInput() throws Exception {
        String url = daemon.createRepository("nobase", content("nobase"));
        daemon.config("nobase", "uploadpack.allowFilter", "true");
        assertThatThrownBy(() -> release(url, new TreeMap<>(), new RecordingProgress()).setBaseBranch("nope").call())
                .isInstanceOf(io.jenkins.plugins.gitopsrelease.core.InvalidInputException.class)
                .hasMessageContaining("--base").hasMessageContaining("nope").hasMessageContaining("e.g. main");
        assertThat(io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool.run("git", "-C",
                daemon.repositoryDir("nobase").toString(), "for-each-ref", "--format=%(refname)").lines().toList()).containsExactly("refs/heads/main");
        assertThat(tmp.resolve("work")).isEmptyDirectory();
    }

    @Test
    void aServerWithoutFiltersSendsEverythingAndTheResultIsTheSame() throws Exception {
        String url = daemon.createRepository("plain", content("plain"));
        Outcome o = releaseC7(url);
        assertThat(o.progress().text())
                .contains("does not filter fetches (uploadpack.allowFilter); fetching every file")
                .contains("(depth 1)").doesNotContain("request(s)");
        assertPushed(daemon.repositoryDir("plain"), o.result());
    }

    /** JGit's smart-HTTP server with uploadpack.allowFilter serves the partial session as git daemon does. */
    @Test
    void jgitsServerWithFiltersServesThePartialSession() throws Exception {
        Outcome o = releaseC7(filtering(jgit, "jgit-filtering", content("jgit")));
        assertThat(o.progress().text()).contains("in 2 request(s)").doesNotContain("fetching every file");
        assertPushed(jgit.repositoryDir("jgit-filtering"), o.result());
    }

    /** A server that filters but will not send single blobs (git over protocol v0 without allowAnySHA1InWant). */
    @Test
    void aServerThatFiltersButRefusesSingleBlobsGetsTheWholeTreeOnce() throws Exception {
        try (GitServerFixture strict = GitServerFixture.anonymous().refuseNonCommitWants().start()) {
            Outcome o = releaseC7(filtering(strict, "strict", content("strict")));
            assertThat(o.progress().text()).contains("without file contents")
                    .contains("the server did not send single files (").contains("fetching every file of main@")
                    .doesNotContain("request(s)");
            // Once: the README read after the fallback found its blob at hand.
            assertThat(o.progress().lines.stream().filter(l -> l.contains("fetching every file"))).hasSize(1);
            assertPushed(strict.repositoryDir("strict"), o.result());
        }
    }

    /**
     * git answers "failed to update ref" when the branch moved after it was advertised, and also when the update
     * failed for another reason (here a stale lock). The second is reported at once, not retried until the limit.
     */
    @Test
    void aFailedUpdateOnABranchThatDidNotMoveIsNoRace() throws Exception {
        String url = daemon.createRepository("locked", content("locked"));
        Files.writeString(daemon.repositoryDir("locked").resolve("refs/heads/main.lock"), "");
        RecordingProgress progress = new RecordingProgress();
        assertThatThrownBy(() -> CommitRelease.create().setRepository(url).setBaseBranch("main").setDirect(true)
                .setBackoffMillis(10).setRelease(new ReleaseInfo("shop", "c1", "reg/c1:2", "0123456789abcdef"))
                .setEdit(ReleaseEdit.of(files -> List.of(FileChange.of("components/c1/workload.yaml",
                        "image: reg/c1:2\n", FileChange.Kind.UPDATED)))).setTempRoot(tmp.resolve("work"))
                .setProgress(progress).call())
                .isInstanceOf(io.jenkins.plugins.gitopsrelease.core.OperationFailedException.class)
                .hasMessageContaining("failed to update ref").hasMessageContaining("main did not move");
        // One refetch to tell, not the ten attempts a race gets.
        assertThat(progress.lines.stream().filter(l -> l.contains("refetching to see whether it moved"))).hasSize(1);
        assertThat(progress.text()).doesNotContain("moved while committing");
    }

    /** Direct commits racing on a filtering server: each retry fetches the moved base without blobs again. */
    @Test
    void concurrentDirectCommitsOverAPartialFetchLoseNothing() throws Exception {
        String url = daemon.createRepository("racing", content("racing"));
        daemon.config("racing", "uploadpack.allowFilter", "true");
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> CommitRelease.create().setRepository(url).setBaseBranch("main")
                        .setDirect(true).setMaxAttempts(40).setBackoffMillis(50)
                        .setRelease(new ReleaseInfo("shop", "c" + k, "reg/c" + k + ":9", "0123456789abcdef"))
                        .setEdit(ReleaseEdit.of(files -> {
                            String p = "components/c" + k + "/workload.yaml";
                            String w = new String(files.read(p).orElseThrow(), StandardCharsets.UTF_8);
                            return List.of(FileChange.of(p, w.replace(":1", ":9"), FileChange.Kind.UPDATED));
                        })).setTempRoot(tmp.resolve("work")).call()));
            }
            for (Future<CommitResult> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS).status()).isEqualTo(CommitResult.Status.PUSHED);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Repository bare = FileRepositoryBuilder.create(daemon.repositoryDir("racing").toFile());
                RevWalk rw = new RevWalk(bare)) {
            RevCommit tip = rw.parseCommit(bare.resolve("refs/heads/main"));
            for (int i = 0; i < COMPONENTS; i++) {
                assertThat(read(bare, tip, "components/c" + i + "/workload.yaml"))
                        .isEqualTo("image: reg/c" + i + (i < n ? ":9" : ":1") + "\n");
            }
        }
    }

    /** The branch holds the base's tree with exactly c7's workload changed; every other file is the base's. */
    static void assertPushed(Path bareDir, CommitResult r) throws Exception {
        try (Repository bare = FileRepositoryBuilder.create(bareDir.toFile()); RevWalk rw = new RevWalk(bare)) {
            RevCommit c = rw.parseCommit(bare.resolve("refs/heads/" + r.branch()));
            assertThat(c.name()).isEqualTo(r.commit());
            RevCommit base = rw.parseCommit(c.getParent(0));
            assertThat(base.name()).isEqualTo(bare.resolve("refs/heads/main").name());
            assertThat(CommitReleaseTest.changedPaths(bare, base, c)).containsExactly("components/c7/workload.yaml");
            assertThat(read(bare, c, "components/c7/workload.yaml")).isEqualTo("image: reg/c7:2\n");
            assertThat(read(bare, c, "components/c8/workload.yaml")).isEqualTo("image: reg/c8:1\n");
        }
    }

    static String read(Repository repo, RevCommit c, String path) throws Exception {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
