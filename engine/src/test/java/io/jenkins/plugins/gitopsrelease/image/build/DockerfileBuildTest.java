package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.image.build.BuildTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.BaseImages;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Dockerfile builds through the real buildah (chroot isolation, private vfs storage), FROM a locally built base. */
class DockerfileBuildTest {
    static final String CANARY = "canary-s3cr3t-BUD";

    @RegisterExtension
    static RegistryFixture registry = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secured = RegistryFixture.withTlsAndAuth("builder", CANARY);

    @TempDir
    Path tmp;

    static String base;

    @BeforeAll
    static void baseImage() {
        ExternalTool.require("buildah", "buildah");
        base = BaseImages.busybox(registry);
    }

    private Path app(String dockerfile) throws Exception {
        Path ctx = tmp.resolve("app");
        write(ctx.resolve("Dockerfile"), dockerfile);
        write(ctx.resolve("site/index.html"), "<h1>hello</h1>\n");
        write(ctx.resolve("workload.yaml"), "kind: Workload\n");
        return ctx;
    }

    private static final String COPY_AND_RUN = """
            ARG GREETING=default
            FROM %s
            ARG GREETING
            COPY site/ /www/
            RUN echo "$GREETING" > /www/greeting.txt && ls /www > /www/listing.txt
            """;

    @Test
    void copyAndRunOnTheLocalBasePushedToThePlainRegistry() throws Exception {
        Path ctx = app(COPY_AND_RUN.formatted(base));
        Path resultFile = tmp.resolve("build_result.json");
        var progress = new RecordingProgress();
        // Another build on this machine (a second checkout's tests) may have its own storage in the temp directory.
        java.util.Set<String> before = buildStorages();
        BuildImageResult r = BuildImage.context(ctx).image(registry.host() + "/team/web:1.0")
                .buildArg("GREETING", "hi-from-build-arg").insecure(List.of(registry.host()))
                .auth(RegistryAuth.anonymous()).buildResult(resultFile).progress(progress).call();

        assertThat(r.builder()).isEqualTo("dockerfile"); // auto-detected from the Dockerfile
        String skopeo = registry.skopeoDigest("team/web:1.0");
        assertThat(r.digest()).isEqualTo(skopeo);
        assertThat(BuildResult.read(resultFile).builds()).extracting(b -> b.imageName() + " " + b.tag())
                .containsExactly(registry.host() + "/team/web " + registry.host() + "/team/web:1.0@" + skopeo);
        // attributes: manifest annotations and config labels, so part of the digest; also in build_result.json
        Map<String, String> annotations = io.jenkins.plugins.gitopsrelease.testinfra.TestImages.client(registry)
                .getManifest("team/web", "1.0").orElseThrow().annotations();
        assertThat(annotations).containsEntry("org.opencontainers.image.version", "1.0")
                .containsEntry("io.jenkins.gitops-release.builder", "dockerfile")
                .containsEntry("org.opencontainers.image.base.name", base);
        assertThat(io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord.image(registry.host() + "/team/web:1.0")
                .insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).call().attributes())
                .containsAllEntriesOf(r.attributes());
        assertThat(BuildResult.read(resultFile).builds().get(0).attributes()).isEqualTo(r.attributes())
                .containsEntry("org.opencontainers.image.version", "1.0");
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/web:1.0", tmp);
        assertThat(files).containsEntry("www/index.html", "<h1>hello</h1>\n")
                .containsEntry("www/greeting.txt", "hi-from-build-arg\n")
                .containsKey("bin/busybox");
        assertThat(progress.text()).contains("STEP"); // buildah's output streamed as progress
        // the private storage is gone
        assertThat(buildStorages()).isSubsetOf(before);
    }

    /** The builders' private storage directories in the temp directory now. */
    static java.util.Set<String> buildStorages() throws java.io.IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gitops-release-build"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void pushedToTheTlsRegistryWithCredentialsAndCa() throws Exception {
        Path ctx = app(COPY_AND_RUN.formatted(base));
        Files.move(ctx.resolve("Dockerfile"), ctx.resolve("build.Dockerfile"));
        var progress = new RecordingProgress();
        BuildImageResult r = BuildImage.context(ctx).image(secured.host() + "/secure/web:2").builder("dockerfile")
                .dockerfile(Path.of("build.Dockerfile")).insecure(List.of(registry.host()))
                .auth(RegistryAuth.anonymous().with(secured.host(), "builder", Secret.of(CANARY)))
                .caFile(secured.caCertificate()).progress(progress).call();
        assertThat(r.digest()).isEqualTo(secured.skopeoDigest("secure/web:2"));
        assertThat(progress.text()).doesNotContain(CANARY);
    }

    @Test
    void targetStageIsBuilt() throws Exception {
        Path ctx = app("""
                FROM %s AS first
                RUN echo first > /stage.txt
                FROM %s AS second
                RUN echo second > /stage.txt
                """.formatted(base, base));
        BuildImageResult r = BuildImage.context(ctx).image(registry.host() + "/team/staged:1").builder("dockerfile")
                .target("first").insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).call();
        assertThat(BuildTesting.layerFiles(registry, "team/staged:1", tmp)).containsEntry("stage.txt", "first\n");
        assertThat(r.digest()).isEqualTo(registry.skopeoDigest("team/staged:1"));
    }

    @Test
    void failingRunStepFailsTheBuildAndRecordsNothing() throws Exception {
        Path ctx = app("FROM %s\nRUN false\n".formatted(base));
        Path resultFile = tmp.resolve("build_result.json");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/broken:1")
                .insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).buildResult(resultFile).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Dockerfile build of " + registry.host() + "/team/broken:1 failed");
        assertThat(resultFile).doesNotExist();
        assertThat(registry.httpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(registry.baseUrl() + "/v2/team/broken/tags/list")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void wrongCredentialsFailWithoutShowingTheSecret() throws Exception {
        Path ctx = app(COPY_AND_RUN.formatted(base));
        var progress = new RecordingProgress();
        assertThatThrownBy(() -> BuildImage.context(ctx).image(secured.host() + "/secure/web:3")
                .insecure(List.of(registry.host()))
                .auth(RegistryAuth.anonymous().with(secured.host(), "builder", Secret.of(CANARY + "-wrong")))
                .caFile(secured.caCertificate()).progress(progress).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("push of " + secured.host() + "/secure/web:3 failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
        assertThat(progress.text()).doesNotContain(CANARY);
    }

    @Test
    void missingDockerfileIsBadInput() throws Exception {
        Path ctx = app("FROM scratch\n");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/x:1").builder("dockerfile")
                .dockerfile(Path.of("nope/Dockerfile")).call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--dockerfile")
                .hasMessageContaining("nope/Dockerfile");
    }
}
