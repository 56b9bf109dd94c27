package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheExampleSettingsWithDefaultsAndOrder() throws Exception {
        Path f = tmp.resolve("gitops-release.yaml");
        Files.writeString(f, """
                repositoryUrl: repo.git
                forge: github
                labels: [release]
                environments:
                  - name: development
                    registry: 127.0.0.1:5000/dev
                  - name: staging
                    registry: 127.0.0.1:5001/staging
                    watchKind: application
                    registryCredentialsId: ignored-in-cli
                """);
        ReleaseSettings s = ReleaseSettings.load(f);
        assertThat(s.repositoryUrl()).isEqualTo(tmp.resolve("repo.git").toString());
        assertThat(s.baseBranch()).isEqualTo("main");
        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.next("development")).map(ReleaseSettings.Environment::name).hasValue("staging");
        assertThat(s.next("staging")).isEmpty();
        assertThat(s.environment("staging").orElseThrow().watchKind()).isEqualTo("application");
        assertThat(s.environment("development").orElseThrow().watchKind()).isEqualTo("deployment");
    }

    @Test
    void unknownKeyIsNamed() throws Exception {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, "repositoryURL: x\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown key 'repositoryURL'");
    }

    @Test
    void badValuesNameFieldAndFix() throws Exception {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, "environments:\n  - name: Prod\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("environments[].name").hasMessageContaining("'Prod'");
        Files.writeString(f, "forge: sourceforge\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).hasMessageContaining("forge: invalid value 'sourceforge'");
        Files.writeString(f, "repositoryUrl: https://bot:canary-s3cr3t-T@git.example.com/x.git\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).hasMessageContaining("credentials in the URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("canary-s3cr3t-T"));
        Files.writeString(f, "componentLinkTemplate: https://x/{app}\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).hasMessageContaining("unknown placeholder {app}");
        Files.writeString(f, "environments:\n  - name: dev\n  - name: dev\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).hasMessageContaining("once");
    }
}
