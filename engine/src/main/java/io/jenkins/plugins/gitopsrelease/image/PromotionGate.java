package io.jenkins.plugins.gitopsrelease.image;

import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A policy that must hold before a promotion starts; {@link #check} returns the reason for refusing, or empty to let
 * the promotion go ahead. Nothing is written to the destination when a gate refuses.
 */
@FunctionalInterface
public interface PromotionGate {

    /** What a gate can look at: the resolved source manifest and (lazily) what refers to its digest. */
    record Context(String source, Manifest manifest, Supplier<List<Referrer>> referrers) {
    }

    /** A signature/attestation/SBOM attached to the digest: via the referrers API/tag index, or a cosign tag. */
    record Referrer(Descriptor descriptor, String cosignTag) {
        /** {@code artifactType}; cosign tags report {@code cosign/sig}, {@code cosign/att}, {@code cosign/sbom}. */
        public String type() {
            if (cosignTag != null) {
                return "cosign/" + cosignTag.substring(cosignTag.lastIndexOf('.') + 1);
            }
            return descriptor.artifactType();
        }
    }

    Optional<String> check(Context context);

    /** The source manifest (the index for a multi-platform image) must carry annotation {@code key=value}. */
    static PromotionGate annotation(String key, String value) {
        return ctx -> {
            String actual = ctx.manifest().annotations().get(key);
            return Objects.equals(actual, value) ? Optional.empty()
                    : Optional.of(ctx.source() + "@" + ctx.manifest().digest() + " has " + (actual == null
                            ? "no annotation " + key : "annotation " + key + "=" + actual) + ", the gate requires "
                            + key + "=" + value);
        };
    }

    /**
     * Something of {@code artifactType} must refer to the source digest (e.g. an SBOM or attestation type, or
     * {@code cosign/sig} for a cosign signature tag).
     */
    static PromotionGate referrer(String artifactType) {
        return ctx -> {
            List<Referrer> found = ctx.referrers().get();
            return found.stream().anyMatch(r -> artifactType.equals(r.type())) ? Optional.empty()
                    : Optional.of(ctx.source() + "@" + ctx.manifest().digest() + " has no referrer of type "
                            + artifactType + " (found: " + found.stream().map(Referrer::type).toList() + ")");
        };
    }
}
