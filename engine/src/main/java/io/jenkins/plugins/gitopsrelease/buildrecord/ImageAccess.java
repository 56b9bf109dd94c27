package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** The registry options every record verb takes (the same as build-image's) and the image they resolve to. */
final class ImageAccess {
    final String image;
    final String field;
    RegistryAuth auth = RegistryAuth.fromEnvironment();
    final Set<String> insecure = new LinkedHashSet<>();
    Path caFile;
    RequestListener listener = RequestListener.NONE;

    ImageAccess(String field, String image) {
        this.field = field;
        this.image = image;
    }

    void insecure(Collection<String> hosts) {
        if (hosts != null) {
            hosts.stream().filter(h -> h != null && !h.isBlank()).map(String::trim).forEach(insecure::add);
        }
    }

    ImageReference reference() {
        ImageReference ref = ImageRefs.parse(field, image);
        if (ref.getDigest().isEmpty() && ref.usesDefaultTag()) {
            throw InvalidInputException.invalid(field, image, "give the tag or @sha256 digest of the build;"
                    + " an implicit :latest is never a build");
        }
        return ref;
    }

    RegistryClient client(ImageReference ref) {
        String host = ImageRefs.displayRegistry(ref);
        RegistryClient.Builder b = RegistryClient.builder(ref.getRegistry()).insecure(insecure.contains(host)
                || insecure.contains(ref.getRegistry())).listener(listener)
                .insecureHint("pass --insecure-registry " + host + " (Jenkins: insecureRegistries)");
        auth.lookup(host).ifPresent(b::credential);
        if (caFile != null) {
            b.caFile(caFile, "--ca-file");
        }
        return b.build();
    }

    /** The build's manifest: by digest when the reference has one (a moved tag cannot redirect the record). */
    Manifest manifest(RegistryClient client, ImageReference ref) {
        String reference = ref.getDigest().orElseGet(() -> ref.getTag().orElseThrow());
        return client.getManifest(ref.getRepository(), reference).orElseThrow(() -> InvalidInputException.invalid(field,
                image, "no such " + (reference.startsWith("sha256:") ? "digest" : "tag") + " in "
                        + ImageRefs.repository(ref) + "; give an image that was pushed"));
    }
}
