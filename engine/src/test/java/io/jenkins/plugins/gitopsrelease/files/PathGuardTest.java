package io.jenkins.plugins.gitopsrelease.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathGuardTest {
    @TempDir
    Path dir;

    @Test
    void everySpellingOfLeavingTheRootIsRefused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("out"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("../nowhere/x"));
        for (String p : List.of("a\0b", "../outside/x", "a/../../outside/x", outside.resolve("x").toString(),
                "out/x", "out/new/dir/x", "dangling/y", "a\u0001b")) {
            assertThatThrownBy(() -> PathGuard.resolve(root, p, "--output-path")).as(p)
                    .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("--output-path: ")
                    .message().doesNotContain("\0");
        }
        assertThat(PathGuard.resolve(root, "a/b/../c.yaml", "x")).isEqualTo(root.resolve("a/c.yaml"));
    }

    @Test
    void directoryFilesNeverWriteThroughALink() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("releases"), Path.of("../outside"));
        DirectoryFiles files = new DirectoryFiles(root);
        FileChange c = new FileChange("releases/r.yaml", "x".getBytes(StandardCharsets.UTF_8), FileChange.Kind.CREATED);
        assertThatThrownBy(() -> files.apply(List.of(c))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("releases/r.yaml");
        assertThat(outside.resolve("r.yaml")).doesNotExist();
        assertThatThrownBy(() -> RepoPaths.normalize("a\0b")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new DirectoryFiles(Path.of(""))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--root-dir");
    }
}
