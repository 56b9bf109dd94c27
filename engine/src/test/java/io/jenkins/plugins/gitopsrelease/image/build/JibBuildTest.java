package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.image.build.BuildTesting.inspect;
import static io.jenkins.plugins.gitopsrelease.image.build.BuildTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.BaseImages;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.FreePorts;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The in-process Jib builder against a real registry (plain HTTP, and TLS with basic auth) and an OCI layout. */
class JibBuildTest {
    static final String CANARY = "canary-s3cr3t-JIB";

    @RegisterExtension
    static RegistryFixture registry = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secured = RegistryFixture.withTlsAndAuth("builder", CANARY);

    @TempDir
    Path tmp;

    private Path app() throws Exception {
        Path ctx = tmp.resolve("app");
        write(ctx.resolve("bin/hello"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(ctx.resolve("bin/hello"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(ctx.resolve("srv/static/index.html"), "<h1>hi</h1>\n");
        write(ctx.resolve("workload.yaml"), "apiVersion: openchoreo.dev/v1alpha1\nkind: Workload\n");
        return ctx;
    }

    private BuildImage plainBuild(Path ctx, String repoTag) {
        return BuildImage.context(ctx).image(registry.host() + "/" + repoTag).builder("jib")
                .insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).cacheDir(tmp.resolve("cache"));
    }

    @Test
    void directoryLayersOntoScratchArePushedAndRecorded() throws Exception {
        Path ctx = app();
        Path resultFile = tmp.resolve("build_result.json");
        BuildImageResult r = plainBuild(ctx, "team/app:1.0").buildResult(resultFile).call();

        assertThat(r.digest()).isEqualTo(registry.skopeoDigest("team/app:1.0"));
        assertThat(r.reference()).isEqualTo(registry.host() + "/team/app:1.0@" + r.digest());
        assertThat(r.imageName()).isEqualTo(registry.host() + "/team/app");
        assertThat(r.builder()).isEqualTo("jib");
        assertThat(r.descriptor()).isEqualTo(ctx.resolve("workload.yaml"));

        BuildResult recorded = BuildResult.read(resultFile);
        assertThat(recorded.builds()).containsExactly(new BuildResult.Build(registry.host() + "/team/app", r.reference(), r.attributes()));
        assertThat(recorded.gitopsRelease().descriptor()).isEqualTo("app/workload.yaml");
        JsonNode json = BuildTesting.JSON.readTree(resultFile.toFile());
        assertThat(json.path("builds").get(0).path("tag").asText()).endsWith(":1.0@" + r.digest());

        // One layer per top-level directory (bin, srv); the descriptor stays out of the image.
        assertThat(inspect(registry, "team/app:1.0", false).path("Layers")).hasSize(2);
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/app:1.0", tmp);
        assertThat(files).containsEntry("bin/hello", "#!/bin/sh\necho hello\n")
                .containsEntry("srv/static/index.html", "<h1>hi</h1>\n")
                .doesNotContainKey("workload.yaml");
    }

    @Test
    void sameInputTwiceGivesTheSameDigest() throws Exception {
        Path ctx = app();
        String first = plainBuild(ctx, "team/repro-a:1").call().digest();
        // A fresh cache and new file times: the digest depends on content (and attributes: the tag is the
        // org.opencontainers.image.version label, so the same tag is used) only.
        Files.setLastModifiedTime(ctx.resolve("bin/hello"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        String second = plainBuild(ctx, "team/repro-b:1").cacheDir(tmp.resolve("cache2")).call().digest();
        assertThat(second).isEqualTo(first);
        Files.writeString(ctx.resolve("srv/static/index.html"), "<h1>changed</h1>\n");
        assertThat(plainBuild(ctx, "team/repro-c:1").call().digest()).isNotEqualTo(first);
    }

    @Test
    void explicitLayersOntoTheLocalBaseImage() throws Exception {
        String base = BaseImages.busybox(registry);
        Path ctx = app();
        BuildImageResult r = plainBuild(ctx, "team/on-base:1").base(base)
                .layer("srv/static:/usr/share/www").layer("bin/hello:/usr/local/bin/hello")
                .env(Map.of("GREETING", "hi")).labels(Map.of("org.example.team", "payments")).ports(List.of("8080"))
                .user("1000").cmd(List.of("/usr/local/bin/hello")).call();

        assertThat(r.digest()).isEqualTo(registry.skopeoDigest("team/on-base:1"));
        JsonNode baseLayers = inspect(registry, BaseImages.BUSYBOX_REPO, false).path("Layers");
        JsonNode layers = inspect(registry, "team/on-base:1", false).path("Layers");
        assertThat(layers).hasSize(baseLayers.size() + 2);
        assertThat(layers.get(0)).isEqualTo(baseLayers.get(0));
        JsonNode config = inspect(registry, "team/on-base:1", true).path("config");
        assertThat(config.path("Env").toString()).contains("GREETING=hi");
        assertThat(config.path("Labels").path("org.example.team").asText()).isEqualTo("payments");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("User").asText()).isEqualTo("1000");
        assertThat(config.path("Cmd").get(0).asText()).isEqualTo("/usr/local/bin/hello");
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/on-base:1", tmp);
        assertThat(files).containsKey("bin/busybox").containsEntry("usr/share/www/index.html", "<h1>hi</h1>\n");
    }

    @Test
    void jvmAppGetsADependencyLayerAndAJavaEntrypoint() throws Exception {
        Path ctx = tmp.resolve("jvm");
        Files.createDirectories(ctx.resolve("target/lib"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.example.App");
        try (OutputStream out = Files.newOutputStream(ctx.resolve("target/app.jar"));
             JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new java.util.jar.JarEntry("com/example/App.class"));
            jar.write(new byte[] {1, 2, 3});
        }
        Files.writeString(ctx.resolve("target/lib/dep-1.0.jar"), "not really a jar");
        BuildImageResult r = plainBuild(ctx, "team/jvm:1").jar(Path.of("target/app.jar")).libDir(Path.of("target/lib"))
                .call();
        JsonNode layers = inspect(registry, "team/jvm:1", false).path("Layers");
        assertThat(layers).hasSize(2);
        JsonNode config = inspect(registry, "team/jvm:1", true).path("config");
        assertThat(BuildTesting.JSON.convertValue(config.path("Entrypoint"), List.class))
                .containsExactly("java", "-cp", "/app/app.jar:/app/lib/*", "com.example.App");
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/jvm:1", tmp);
        assertThat(files).containsKeys("app/app.jar", "app/lib/dep-1.0.jar");
        assertThat(r.digest()).isEqualTo(registry.skopeoDigest("team/jvm:1"));
    }

    @Test
    void ociLayoutTargetIsReadableBySkopeo() throws Exception {
        Path ctx = app();
        Path layout = tmp.resolve("layout");
        BuildImageResult r = BuildImage.context(ctx).image("oci:" + layout + ":v1").builder("jib")
                .auth(RegistryAuth.anonymous()).cacheDir(tmp.resolve("cache")).call();
        BuildImageResult r2 = BuildImage.context(ctx).image("oci:" + layout + ":v2").builder("jib")
                .auth(RegistryAuth.anonymous()).layer("srv:/srv").cacheDir(tmp.resolve("cache")).call();
        String skopeo = ExternalTool.run("skopeo", "inspect", "--format", "{{.Digest}}", "oci:" + layout + ":v1").trim();
        assertThat(r.digest()).isEqualTo(skopeo);
        assertThat(ExternalTool.run("skopeo", "inspect", "--format", "{{.Digest}}", "oci:" + layout + ":v2").trim())
                .isEqualTo(r2.digest()).isNotEqualTo(r.digest());
        assertThat(r.reference()).isEqualTo("oci:" + layout + ":v1@" + r.digest());
        // and copies on to a registry unchanged
        ExternalTool.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + registry.host() + "/from/layout:v1");
        assertThat(registry.skopeoDigest("from/layout:v1")).isEqualTo(r.digest());
    }

    @Test
    void tlsRegistryWithBasicAuthAndACaFile() throws Exception {
        Path ctx = app();
        BuildImageResult r = BuildImage.context(ctx).image(secured.host() + "/secure/app:2").builder("jib")
                .auth(RegistryAuth.anonymous().with(secured.host(), "builder", Secret.of(CANARY)))
                .caFile(secured.caCertificate()).cacheDir(tmp.resolve("cache")).call();
        assertThat(r.digest()).isEqualTo(secured.skopeoDigest("secure/app:2"));
    }

    @Test
    void wrongCredentialsFailWithoutShowingTheSecret() throws Exception {
        Path ctx = app();
        Path resultFile = tmp.resolve("build_result.json");
        var progress = new RecordingProgress();
        assertThatThrownBy(() -> BuildImage.context(ctx).image(secured.host() + "/secure/app:3").builder("jib")
                .auth(RegistryAuth.anonymous().with(secured.host(), "builder", Secret.of(CANARY + "-wrong")))
                .caFile(secured.caCertificate()).buildResult(resultFile).progress(progress).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("refused the credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
        assertThat(progress.text()).doesNotContain(CANARY);
        assertThat(resultFile).doesNotExist();
    }

    @Test
    void unreachableRegistryFailsAndLeavesTheResultFileAlone() throws Exception {
        Path ctx = app();
        Path resultFile = tmp.resolve("build_result.json");
        BuildResult.empty().withBuild(new BuildResult.Build("earlier/app", "earlier/app:1@sha256:" + "a".repeat(64)))
                .write(resultFile);
        String before = Files.readString(resultFile);
        String closed = "127.0.0.1:" + FreePorts.next();
        assertThatThrownBy(() -> BuildImage.context(ctx).image(closed + "/team/app:1").builder("jib")
                .insecure(List.of(closed)).auth(RegistryAuth.anonymous()).buildResult(resultFile).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cannot reach the registry");
        assertThat(Files.readString(resultFile)).isEqualTo(before);
    }

    @Test
    void defaultTagIsTheSourceCommit() throws Exception {
        Path ctx = app();
        RevCommit commit;
        try (Git git = Git.init().setDirectory(ctx.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("app").setAuthor("t", "t@example.invalid")
                    .setCommitter("t", "t@example.invalid").setSign(false).call();
        }
        BuildImageResult r = plainBuild(ctx, "team/tagged").call();
        assertThat(r.tag()).isEqualTo(commit.name().substring(0, 8));
        assertThat(registry.skopeoDigest("team/tagged:" + r.tag())).isEqualTo(r.digest());
    }

    @Test
    void attributesAreFixedInTheImageAndRecordedInTheBuildResult() throws Exception {
        Path ctx = app();
        RevCommit commit;
        try (Git git = Git.init().setDirectory(ctx.toFile()).setInitialBranch("release-1").call()) {
            git.getRepository().getConfig().setString("remote", "origin", "url",
                    "https://ci-bot:" + CANARY + "@git.example.com/team/app.git");
            git.getRepository().getConfig().save();
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("app").setAuthor("t", "t@example.invalid")
                    .setCommitter("t", "t@example.invalid").setSign(false).call();
        }
        Path resultFile = tmp.resolve("build_result.json");
        BuildImageResult r = plainBuild(ctx, "team/attrs:2.1").buildResult(resultFile)
                .attributes(io.jenkins.plugins.gitopsrelease.buildrecord.Attributes.fromEnvironment(Map.of(
                        "BUILD_URL", "https://jenkins.example/job/app/42/", "JOB_NAME", "app",
                        "GIT_BRANCH", "origin/release-1")))
                .call();
        Map<String, String> attrs = io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord
                .image(registry.host() + "/team/attrs:2.1").insecure(List.of(registry.host()))
                .auth(RegistryAuth.anonymous()).call().attributes();
        assertThat(attrs).containsEntry("org.opencontainers.image.revision", commit.name())
                .containsEntry("org.opencontainers.image.source", "https://git.example.com/team/app.git")
                .containsEntry("org.opencontainers.image.created",
                        java.time.Instant.ofEpochSecond(commit.getCommitTime()).toString())
                .containsEntry("org.opencontainers.image.version", "2.1")
                .containsEntry("io.jenkins.gitops-release.builder", "jib")
                .containsEntry("io.jenkins.gitops-release.branch", "release-1")
                .containsEntry("io.jenkins.gitops-release.run-url", "https://jenkins.example/job/app/42/")
                .containsEntry("io.jenkins.gitops-release.job", "app");
        assertThat(r.attributes()).isEqualTo(BuildResult.read(resultFile).builds().get(0).attributes());
        assertThat(attrs).containsAllEntriesOf(r.attributes());
        assertThat(Files.readString(resultFile)).doesNotContain(CANARY).contains("org.opencontainers.image.revision");
        assertThat(attrs.toString()).doesNotContain(CANARY);
    }

    @Test
    void noTagOutsideAGitCheckoutIsBadInput() throws Exception {
        Path ctx = app();
        assertThatThrownBy(() -> plainBuild(ctx, "team/untagged").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--image")
                .hasMessageContaining("not inside a git checkout");
    }
}
