package io.jenkins.plugins.gitopsrelease.image.build;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import java.nio.file.Path;

/**
 * Where the built image goes: a registry repository, or an OCI image layout directory ({@code oci:DIR[:TAG]}, the
 * embedded default when no registry is configured; skopeo reads it as {@code oci:DIR:TAG}).
 */
sealed interface ImageTarget {

    /** The tag, or null when the caller gave none (the source commit fills it in). */
    String tag();

    ImageTarget withTag(String tag);

    /** The name recorded as Skaffold's {@code imageName}: the repository without tag. */
    String imageName();

    /** {@code NAME:TAG}, what users see before the digest is known. */
    default String display() {
        return imageName() + ":" + tag();
    }

    /** A registry repository; {@code registry} as Jib spells it (registry-1.docker.io for Docker Hub). */
    record Registry(String registry, String repository, String tag) implements ImageTarget {
        @Override
        public Registry withTag(String t) {
            return new Registry(registry, repository, t);
        }

        ImageReference ref() {
            return ImageReference.of(registry, repository, tag);
        }

        @Override
        public String imageName() {
            return ImageRefs.repository(ref());
        }

        /** host[:port] as users and auth files write it. */
        String host() {
            return ImageRefs.displayRegistry(ref());
        }
    }

    record OciLayout(Path dir, String tag) implements ImageTarget {
        @Override
        public OciLayout withTag(String t) {
            return new OciLayout(dir, t);
        }

        @Override
        public String imageName() {
            return "oci:" + dir;
        }
    }

    static ImageTarget parse(String value) {
        if (value != null && value.startsWith("oci:")) {
            String rest = value.substring(4);
            // oci:DIR[:TAG]: the tag is what follows the last ':' when it is not part of the path.
            String dir = rest;
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && rest.indexOf('/', colon) < 0) {
                dir = rest.substring(0, colon);
                tag = rest.substring(colon + 1);
                if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
                    throw InvalidInputException.invalid("--image", value,
                            "the tag after the last ':' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
                }
            }
            if (dir.isBlank()) {
                throw InvalidInputException.invalid("--image", value, "give a directory: oci:DIR[:TAG]");
            }
            return new OciLayout(Path.of(dir).toAbsolutePath().normalize(), tag);
        }
        ImageReference ref = ImageRefs.parse("--image", value);
        if (ref.getDigest().isPresent()) {
            throw InvalidInputException.invalid("--image", value,
                    "a build produces the digest; give REPOSITORY[:TAG] without @sha256:...");
        }
        // Jib fills in "latest" when no tag is written; we want the source commit instead, so look at the text.
        String lastPart = value.substring(value.lastIndexOf('/') + 1);
        if (!lastPart.contains(":")) {
            return new Registry(ref.getRegistry(), ref.getRepository(), null);
        }
        return new Registry(ref.getRegistry(), ref.getRepository(), ref.getTag().orElseThrow());
    }
}
