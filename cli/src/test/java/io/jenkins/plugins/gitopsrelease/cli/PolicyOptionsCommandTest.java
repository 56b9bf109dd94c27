package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} and {@code open-pr} apply the target environment's policy of {@code --config} before writing a file
 * or pushing a branch, reading the build's record from a plain-HTTP registry given with {@code --insecure-registry}.
 */
class PolicyOptionsCommandTest {
    @RegisterExtension
    static RegistryFixture reg = RegistryFixture.plain();

    @TempDir
    Path dir;

    Path config;
    String image;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("gitops-release.yaml");
        Files.writeString(config, "environments:\n  - name: development\n  - name: staging\n    policy:\n"
                + "      requiredAnnotations: [smoke=passed]\n");
        String repo = "shop/hello-web" + System.nanoTime();
        Manifest img = TestImages.image(reg, repo, "1.0", "amd64", 1000);
        image = reg.host() + "/" + repo + "@" + img.digest();
    }

    static Path examples() {
        Path top = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(top.resolve("examples/gitops-repo"))) {
            top = top.getParent();
        }
        return top.resolve("examples");
    }

    @Test
    void generateIsRefusedUntilTheRecordShowsTheRuleThenWrites() throws Exception {
        Path root = dir.resolve("gitops");
        HostileInputTest.copyTree(examples().resolve("gitops-repo"), root);
        List<String> before = files(root);
        String[] generate = {"generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web", "--image", image,
                "--target-env", "staging", "--config", config.toString(), "--insecure-registry", reg.host()};
        RecordCommandsTest.Run refused = RecordCommandsTest.run(generate);
        assertThat(refused.code()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("policy of environment 'staging' refuses")
                .contains("1) smoke=passed — no annotation smoke");
        assertThat(files(root)).isEqualTo(before);

        // another environment without a policy, and no settings file at all: no policy applies
        assertThat(RecordCommandsTest.run("generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web",
                "--image", image, "--target-env", "development", "--config", config.toString(), "--dry-run").code())
                .isZero();

        assertThat(RecordCommandsTest.run("annotate", image, "smoke=passed", "--insecure-registry", reg.host()).code())
                .isZero();
        RecordCommandsTest.Run ok = RecordCommandsTest.run(generate);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out() + ok.err()).contains("policy of staging: 1 rule met for " + image);
        assertThat(files(root)).isNotEqualTo(before);
    }

    @Test
    void openPrIsRefusedBeforePushingABranch() throws Exception {
        Path bare = dir.resolve("gitops.git");
        io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository.seedIfMissing(bare,
                examples().resolve("gitops-repo"), "main");
        String[] openPr = {"open-pr", "--repo", bare.toString(), "--project", "shop", "--component", "hello-web",
                "--image", image, "--target-env", "staging", "--revision", "0123456789abcdef",
                "--config", config.toString(), "--insecure-registry", reg.host()};
        RecordCommandsTest.Run refused = RecordCommandsTest.run(openPr);
        assertThat(refused.code()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("policy of environment 'staging' refuses").contains("smoke=passed");
        assertThat(branches(bare)).containsExactly("refs/heads/main");

        assertThat(RecordCommandsTest.run("annotate", image, "smoke=passed", "--insecure-registry", reg.host()).code())
                .isZero();
        RecordCommandsTest.Run ok = RecordCommandsTest.run(openPr);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(branches(bare)).hasSize(2);
    }

    static List<String> branches(Path bare) throws Exception {
        try (Repository r = FileRepositoryBuilder.create(bare.toFile())) {
            return r.getRefDatabase().getRefsByPrefix("refs/heads/").stream().map(x -> x.getName()).toList();
        }
    }

    static List<String> files(Path root) throws Exception {
        try (Stream<Path> w = Files.walk(root)) {
            return w.map(p -> root.relativize(p) + ":" + p.toFile().length()).sorted().toList();
        }
    }
}
