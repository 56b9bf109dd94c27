package io.jenkins.plugins.gitopsrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.Environments.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentsTest {
    @TempDir
    Path dir;

    @Test
    void precedenceExplicitThenEnvThenPropertiesThenRegistryFile() throws Exception {
        Files.writeString(dir.resolve("pipeline.properties"), "GOOGLE_GKE_IMAGE_PP_REPOSITORY=props.example/pp\n"
                + "GOOGLE_GKE_IMAGE_QA_EU_REPOSITORY=props.example/qa\n");
        Files.writeString(dir.resolve(".registry"), "local: localhost:5001\nci:\n  - ${CI_REG:-ghcr.io/acme}\n"
                + "environments:\n  staging: file.example/staging\n  pp: file.example/pp\n");
        Map<String, String> env = Map.of("GOOGLE_GKE_IMAGE_REPOSITORY", "env.example/dev",
                "GOOGLE_GKE_IMAGE_PP_REPOSITORY", "env.example/pp");

        Environments e = Environments.of(env, dir);
        assertThat(e.resolve("dev", Role.SOURCE).repository()).isEqualTo("env.example/dev");
        assertThat(e.resolve("pp", Role.DESTINATION)).extracting(Environments.Resolved::repository,
                Environments.Resolved::origin).containsExactly("env.example/pp",
                "environment variable GOOGLE_GKE_IMAGE_PP_REPOSITORY");
        assertThat(e.resolve("qa-eu", Role.DESTINATION).repository()).isEqualTo("props.example/qa");
        assertThat(e.resolve("staging", Role.DESTINATION).repository()).isEqualTo("file.example/staging");
        assertThat(e.resolve("local", Role.SOURCE).repository()).isEqualTo("localhost:5001");
        assertThat(e.resolve("ci", Role.SOURCE).repository()).isEqualTo("ghcr.io/acme");
        assertThat(Environments.of(Map.of("CI_REG", "reg.example/ci"), dir).resolve("ci", Role.SOURCE).repository())
                .isEqualTo("reg.example/ci");

        assertThat(Environments.of(env, dir).explicit(Role.DESTINATION, "cli.example/x").resolve("pp", Role.DESTINATION)
                .repository()).isEqualTo("cli.example/x");
        assertThat(Environments.of(env, dir).explicit("pp", "cli.example/pp").resolve("pp", Role.SOURCE)
                .repository()).isEqualTo("cli.example/pp");
    }

    @Test
    void roleVariablesAfterPerEnvironmentOnes() {
        Map<String, String> env = Map.of("PROMOTE_SOURCE_REPOSITORY", "src.example/a",
                "PROMOTE_DESTINATION_REPOSITORY", "dst.example/b", "GOOGLE_GKE_IMAGE_PROD_REPOSITORY", "prod.example/p");
        Environments e = Environments.of(env, dir);
        assertThat(e.resolve("dev", Role.SOURCE).repository()).isEqualTo("src.example/a");
        assertThat(e.resolve("pp", Role.DESTINATION).repository()).isEqualTo("dst.example/b");
        assertThat(e.resolve("prod", Role.DESTINATION).repository()).isEqualTo("prod.example/p");
    }

    @Test
    void pipelinePropertiesFromOctopilotVariable() throws Exception {
        Files.writeString(dir.resolve("ops.properties"), "PROMOTE_DESTINATION_REPOSITORY=p.example/x\n");
        Environments e = Environments.of(Map.of("OCTOPILOT_PIPELINE_PROPERTIES", "ops.properties"), dir);
        assertThat(e.resolve("prod", Role.DESTINATION).repository()).isEqualTo("p.example/x");
    }

    @Test
    void unknownEnvironmentNamesTheVariablesToSet() {
        assertThatThrownBy(() -> Environments.of(Map.of(), dir).resolve("prod", Role.DESTINATION))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--destination").hasMessageContaining("'prod'")
                .hasMessageContaining("GOOGLE_GKE_IMAGE_PROD_REPOSITORY");
        assertThatThrownBy(() -> Environments.of(Map.of("GOOGLE_GKE_IMAGE_PP_REPOSITORY", "reg/x:1.0"), dir)
                .resolve("pp", Role.SOURCE)).isInstanceOf(InvalidInputException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> Environments.of(Map.of(), dir).resolve("bad name", Role.SOURCE))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void relocateKeepsPathAndTag() {
        var built = ImageRefs.parse("t", "reg-a.example/team/svc/app:1.2@sha256:" + "a".repeat(64));
        assertThat(Environments.relocate(built, "reg-a.example/team", "reg-b.example/prod", "--build-result"))
                .isEqualTo("reg-b.example/prod/svc/app:1.2");
        assertThatThrownBy(() -> Environments.relocate(built, "other.example/team", "x.example/p", "--build-result"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not under");
    }

    @Test
    void buildResultRoundTrip() throws Exception {
        Path f = dir.resolve("out/build_result.json");
        BuildResult r = BuildResult.of(new BuildResult.Build("base", "reg.example/base:1@sha256:" + "b".repeat(64)),
                new BuildResult.Build("app", "reg.example/app:1.2@sha256:" + "a".repeat(64)));
        r.write(f);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
        assertThat(tree.path("builds").get(0).path("imageName").asText()).isEqualTo("base");
        assertThat(tree.path("builds").get(1).path("tag").asText()).startsWith("reg.example/app:1.2@sha256:");
        BuildResult back = BuildResult.read(f);
        assertThat(back).isEqualTo(r);
        assertThat(back.select(null).imageName()).isEqualTo("app");
        assertThat(back.select("base").reference().getRepository()).isEqualTo("base");
        assertThatThrownBy(() -> back.select("nope")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("[base, app]");
        // Skaffold writes extra fields in newer versions; they are ignored
        Files.writeString(f, "{\"builds\":[{\"imageName\":\"x\",\"tag\":\"r/x:1@sha256:" + "c".repeat(64)
                + "\",\"platforms\":[\"linux/amd64\"]}],\"extra\":1}");
        assertThat(BuildResult.read(f).select(null).imageName()).isEqualTo("x");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> BuildResult.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--build-result");
        assertThatThrownBy(() -> BuildResult.read(dir.resolve("missing.json"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not exist");
    }
}
