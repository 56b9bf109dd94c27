package io.jenkins.plugins.gitopsrelease.image.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which FROM images a Dockerfile pulls: the final base (an attribute) and the hosts (for the auth file). */
class DockerfileFromTest {
    @TempDir
    Path dir;

    @Test
    void stagesScratchAndArgBuiltNamesAreNotPulled() throws Exception {
        Path f = Files.writeString(dir.resolve("Dockerfile"), """
                ARG BASE=alpine
                FROM --platform=linux/amd64 registry.example.com:5000/tools/jdk:21 AS build
                RUN make
                FROM ${BASE} AS runtime-arg
                FROM scratch AS empty
                FROM ghcr.io/acme/runtime:1.2
                COPY --from=build /out /app
                FROM build
                """);
        assertThat(DockerfileImageBuilder.fromImages(f)).containsExactly(
                "registry.example.com:5000/tools/jdk:21", null, null, "ghcr.io/acme/runtime:1.2", null);
        assertThat(DockerfileImageBuilder.finalBase(f)).as("the last stage is an earlier stage").isNull();
        assertThat(DockerfileImageBuilder.baseHosts(f)).containsExactly("registry.example.com:5000", "ghcr.io");
    }

    @Test
    void finalBaseIsTheLastPulledImage() throws Exception {
        Path f = Files.writeString(dir.resolve("Dockerfile"), "from node:20 as web\nFROM nginx:1.27\n");
        assertThat(DockerfileImageBuilder.finalBase(f)).isEqualTo("nginx:1.27");
        assertThat(DockerfileImageBuilder.fromImages(dir.resolve("missing"))).isEmpty();
    }
}
