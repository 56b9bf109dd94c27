package io.jenkins.plugins.gitopsrelease.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.git.TreeFetch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component index read from a fetched commit tree (no checkout), the way the Jenkins receiver reads it. */
class TreeFetchIndexTest {
    @TempDir
    Path dir;

    @Test
    void indexFromAFetchedBranchEqualsTheIndexFromTheCheckout() throws Exception {
        Path work = WebhookFixtures.shop(Files.createDirectories(dir.resolve("work")));
        String tip;
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            RevCommit c = git.commit().setMessage("components").setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com").call();
            tip = c.name();
        }
        String url = work.resolve(".git").toUri().toString();
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        ComponentIndex fetched = TreeFetch.create().setRepository(url).setBranch("main").setTempRoot(temp)
                .read((commit, files) -> {
                    assertThat(commit).isEqualTo(tip);
                    assertThat(files.describe()).contains("main@" + tip.substring(0, 8));
                    return ComponentIndex.of(files);
                });
        assertThat(fetched.components()).isEqualTo(ComponentIndex.of(
                new io.jenkins.plugins.gitopsrelease.files.DirectoryFiles(work)).components());
        try (var s = Files.list(temp)) {
            assertThat(s).as("the private repository is deleted").isEmpty();
        }
        assertThatThrownBy(() -> TreeFetch.create().setRepository(url).setBranch("nope").setTempRoot(temp)
                .read((c, f) -> f)).hasMessageContaining("nope");
        assertThatThrownBy(() -> TreeFetch.create().setRepository(url).setBranch("a..b").read((c, f) -> f))
                .isInstanceOf(InvalidInputException.class);
    }
}
