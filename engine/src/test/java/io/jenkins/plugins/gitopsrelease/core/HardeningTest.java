package io.jenkins.plugins.gitopsrelease.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared mechanisms of issue 16: parse limits, the scrubber, the boundary and bounded durations. */
class HardeningTest {
    static final String CANARY = "CANARYc0ffee1234abcd";

    @TempDir
    Path dir;

    @Test
    void jsonNestedBeyondTheLimitNamesTheLimit() {
        byte[] deep = ("[".repeat(ParseLimits.MAX_NESTING + 1) + "]".repeat(ParseLimits.MAX_NESTING + 1)).getBytes();
        assertThatThrownBy(() -> ParseLimits.readJson(deep, "build_result.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("build_result.json: ")
                .hasMessageContaining("parse limit");
        byte[] ok = ("[".repeat(50) + "]".repeat(50)).getBytes();
        assertThat(ParseLimits.readJson(ok, "x").isArray()).isTrue();
    }

    @Test
    void yamlChecksNameTheLimit() {
        assertThatThrownBy(() -> ParseLimits.checkYaml("a: " + "[".repeat(1_000) + "]".repeat(1_000), "kubeconfig"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("kubeconfig").hasMessageContaining("limit");
        assertThatThrownBy(() -> ParseLimits.checkYaml("a: &a [*a]", "kubeconfig"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("200 levels");
        assertThatThrownBy(() -> ParseLimits.checkYamlText("v: " + "x".repeat(ParseLimits.MAX_YAML_TOKEN + 1), "f.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(ParseLimits.MAX_YAML_TOKEN + " characters");
        ParseLimits.checkYaml("apiVersion: v1\nclusters:\n- name: a\n", "kubeconfig");
    }

    @Test
    void jacksonYamlMapperHasTheLimitsToo() {
        String deep = "a:\n" + "  ".repeat(1) + "[".repeat(300) + "]".repeat(300);
        assertThatThrownBy(() -> ParseLimits.yaml().readTree(deep)).isInstanceOf(Exception.class);
    }

    @Test
    void anEngineErrorMessageNeverHoldsALiveSecret() {
        Secret s = Secret.of(CANARY);
        OperationFailedException e = new OperationFailedException("the server said: Authorization " + CANARY
                + " is wrong\nsecond line");
        assertThat(e.getMessage()).doesNotContain(CANARY).contains("****").doesNotContain("\n");
        assertThat(s.reveal()).isEqualTo(CANARY);
    }

    @Test
    void urlCredentialsAndBearerValuesAreMaskedWhateverTheirSpelling() {
        assertThat(Scrubber.scrub("URI not supported: gopher://bot:p/a@ss@host/x"))
                .isEqualTo("URI not supported: gopher://****@host/x");
        assertThat(Scrubber.scrub("a header value: Bearer abc\u0001defghij")).isEqualTo("a header value: Bearer ****");
        assertThat(Scrubber.scrub("clone user:tok3n-value@github.com:org/repo.git"))
                .isEqualTo("clone ****@github.com:org/repo.git");
        assertThat(Scrubber.scrub("check the token (--token-env or --token-file)"))
                .isEqualTo("check the token (--token-env or --token-file)");
        assertThat(Scrubber.scrub("git fetch ssh://git@127.0.0.1:2222/repo failed"))
                .isEqualTo("git fetch ssh://git@127.0.0.1:2222/repo failed");
        assertThat(Scrubber.scrub("git fetch ssh://git:pw@127.0.0.1:2222/repo")).isEqualTo("git fetch ssh://****@127.0.0.1:2222/repo");
        // Image references are not credentials.
        String refs = "copied docker://reg.example/app@sha256:abcd and nginx:1.25@sha256:abcd";
        assertThat(Scrubber.scrub(refs)).isEqualTo(refs);
    }

    @Test
    void aSecretWithAControlCharacterIsRefusedByName() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, CANARY.substring(0, 8) + "\u0001" + CANARY.substring(8));
        assertThatThrownBy(() -> Secret.fromFile("--token-file", f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--token-file").hasMessageContaining("control character")
                .message().doesNotContain(CANARY.substring(8)).doesNotContain(CANARY.substring(0, 8));
        Files.writeString(f, CANARY + "\n");
        assertThat(Secret.fromFile("--token-file", f).reveal()).isEqualTo(CANARY);
    }

    @Test
    void theBoundaryTurnsLibraryFailuresIntoOneScrubbedLine() {
        GitOpsReleaseException so = Failures.translate(new StackOverflowError());
        assertThat(so).isInstanceOf(InvalidInputException.class);
        assertThat(so.getMessage()).contains(ParseLimits.MAX_NESTING + " levels");
        GitOpsReleaseException path = Failures.translate(new InvalidPathException("a\0b", "Nul character not allowed"));
        assertThat(path).isInstanceOf(InvalidInputException.class);
        assertThat(path.getMessage()).contains("a\\u0000b").doesNotContain("\0");
        Secret s = Secret.of(CANARY);
        GitOpsReleaseException other = Failures.translate(new IllegalArgumentException("bad header: " + s.reveal()));
        assertThat(other).isInstanceOf(OperationFailedException.class);
        assertThat(other.getMessage()).contains("internal error").doesNotContain(CANARY);
        assertThat(Failures.guard(() -> "ok")).isEqualTo("ok");
    }

    @Test
    void durationsOverTheLongestWaitAreRefused() {
        for (String t : new String[] {"99999999999999999h", "9223372036854775807s", "PT99999999999999H", "169h",
            "8d", "5000000000000ms"}) {
            assertThatThrownBy(() -> DurationText.parse("--timeout", t)).as(t).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("--timeout");
        }
        assertThatThrownBy(() -> DurationText.parse("--timeout", "169h")).hasMessageContaining("7 days");
        assertThat(DurationText.parse("--timeout", "168h")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse("--timeout", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    }
}
