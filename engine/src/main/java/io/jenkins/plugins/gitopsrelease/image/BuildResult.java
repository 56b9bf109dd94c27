package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code build_result.json} in Skaffold's shape ({@code skaffold build --file-output}, also what OctoPilot {@code op}
 * writes and reads): {@code {"builds":[{"imageName":"app","tag":"registry/app:1.2.3@sha256:..."}]}}, plus our own
 * {@code gitopsRelease} key (the workload descriptor found by the build), which Skaffold readers ignore. Unknown
 * fields are ignored so files from newer writers still read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildResult(List<Build> builds, Extra gitopsRelease) {
    private static final ObjectMapper JSON = io.jenkins.plugins.gitopsrelease.core.ParseLimits.json().enable(SerializationFeature.INDENT_OUTPUT);

    /** One built artifact: Skaffold's {@code imageName} and the pushed {@code REPO:TAG@sha256:DIGEST}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Build(String imageName, String tag, java.util.Map<String, String> attributes) {
        public Build {
            attributes = attributes == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                    new java.util.TreeMap<>(attributes));
        }

        /** An entry without attributes (Skaffold's shape). */
        public Build(String imageName, String tag) {
            this(imageName, tag, null);
        }

        /** The pushed reference, parsed. */
        public ImageReference reference() {
            return ImageRefs.parse("build_result.json tag of " + imageName, tag);
        }
    }

    /** Our own data, ignored by Skaffold readers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extra(String descriptor) {
    }

    public BuildResult {
        builds = builds == null ? List.of() : List.copyOf(builds);
    }

    public static BuildResult empty() {
        return new BuildResult(List.of(), null);
    }

    public static BuildResult of(Build... builds) {
        return new BuildResult(List.of(builds), null);
    }

    /** Reads a file that must exist and list at least one build (what promotion needs). */
    public static BuildResult read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--build-result", file, "the file does not exist; give the"
                    + " build_result.json written by build-image (or skaffold build --file-output)");
        }
        BuildResult r = parse(file);
        if (r.builds().isEmpty()) {
            throw InvalidInputException.invalid("--build-result", file, "it lists no builds; run the build first");
        }
        return r;
    }

    /** Reads a file to add a build to; a missing file is an empty result (what a build needs). */
    public static BuildResult readOrEmpty(Path file) {
        return Files.exists(file) ? parse(file) : empty();
    }

    private static BuildResult parse(Path file) {
        try {
            BuildResult r = JSON.readValue(io.jenkins.plugins.gitopsrelease.core.ParseLimits.readFile("--build-result",
                    file), BuildResult.class);
            return r == null ? empty() : r;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw InvalidInputException.invalid("--build-result", file, "not valid build_result.json ("
                    + io.jenkins.plugins.gitopsrelease.core.ParseLimits.describe(e) + "); expected {\"builds\":[{\"imageName\":..,\"tag\":..}]}; fix or remove it");
        } catch (IOException e) {
            throw InvalidInputException.invalid("--build-result", file, "cannot be read: " + e.getMessage());
        }
    }

    /** Writes atomically: a reader sees the old file or the new one. */
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

    /**
     * The build named {@code imageName}, or the last entry when null (by convention base images come first, the
     * deliverable last — as op does).
     */
    public Build select(String imageName) {
        if (builds.isEmpty()) {
            throw new InvalidInputException("--build-result: it lists no builds; run the build first");
        }
        if (imageName == null || imageName.isBlank()) {
            return builds.get(builds.size() - 1);
        }
        return builds.stream().filter(b -> imageName.equals(b.imageName())).findFirst()
                .orElseThrow(() -> InvalidInputException.invalid("--image-name", imageName, "build_result.json has "
                        + builds.stream().map(Build::imageName).toList() + "; pick one of those"));
    }
}
