package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an image is made from the context directory. */
public enum BuilderKind {
    /** Dockerfile present → dockerfile; package.json with a build script → spa; otherwise an error. */
    AUTO,
    /** A Dockerfile through buildah, podman or docker (first found). */
    DOCKERFILE,
    /** In-process Jib: base (or scratch) plus directory layers, or a JVM app (jar + dependency layer). */
    JIB,
    /** Node install + build script, then the output directory on an nginx base (assembled with Jib). */
    SPA,
    /** Cloud Native Buildpacks through the pack CLI. */
    BUILDPACKS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuilderKind parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (BuilderKind k : values()) {
            if (k.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw InvalidInputException.invalid("--builder", value, "use one of "
                + Arrays.stream(values()).map(BuilderKind::id).collect(Collectors.joining(", ")));
    }
}
