package io.jenkins.plugins.gitopsrelease.image;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

/**
 * What "promote the build from environment A to environment B" means in references: the source repository of A and
 * the destination repository of B (resolved by {@link Environments}), the built image relocated below B with the same
 * tag, and the digest the build recorded, which the copy must find at the source.
 */
public record PromotionRefs(String source, String destination, String expectDigest, Environments.Resolved from,
        Environments.Resolved to) {

    /**
     * From a build_result.json entry (which must carry the pushed digest) or, when {@code build} is null, an image
     * reference; an image without a registry is taken to live in the source environment's repository.
     */
    public static PromotionRefs byEnvironment(Environments envs, String source, String destination,
            BuildResult.Build build, String image) {
        if ((build == null) == (image == null || image.isBlank())) {
            throw new InvalidInputException("promote-image: give exactly one of --build-result FILE or --image REF");
        }
        Environments.Resolved s = envs.resolve(source, Environments.Role.SOURCE);
        Environments.Resolved d = envs.resolve(destination, Environments.Role.DESTINATION);
        ImageReference built;
        String field;
        if (build != null) {
            field = "--build-result";
            built = build.reference();
            if (built.getDigest().isEmpty()) {
                throw InvalidInputException.invalid(field, build.tag(), "the build has no @sha256 digest; promote"
                        + " only what was pushed (rebuild with push)");
            }
        } else {
            field = "--image";
            built = ImageRefs.parse(field, ImageRefs.hasRegistry(image) ? image : s.repository() + "/" + image);
        }
        if (built.getTag().isEmpty() || built.usesDefaultTag()) {
            throw InvalidInputException.invalid(field, built.toString(), "a tag is required");
        }
        return new PromotionRefs(ImageRefs.withoutDigest(built), Environments.relocate(built, s.repository(),
                d.repository(), field), built.getDigest().orElse(null), s, d);
    }

}
