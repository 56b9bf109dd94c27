package io.jenkins.plugins.gitopsrelease.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingProgressTest {
    @Test
    void masksEverySecretInEveryChannel() {
        List<String> lines = new ArrayList<>();
        Progress sink = new Progress() {
            @Override
            public void step(String message) {
                lines.add(message);
            }

            @Override
            public void detail(String message) {
                lines.add(message);
            }

            @Override
            public void transfer(String name, long done, long total) {
                lines.add(name);
            }
        };
        MaskingProgress p = new MaskingProgress(sink, List.of(Secret.of("canary-s3cr3t"), Secret.of("canary-s3cr3t-LONG")));
        p.step("login with canary-s3cr3t-LONG failed");
        p.detail("token=canary-s3cr3t");
        p.transfer("blob canary-s3cr3t", 1, 2);
        assertThat(lines).containsExactly("login with **** failed", "token=****", "blob ****");
        assertThat(String.join("\n", lines)).doesNotContain("canary");
    }

    @Test
    void secretToStringIsMasked() {
        Secret s = Secret.of("canary-s3cr3t");
        assertThat(s.toString()).isEqualTo("****");
        assertThat("" + s).doesNotContain("canary");
        assertThat(s.reveal()).isEqualTo("canary-s3cr3t");
    }
}
