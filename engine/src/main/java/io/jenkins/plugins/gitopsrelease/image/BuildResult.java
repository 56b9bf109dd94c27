package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
<<<<<<< HEAD
import com.fasterxml.jackson.databind.SerializationFeature;
=======
import com.google.cloud.tools.jib.api.ImageReference;
>>>>>>> promote
import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
<<<<<<< HEAD
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

=======
import java.util.List;

/**
 * {@code build_result.json} in Skaffold's shape ({@code skaffold build --file-output}, also what OctoPilot {@code op}
 * writes and reads): {@code {"builds":[{"imageName":"app","tag":"registry/app:1.2.3@sha256:..."}]}}. Unknown fields
 * are kept out of the way so files from newer writers still read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildResult(List<Build> builds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One built artifact: Skaffold's {@code imageName} and the pushed {@code REPO:TAG@sha256:DIGEST}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Build(String imageName, String tag) {
        /** The pushed reference, parsed. */
        public ImageReference reference() {
            return ImageRefs.parse("build_result.json tag of " + imageName, tag);
        }
    }

>>>>>>> promote
    public BuildResult {
        builds = builds == null ? List.of() : List.copyOf(builds);
    }

<<<<<<< HEAD
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

=======
    public static BuildResult of(Build... builds) {
        return new BuildResult(List.of(builds));
    }

    public static BuildResult read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--build-result", file, "the file does not exist; give the"
                    + " build_result.json written by build-image (or skaffold build --file-output)");
        }
        try {
            BuildResult r = JSON.readValue(file.toFile(), BuildResult.class);
            if (r.builds().isEmpty()) {
                throw InvalidInputException.invalid("--build-result", file, "it lists no builds; run the build first");
            }
            return r;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw InvalidInputException.invalid("--build-result", file, "not valid build_result.json ("
                    + e.getOriginalMessage() + "); expected {\"builds\":[{\"imageName\":..,\"tag\":..}]}");
        } catch (IOException e) {
            throw InvalidInputException.invalid("--build-result", file, "cannot be read: " + e.getMessage());
        }
    }

    /** Writes atomically: a reader sees the old file or the new one. */
>>>>>>> promote
    public void write(Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
<<<<<<< HEAD
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
=======
            throw new IllegalStateException(e);
        }
    }

    /**
     * The build named {@code imageName}, or the last entry when null (by convention base images come first, the
     * deliverable last — as op does).
     */
    public Build select(String imageName) {
        if (imageName == null || imageName.isBlank()) {
            return builds.get(builds.size() - 1);
        }
        return builds.stream().filter(b -> imageName.equals(b.imageName())).findFirst()
                .orElseThrow(() -> InvalidInputException.invalid("--image-name", imageName, "build_result.json has "
                        + builds.stream().map(Build::imageName).toList() + "; pick one of those"));
>>>>>>> promote
    }
}
