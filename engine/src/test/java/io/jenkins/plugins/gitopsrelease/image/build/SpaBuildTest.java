package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.image.build.BuildTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.BaseImages;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The SPA builder: a real npm run of a build script (no download), then the output on a base with nginx config. */
class SpaBuildTest {
    @RegisterExtension
    static RegistryFixture registry = RegistryFixture.plain();

    @TempDir
    Path tmp;

    private Path spa(String outDir) throws Exception {
        ExternalTool.require("npm", "npm");
        Path ctx = tmp.resolve("web");
        write(ctx.resolve("package.json"), """
                {"name": "web", "version": "1.0.0", "private": true,
                 "scripts": {"build": "node build.js"}}
                """);
        write(ctx.resolve("build.js"), """
                const fs = require('fs');
                fs.mkdirSync('%1$s/assets', {recursive: true});
                fs.writeFileSync('%1$s/index.html', '<div id="root"></div><script src="/assets/app.js"></script>');
                fs.writeFileSync('%1$s/assets/app.js', 'console.log("built by ' + process.version + '")');
                """.formatted(outDir));
        return ctx;
    }

    @Test
    void buildOutputOnTheBaseWithTheSpaFallback() throws Exception {
        Path ctx = spa("build");
        var progress = new RecordingProgress();
        String nodeMajor = ExternalTool.run("node", "--version").trim().replaceAll("^v(\\d+)\\..*", "$1");
        BuildImageResult r = BuildImage.context(ctx).image(registry.host() + "/team/web:1") // auto → spa
                .base(BaseImages.busybox(registry)).nodeVersion(nodeMajor)
                .insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).progress(progress)
                .cacheDir(tmp.resolve("cache")).call();

        assertThat(r.builder()).isEqualTo("spa");
        assertThat(r.digest()).isEqualTo(registry.skopeoDigest("team/web:1"));
        assertThat(progress.text()).contains("skipping install").contains("node build.js");
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/web:1", tmp);
        assertThat(files.get("usr/share/nginx/html/index.html")).contains("<div id=\"root\">");
        assertThat(files.get("usr/share/nginx/html/assets/app.js")).contains("built by v" + nodeMajor);
        assertThat(files.get("etc/nginx/conf.d/default.conf"))
                .contains("root   /usr/share/nginx/html;")
                .containsPattern("location / \\{\\s+try_files \\$uri \\$uri/ /index.html;");
        assertThat(files).containsKey("bin/busybox");
    }

    @Test
    void distOutputAndAConfiguredPort() throws Exception {
        Path ctx = spa("dist");
        BuildImage.context(ctx).image(registry.host() + "/team/web-dist:1").builder("spa")
                .base(BaseImages.busybox(registry)).ports(List.of("8080"))
                .insecure(List.of(registry.host())).auth(RegistryAuth.anonymous()).cacheDir(tmp.resolve("cache")).call();
        Map<String, String> files = BuildTesting.layerFiles(registry, "team/web-dist:1", tmp);
        assertThat(files).containsKey("usr/share/nginx/html/index.html");
        assertThat(files.get("etc/nginx/conf.d/default.conf")).contains("listen       8080;");
    }

    @Test
    void unavailableNodeVersionIsNamed() throws Exception {
        Path ctx = spa("build");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/web:2").builder("spa")
                .nodeVersion("4.9").auth(RegistryAuth.anonymous()).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("--node-version 4.9")
                .hasMessageContaining("node on PATH is v");
    }

    @Test
    void failingBuildScriptFails() throws Exception {
        Path ctx = spa("build");
        write(ctx.resolve("build.js"), "console.error('Error: cannot compile src/App.tsx'); process.exit(3);\n");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/web:3")
                .auth(RegistryAuth.anonymous()).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("npm run build failed")
                .hasMessageContaining("cannot compile src/App.tsx");
    }

    @Test
    void packageJsonWithoutBuildScriptIsBadInput() throws Exception {
        Path ctx = spa("build");
        write(ctx.resolve("package.json"), "{\"name\": \"web\", \"scripts\": {\"start\": \"node x\"}}");
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/web:4").builder("spa").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no \"build\" script");
        // and auto detection asks for --builder
        assertThatThrownBy(() -> BuildImage.context(ctx).image(registry.host() + "/team/web:4").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--builder");
    }
}
