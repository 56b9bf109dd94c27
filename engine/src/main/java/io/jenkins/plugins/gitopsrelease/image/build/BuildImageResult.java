package io.jenkins.plugins.gitopsrelease.image.build;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one build produced, as pushed: {@code imageName} is the repository without tag (Skaffold's imageName),
 * {@code reference} the full {@code REPO:TAG@sha256:...}. {@code descriptor} is the workload descriptor found
 * under the context, or null. {@code attributes} are the key-values fixed in the image (labels/annotations); empty
 * for builders that do not write them (spa, buildpacks).
 */
public record BuildImageResult(String imageName, String tag, String digest, String reference, String builder,
        Path descriptor, Duration duration, java.util.Map<String, String> attributes) {
    public BuildImageResult {
        attributes = attributes == null ? java.util.Map.of() : java.util.Map.copyOf(attributes);
    }
}
