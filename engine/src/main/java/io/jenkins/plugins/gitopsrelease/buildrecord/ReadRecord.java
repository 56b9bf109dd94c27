package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Reads a build's record: the attributes inside the image and every annotation referring to its digest, in time
 * order. {@code ReadRecord.image("reg/app:1.0").insecure(List.of("reg")).call()}.
 */
public final class ReadRecord {
    private final ImageAccess access;

    private ReadRecord(String field, String image) {
        this.access = new ImageAccess(field, image);
    }

    public static ReadRecord image(String ref) {
        return new ReadRecord("image", ref);
    }

    /** The option name used in errors (e.g. {@code --image}). */
    public static ReadRecord image(String field, String ref) {
        return new ReadRecord(field, ref);
    }

    public ReadRecord auth(RegistryAuth auth) {
        access.auth = auth == null ? RegistryAuth.anonymous() : auth;
        return this;
    }

    public ReadRecord insecure(Collection<String> hosts) {
        access.insecure(hosts);
        return this;
    }

    public ReadRecord caFile(Path f) {
        access.caFile = f;
        return this;
    }

    public ReadRecord listener(RequestListener l) {
        access.listener = l == null ? RequestListener.NONE : l;
        return this;
    }

    public BuildRecord call() {
        ImageReference ref = access.reference();
        RegistryClient client = access.client(ref);
        Manifest image = access.manifest(client, ref);
        RecordStore store = new RecordStore(client, ref.getRepository());
        // the attributes (the config blob) come while the annotations are listed
        java.util.concurrent.CompletableFuture<java.util.Map<String, String>> attributes =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> store.attributes(image), RecordStore.IO);
        RecordStore.Listing l = store.read(RecordStore.subjectOf(image));
        return new BuildRecord(ImageRefs.repository(ref) + "@" + image.digest(), image.digest(),
                RecordStore.join(attributes), l.annotations(), l.source(), l.rejected());
    }
}
