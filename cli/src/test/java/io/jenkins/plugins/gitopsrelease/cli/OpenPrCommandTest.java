package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
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
}
