package io.jenkins.plugins.gitopsrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthTest {
    @TempDir
    Path tmp;

    @Test
    void readsDockerConfigAuthsAndExplicitWins() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("alice:canary-s3cr3t-A".getBytes(StandardCharsets.UTF_8));
        Path cfg = tmp.resolve("config.json");
        Files.writeString(cfg, "{\"auths\":{\"https://reg.example.com:5000\":{\"auth\":\"" + b64 + "\"}}}");
        RegistryAuth auth = RegistryAuth.fromFile(cfg);
        var c = auth.lookup("reg.example.com:5000").orElseThrow();
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.password().reveal()).isEqualTo("canary-s3cr3t-A");
        assertThat(c.toString()).doesNotContain("canary");
        assertThat(auth.lookup("other.example.com")).isEmpty();

        var explicit = auth.with("reg.example.com:5000", "bob", Secret.of("canary-s3cr3t-B"));
        assertThat(explicit.lookup("reg.example.com:5000").orElseThrow().username()).isEqualTo("bob");
    }

    @Test
    void dockerHubAliasesAreOneHost() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("hub:pw".getBytes(StandardCharsets.UTF_8));
        Path cfg = tmp.resolve("config.json");
        Files.writeString(cfg, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64 + "\"}}}");
        assertThat(RegistryAuth.fromFile(cfg).lookup("registry-1.docker.io")).isPresent();
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> RegistryAuth.fromFile(tmp.resolve("missing.json")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--registry-auth-file");
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{not json");
        assertThatThrownBy(() -> RegistryAuth.fromFile(broken).lookup("x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void imageRefsNameTheFieldOnBadInput() {
        assertThat(ImageRefs.withoutDigest(ImageRefs.parse("--image", "127.0.0.1:5000/team/app:1.0")))
                .isEqualTo("127.0.0.1:5000/team/app:1.0");
        assertThat(ImageRefs.repository(ImageRefs.parse("--image", "nginx"))).isEqualTo("docker.io/library/nginx");
        assertThatThrownBy(() -> ImageRefs.parse("--image", "Reg/App:1"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("--image: invalid value 'Reg/App:1'");
        assertThatThrownBy(() -> ImageRefs.parse("--to", "https://reg/app"))
                .hasMessageContaining("without a scheme");
    }
}
