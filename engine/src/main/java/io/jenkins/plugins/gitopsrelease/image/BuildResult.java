package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code build_result.json} in Skaffold's shape ({@code {"builds":[{"imageName":..,"tag":"REPO:TAG@sha256:.."}]}}),
 * so skaffold/occ consumers read it. {@code gitopsRelease} is an extra top-level key Skaffold ignores: where the
 * workload descriptor was found. Immutable; {@link #write(Path)} is atomic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildResult(List<Build> builds, Extra gitopsRelease) {

    /** One pushed image: the name as configured (no tag) and the full {@code REPO:TAG@sha256:...} reference. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Build(String imageName, String tag) {
    }

    /** Our own data, ignored by Skaffold readers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extra(String descriptor) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BuildResult {
        builds = builds == null ? List.of() : List.copyOf(builds);
    }

    public static BuildResult empty() {
        return new BuildResult(List.of(), null);
    }

    /** Reads a file; a missing file is an empty result. */
    public static BuildResult read(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            return JSON.readValue(file.toFile(), BuildResult.class);
        } catch (IOException e) {
            throw InvalidInputException.invalid("build result", file,
                    "not a readable build_result.json (" + e.getMessage().lines().findFirst().orElse("") + "); fix or remove the file");
        }
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise build result", e);
        }
    }

    /** A copy where {@code build} replaces any earlier entry of the same image name. */
    public BuildResult withBuild(Build build) {
        List<Build> list = new ArrayList<>();
        for (Build b : builds) {
            if (!b.imageName().equals(build.imageName())) {
                list.add(b);
            }
        }
        list.add(build);
        return new BuildResult(list, gitopsRelease);
    }

    /** A copy recording the workload descriptor's path (relative to the repository, or as given). */
    public BuildResult withDescriptor(String descriptor) {
        return new BuildResult(builds, descriptor == null ? gitopsRelease : new Extra(descriptor));
    }
}
