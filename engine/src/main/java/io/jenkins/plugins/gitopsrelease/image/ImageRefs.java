package io.jenkins.plugins.gitopsrelease.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

/**
 * Image references are parsed by Jib's {@link ImageReference} (Docker's grammar: default registry docker.io,
 * {@code library/} for official images, tag and/or {@code @sha256:} digest). This class only turns its failures into
 * errors that name the option and say how to fix the value.
 */
public final class ImageRefs {
    private ImageRefs() {
    }

    public static ImageReference parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + ": an image reference is required, e.g. registry.example.com/team/app:1.2.3");
        }
        if (value.contains("://")) {
            throw InvalidInputException.invalid(field, value, "give the reference without a scheme, e.g. "
                    + value.substring(value.indexOf("://") + 3));
        }
        try {
            return ImageReference.parse(value);
        } catch (InvalidImageReferenceException e) {
            throw InvalidInputException.invalid(field, value, "expected [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST]"
                    + " with a lower-case repository, e.g. registry.example.com/team/app:1.2.3");
        }
    }

    /** Registry host as users write it ({@code docker.io} rather than Jib's {@code registry-1.docker.io}). */
    public static String displayRegistry(ImageReference ref) {
        return "registry-1.docker.io".equals(ref.getRegistry()) ? "docker.io" : ref.getRegistry();
    }

    /** {@code registry/repository:tag} (no digest): the form recorded as the human-facing name. */
    public static String withoutDigest(ImageReference ref) {
        return displayRegistry(ref) + "/" + ref.getRepository() + ref.getTag().map(t -> ":" + t).orElse("");
    }

    /** {@code registry/repository}. */
    public static String repository(ImageReference ref) {
        return displayRegistry(ref) + "/" + ref.getRepository();
    }

    /** Docker's rule: the first path component names a registry if it has a '.' or ':' or is localhost. */
    public static boolean hasRegistry(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = ref.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }
}
