package io.jenkins.plugins.gitopsrelease.testinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Git HTTP fixture serves real fetch and push, and enforces basic auth when configured. */
class GitServerFixtureTest {
    @RegisterExtension
    static GitServerFixture secured = GitServerFixture.withAuth("git-user", "canary-s3cr3t-GIT");

    @RegisterExtension
    static GitServerFixture open = GitServerFixture.anonymous();

    @TempDir
    Path tmp;

    @Test
    void pushWithCredentialsLandsInTheBareRepository() throws Exception {
        String url = secured.createRepository("gitops", null, "main");
        var creds = new UsernamePasswordCredentialsProvider(secured.user(), secured.password());
        try (Git clone = Git.cloneRepository().setURI(url).setDirectory(tmp.resolve("c").toFile())
                .setCredentialsProvider(creds).call()) {
            Files.writeString(tmp.resolve("c/app.yaml"), "image: app:1\n");
            clone.add().addFilepattern("app.yaml").call();
            ObjectId commit = clone.commit().setMessage("release").setAuthor("t", "t@example.invalid")
                    .setCommitter("t", "t@example.invalid").setSign(false).call().getId();
            clone.push().setCredentialsProvider(creds).call();
            try (Repository bare = FileRepositoryBuilder.create(secured.repositoryDir("gitops").toFile())) {
                assertThat(bare.resolve("refs/heads/main")).isEqualTo(commit);
            }
        }
        assertThat(secured.requests()).anyMatch(r -> r.contains("git-receive-pack"));
    }

    @Test
    void pushWithoutCredentialsIsRejected() throws Exception {
        String url = secured.createRepository("locked", null, "main");
        Path work = tmp.resolve("w");
        try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("f"), "x");
            g.add().addFilepattern("f").call();
            g.commit().setMessage("m").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid")
                    .setSign(false).call();
            assertThatThrownBy(() -> g.push().setRemote(url).add("main").call())
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("Authentication");
            var wrong = new UsernamePasswordCredentialsProvider("git-user", "wrong");
            assertThatThrownBy(() -> g.push().setRemote(url).add("main").setCredentialsProvider(wrong).call())
                    .isInstanceOf(TransportException.class);
        }
        assertThat(secured.unauthorizedCount()).isPositive();
    }

    @Test
    void anonymousServerAcceptsPushFromGitCli() throws Exception {
        String url = open.createRepository("cli", null, "main");
        Path work = tmp.resolve("cli");
        ExternalTool.run("git", "clone", "-q", url, work.toString());
        Files.writeString(work.resolve("x.yaml"), "a: 1\n");
        ExternalTool.run(java.util.List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                "-C", work.toString(), "add", "x.yaml"));
        ExternalTool.run(java.util.List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                "-C", work.toString(), "commit", "-q", "-m", "cli"));
        ExternalTool.run(java.util.List.of("git", "-C", work.toString(), "push", "-q", "origin", "main"));
        try (Repository bare = FileRepositoryBuilder.create(open.repositoryDir("cli").toFile())) {
            assertThat(bare.parseCommit(bare.resolve("refs/heads/main")).getFullMessage()).contains("cli");
        }
    }
}
