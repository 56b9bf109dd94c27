package io.jenkins.plugins.gitopsrelease.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class ImageMatchTest {
    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);

    @Test
    void tagsAreComparedExactlyNeverAsSubstrings() {
        ImageMatch m = ImageMatch.expecting("--image", "reg.example.com/app:v1.1");
        assertThat(m.matches("reg.example.com/app:v1.1")).isTrue();
        assertThat(m.matches("reg.example.com/app:v1.10")).isFalse();
        assertThat(m.matches("reg.example.com/app:v1.1-rc1")).isFalse();
        assertThat(m.matches("reg.example.com/app-old:v1.1")).isFalse();
        assertThat(m.matches("other.example.com/app:v1.1")).isFalse();
        assertThat(m.matches("reg.example.com/app:v1.1@" + D1)).isTrue();
    }

    @Test
    void dockerHubSpellingsAreNormalised() {
        ImageMatch m = ImageMatch.expecting("--image", "nginx:1.27");
        assertThat(m.matches("docker.io/library/nginx:1.27")).isTrue();
        assertThat(m.matches("index.docker.io/library/nginx:1.27")).isTrue();
        assertThat(m.matches("library/nginx:1.27")).isTrue();
        assertThat(m.matches("nginx")).isFalse();
        assertThat(ImageMatch.expecting("--image", "nginx").matches("nginx:latest")).isTrue();
    }

    @Test
    void digestsAreComparedByDigestAndRepository() {
        ImageMatch m = ImageMatch.expecting("--image", "reg.example.com/app@" + D1);
        assertThat(m.hasDigest()).isTrue();
        assertThat(m.matches("reg.example.com/app@" + D1)).isTrue();
        assertThat(m.matches("reg.example.com/app:v9@" + D1)).isTrue();
        assertThat(m.matches("reg.example.com/app@" + D2)).isFalse();
        assertThat(m.matches("reg.example.com/app:v1")).isFalse();
        assertThat(m.matches("mirror.example.com/app@" + D1)).isFalse();
        ImageMatch bare = ImageMatch.expecting("--image", D1);
        assertThat(bare.matches("mirror.example.com/app@" + D1)).isTrue();
        assertThat(bare.matches("mirror.example.com/app:" + "1".repeat(12))).isFalse();
    }

    @Test
    void badReferenceIsBadInput() {
        assertThatThrownBy(() -> ImageMatch.expecting("--image", "Reg/App:"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--image: invalid value 'Reg/App:'");
    }

    @Test
    void revisionsMatchFluxArgoAndChartVersionForms() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertThat(Revisions.matches("main@sha1:" + sha, sha)).isTrue();
        assertThat(Revisions.matches("main/" + sha, sha)).isTrue();
        assertThat(Revisions.matches(sha, "0123456")).isTrue();
        assertThat(Revisions.matches("0.1.0+0123456789ab", sha)).isTrue();
        assertThat(Revisions.matches("main@sha1:0123456789abcdef0123456789abcdef01234568", sha)).isFalse();
        assertThat(Revisions.matches("main@sha1:012345", sha)).isFalse();
        assertThat(Revisions.matches(null, sha)).isFalse();
        assertThat(Revisions.shortForm("main@sha1:" + sha)).isEqualTo("main@sha1:0123456789ab");
    }
}
