package io.jenkins.plugins.gitopsrelease.image.build;

import static io.jenkins.plugins.gitopsrelease.image.build.BuildTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.gitopsrelease.core.Executables;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is reported before any work, naming the option, the value and the fix. */
class BuildImageInputTest {
    @TempDir
    Path tmp;

    private Path ctx() throws Exception {
        Path ctx = tmp.resolve("app");
        write(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a /a\n");
        write(ctx.resolve("a"), "a");
        return ctx;
    }

    @Test
    void missingContext() {
        assertThatThrownBy(() -> BuildImage.context(tmp.resolve("nope")).image("127.0.0.1:5000/app:1").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--context: invalid value")
                .hasMessageContaining("nope");
    }

    @Test
    void unknownBuilder() {
        assertThatThrownBy(() -> BuildImage.context(tmp).builder("kaniko"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--builder: invalid value 'kaniko': use one of auto, dockerfile, jib, spa, buildpacks");
    }

    @Test
    void badImageReferences() throws Exception {
        Path ctx = ctx();
        assertThatThrownBy(() -> BuildImage.context(ctx).image("Registry.example.com/Team/App:1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--image");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("https://registry.example.com/app:1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("without a scheme");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("registry.example.com/app@sha256:" + "a".repeat(64)).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("without @sha256");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(null).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--image: an image reference is required");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("oci:" + tmp + "/layout:bad tag").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("tag after the last ':'");
    }

    @Test
    void badPlatformAndLayerSpecs() throws Exception {
        Path ctx = ctx();
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").platform("amd64").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--platform");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").builder("jib").layer("a").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--layer");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").builder("jib").layer("missing:/x").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").builder("jib").jar(Path.of("a")).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--jar");
    }

    @Test
    void autoWithNothingToBuildAsksForABuilder() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> BuildImage.context(tmp.resolve("empty")).image("r.example/app:1").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pass --builder dockerfile|jib|spa|buildpacks");
    }

    @Test
    void missingDescriptorAndBrokenResultFileAreBadInput() throws Exception {
        Path ctx = ctx();
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").descriptor(Path.of("deploy/workload.yaml")).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--descriptor");
        Path broken = Files.writeString(tmp.resolve("build_result.json"), "{not json");
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").buildResult(broken).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("build_result.json");
    }

    @Test
    void buildpacksWithoutPackNamesTheMissingTool() throws Exception {
        assumeTrue(Executables.find("pack").isEmpty(), "pack is installed on this agent");
        Path ctx = ctx();
        assertThatThrownBy(() -> BuildImage.context(ctx).image("r.example/app:1").builder("buildpacks")
                .packBuilder("paketobuildpacks/builder-jammy-base").auth(RegistryAuth.anonymous()).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("pack not found on PATH")
                .hasMessageContaining("buildpacks.io");
    }

    @Test
    void buildResultKeepsOtherImagesAndReplacesTheSameOne() {
        BuildResult r = BuildResult.empty()
                .withBuild(new BuildResult.Build("reg/a", "reg/a:1@sha256:" + "1".repeat(64)))
                .withBuild(new BuildResult.Build("reg/b", "reg/b:1@sha256:" + "2".repeat(64)))
                .withBuild(new BuildResult.Build("reg/a", "reg/a:2@sha256:" + "3".repeat(64)));
        assertThat(r.builds()).extracting(BuildResult.Build::tag)
                .containsExactly("reg/b:1@sha256:" + "2".repeat(64), "reg/a:2@sha256:" + "3".repeat(64));
        Path file = tmp.resolve("br/build_result.json");
        r.withDescriptor("app/workload.yaml").write(file);
        assertThat(BuildResult.read(file)).isEqualTo(r.withDescriptor("app/workload.yaml"));
    }
}
