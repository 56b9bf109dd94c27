package io.jenkins.plugins.gitopsrelease.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** open-pr end to end against the real Git HTTP fixture, with an injected generation step. */
class OpenPrCommandTest {
    static final String PASSWORD = "canary-cli-s3cr3t";

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", PASSWORD);

    @RegisterExtension
    static ForgeMock forge = new ForgeMock();

    @TempDir
    Path tmp;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final OpenPrCommand.GenerationFactory original = OpenPrCommand.generation;

    @AfterEach
    void restore() {
        OpenPrCommand.generation = original;
    }

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void pushesTheReleaseBranchAndSaysHowToOpenThePr() throws Exception {
        String url = git.createRepository("cli1", null, "main");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n");
        OpenPrCommand.generation = req -> ReleaseEdit.of(files -> List.of(FileChange.of(
                "releases/" + req.component() + ".yaml", "image: " + req.image() + "\n", FileChange.Kind.CREATED)));

        int code = run("open-pr", "--repo", url, "--project", "shop", "--component", "api", "--image", "reg/api:1",
                "--revision", "0123456789", "--git-username", "bot", "--git-password-file", pw.toString(), "--json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"branch\" : \"release/api-01234567\"").contains("\"pushed\" : true");
        assertThat(err.toString()).contains("open a pull request from release/api-01234567 into main");
        assertThat(out.toString() + err).doesNotContain(PASSWORD);
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("cli1").toFile())) {
            assertThat(bare.resolve("refs/heads/release/api-01234567")).isNotNull();
        }
    }

    @Test
    void credentialsInTheRepoUrlAreBadInput() {
        OpenPrCommand.generation = req -> ReleaseEdit.of(files -> List.of());
        int code = run("open-pr", "--repo", "https://bot:canary-in-url@127.0.0.1:1/x.git", "--project", "p",
                "--component", "c", "--image", "i:1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--repo").doesNotContain("canary-in-url");
    }

    @Test
    void generatesTheOpenChoreoReleaseOnTheFetchedTree() throws Exception {
        Path examples = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        String url = git.createRepository("cli2", examples.resolve("gitops-repo"), "main");
        int code = run("open-pr", "--repo", url, "--project", "shop", "--component", "hello-web",
                "--image", "registry.example.com/shop/hello-web:1.0", "--descriptor",
                examples.resolve("hello-web/workload.yaml").toString(), "--release-name", "hello-web-20260101-1",
                "--git-username", "bot", "--git-password-file", passwordFile().toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"branch\" : \"release/hello-web-20260101-1\"");
        String base = "namespaces/default/projects/shop/components/hello-web/";
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("cli2").toFile())) {
            var commit = bare.parseCommit(bare.resolve("refs/heads/release/hello-web-20260101-1"));
            var files = new java.util.TreeSet<String>();
            try (var walk = new org.eclipse.jgit.treewalk.TreeWalk(bare)) {
                walk.addTree(commit.getTree());
                walk.setRecursive(true);
                while (walk.next()) {
                    files.add(walk.getPathString());
                }
            }
            assertThat(files).contains(base + "workload.yaml", base + "releases/hello-web-20260101-1.yaml",
                    base + "release-bindings/hello-web-development.yaml");
        }
    }

    private Path passwordFile() throws java.io.IOException {
        Path pw = tmp.resolve("pw-file");
        Files.writeString(pw, PASSWORD + "\n");
        return pw;
    }

    @Test
    void failingGenerationPushesNothing() throws Exception {
        Path examples = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        String url = git.createRepository("cli3", examples.resolve("gitops-repo"), "main");
        int code = run("open-pr", "--repo", url, "--project", "shop", "--component", "no-such-component",
                "--image", "registry.example.com/shop/x:1.0", "--git-username", "bot", "--git-password-file",
                passwordFile().toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-component");
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("cli3").toFile())) {
            assertThat(bare.getRefDatabase().getRefsByPrefix("refs/heads/release/")).isEmpty();
        }
    }

    @Test
    void forgeWithoutTokenIsBadInput() {
        OpenPrCommand.generation = req -> ReleaseEdit.of(files -> List.of());
        int code = run("open-pr", "--repo", "https://github.com/o/r.git", "--project", "p", "--component", "c",
                "--image", "i:1", "--forge", "github");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--token-env");
    }

    /** The GitLab forge (gitlab4j on Jersey) wired through the CLI: create, label, reviewer, auto-merge, merge wait. */
    @Test
    void opensAGitLabMergeRequestAndWaitsForTheMerge() throws Exception {
        Path examples = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        String url = git.createRepository("cli-gl", examples.resolve("gitops-repo"), "main");
        String token = "canary-gitlab-t0ken-CLI";
        Path tokenFile = tmp.resolve("gl-token");
        Files.writeString(tokenFile, token + "\n");
        String p = "/api/v4/projects/grp%2Fgitops";
        String mr = "{\"iid\":5,\"state\":\"%s\",\"source_branch\":\"release/hello-web-r1\",\"target_branch\":"
                + "\"main\",\"sha\":\"ffff\",\"merge_commit_sha\":%s,\"web_url\":\"https://gl.example/grp/gitops/-/merge_requests/5\"}";
        var s = forge.server();
        s.stubFor(get(urlPathEqualTo(p)).willReturn(okJson("{\"id\":3,\"path_with_namespace\":\"grp/gitops\"}")));
        s.stubFor(get(urlPathEqualTo("/api/v4/projects/3/merge_requests")).willReturn(okJson("[]")));
        s.stubFor(post(p + "/merge_requests").willReturn(status(201).withHeader("Content-Type", "application/json")
                .withBody(mr.formatted("opened", "null"))));
        s.stubFor(put(urlPathEqualTo(p + "/merge_requests/5")).willReturn(okJson(mr.formatted("opened", "null"))));
        s.stubFor(get(urlPathEqualTo("/api/v4/users")).willReturn(okJson("[{\"id\":42,\"username\":\"alice\"}]")));
        s.stubFor(put(p + "/merge_requests/5/merge").willReturn(okJson(mr.formatted("opened", "null"))));
        s.stubFor(get(urlPathEqualTo(p + "/merge_requests/5")).willReturn(okJson(mr.formatted("merged", "\"abc123\""))));

        int code = run("open-pr", "--repo", url, "--project", "shop", "--component", "hello-web",
                "--image", "registry.example.com/shop/hello-web:1.0", "--descriptor",
                examples.resolve("hello-web/workload.yaml").toString(), "--release-name", "hello-web-r1",
                "--git-username", "bot", "--git-password-file", passwordFile().toString(), "--forge", "gitlab",
                "--forge-url", forge.url(), "--forge-repo", "grp/gitops", "--token-file", tokenFile.toString(),
                "--label", "release", "--reviewer", "alice", "--draft", "--auto-merge", "--wait-merge", "--json");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"number\" : 5").contains("\"action\" : \"CREATED\"")
                .contains("\"mergeCommit\" : \"abc123\"");
        assertThat(out.toString() + err).doesNotContain(token).doesNotContain(PASSWORD);
        s.verify(postRequestedFor(urlEqualTo(p + "/merge_requests")).withHeader("PRIVATE-TOKEN", equalTo(token))
                .withFormParam("source_branch", equalTo("release/hello-web-r1"))
                .withFormParam("title", matching("Draft: .*")));
        s.verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5")).withFormParam("add_labels", equalTo("release")));
        s.verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5")).withFormParam("reviewer_ids[]", equalTo("42")));
        s.verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5/merge"))
                .withFormParam("merge_when_pipeline_succeeds", equalTo("true")));
    }
}
