package io.jenkins.plugins.gitopsrelease.testinfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test images pushed over the distribution API with the engine's own client: random layers of given sizes, a
 * multi-platform index, a cosign-style {@code .sig} tag, and an OCI referrer artifact with a {@code subject} (plus
 * the referrers tag index a client like oras writes on registries without the referrers API). Configs are valid
 * image configs so {@code skopeo inspect} can read them.
 */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Random RANDOM = new Random();

    private TestImages() {
    }

    public static RegistryClient client(RegistryFixture r) {
        return client(r, RequestListener.NONE);
    }

    public static RegistryClient client(RegistryFixture r, RequestListener listener) {
        RegistryClient.Builder b = RegistryClient.builder(r.host()).insecure(!r.tls()).listener(listener);
        if (r.tls()) {
            b.caFile(r.caCertificate(), "ca");
        }
        if (r.user() != null) {
            b.credential(new RegistryAuth.Credential(r.user(), Secret.of(r.password())));
        }
        return b.build();
    }

    /** Credentials for the fixture (or none), as a promotion takes them. */
    public static RegistryAuth auth(RegistryFixture... registries) {
        RegistryAuth a = RegistryAuth.anonymous();
        for (RegistryFixture r : registries) {
            if (r.user() != null) {
                a = a.with(r.host(), r.user(), Secret.of(r.password()));
            }
        }
        return a;
    }

    public static String pushBlob(RegistryClient c, String repo, byte[] data) {
        String digest = Manifest.sha256(data);
        if (!c.blobExists(repo, digest)) {
            URI loc = c.startUpload(repo);
            c.putUpload(repo, loc, digest, () -> new ByteArrayInputStream(data), data.length);
        }
        return digest;
    }

    public static byte[] random(int size) {
        byte[] b = new byte[size];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A linux image with random uncompressed layers; returns its manifest (digest = the image digest). */
    public static Manifest image(RegistryFixture r, String repo, String tag, String arch, int... layerSizes) {
        return image(client(r), repo, tag, arch, layerSizes);
    }

    public static Manifest image(RegistryClient c, String repo, String tag, String arch, int... layerSizes) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        ArrayNode layers = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (int size : layerSizes) {
            byte[] data = random(size);
            String d = pushBlob(c, repo, data);
            layers.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar").put("digest", d)
                    .put("size", data.length);
            diffIds.add(d);
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", arch).put("os", "linux").put("created", "2024-01-01T00:00:00Z");
        config.putObject("config").putArray("Env").add("NONCE=" + RANDOM.nextLong());
        config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
        byte[] cfg = bytes(config);
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", pushBlob(c, repo, cfg)).put("size", cfg.length);
        m.set("layers", layers);
        m.putObject("annotations").put("org.opencontainers.image.version", tag == null ? "none" : tag);
        Manifest manifest = new Manifest(MediaTypes.OCI_MANIFEST, bytes(m));
        c.putManifest(repo, manifest.digest(), manifest);
        if (tag != null) {
            c.putManifest(repo, tag, manifest);
        }
        return manifest;
    }

    /** An OCI index of one small image per architecture (include amd64 so skopeo inspect can pick it). */
    public static Manifest index(RegistryFixture r, String repo, String tag, String... archs) {
        RegistryClient c = client(r);
        ObjectNode idx = JSON.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = idx.putArray("manifests");
        for (String arch : archs) {
            Manifest m = image(c, repo, null, arch, 2048, 70_000);
            ObjectNode d = list.addObject();
            d.put("mediaType", m.mediaType()).put("digest", m.digest()).put("size", m.size());
            d.putObject("platform").put("os", "linux").put("architecture", arch);
        }
        idx.putObject("annotations").put("org.example.gate", "passed");
        Manifest index = new Manifest(MediaTypes.OCI_INDEX, bytes(idx));
        c.putManifest(repo, index.digest(), index);
        c.putManifest(repo, tag, index);
        return index;
    }

    /** A cosign-style signature: an image manifest with a simplesigning layer under tag {@code sha256-<hex>.sig}. */
    public static Manifest cosignSignature(RegistryFixture r, String repo, String subjectDigest) {
        RegistryClient c = client(r);
        byte[] payload = ("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + subjectDigest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        String layer = pushBlob(c, repo, payload);
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "").put("os", "");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layer);
        byte[] cfg = bytes(config);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", pushBlob(c, repo, cfg)).put("size", cfg.length);
        ObjectNode l = m.putArray("layers").addObject();
        l.put("mediaType", "application/vnd.dev.cosign.simplesigning.v1+json").put("digest", layer)
                .put("size", payload.length);
        l.putObject("annotations").put("dev.cosignproject.cosign/signature", "MEUCIQ-test-signature");
        Manifest sig = new Manifest(MediaTypes.OCI_MANIFEST, bytes(m));
        c.putManifest(repo, subjectDigest.replace(':', '-') + ".sig", sig);
        return sig;
    }

    /**
     * An OCI 1.1 artifact (e.g. an SBOM) whose {@code subject} is the digest, plus the referrers tag index
     * {@code sha256-<hex>} listing it, as clients maintain it on registries without the referrers API.
     */
    public static Manifest referrer(RegistryFixture r, String repo, String subjectDigest, long subjectSize,
            String subjectMediaType, String artifactType) {
        RegistryClient c = client(r);
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] sbom = ("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + RANDOM.nextLong() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", artifactType);
        m.putObject("config").put("mediaType", MediaTypes.OCI_EMPTY).put("digest", pushBlob(c, repo, empty))
                .put("size", empty.length);
        m.putArray("layers").addObject().put("mediaType", "application/spdx+json")
                .put("digest", pushBlob(c, repo, sbom)).put("size", sbom.length);
        m.putObject("subject").put("mediaType", subjectMediaType).put("digest", subjectDigest).put("size", subjectSize);
        Manifest art = new Manifest(MediaTypes.OCI_MANIFEST, bytes(m));
        c.putManifest(repo, art.digest(), art);
        String tag = subjectDigest.replace(':', '-');
        ObjectNode idx = JSON.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = idx.putArray("manifests");
        c.getManifest(repo, tag).ifPresent(old -> old.json().path("manifests").forEach(n -> list.add(n)));
        list.addObject().put("mediaType", art.mediaType()).put("digest", art.digest()).put("size", art.size())
                .put("artifactType", artifactType);
        c.putManifest(repo, tag, new Manifest(MediaTypes.OCI_INDEX, bytes(idx)));
        return art;
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests seen by a client, as "METHOD authority path?query status". */
    public static final class Recorder implements RequestListener {
        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void after(String method, URI uri, int status) {
            lines.add(method + " " + uri.getAuthority() + " " + uri.getPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " " + status);
        }

        public List<String> all() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** Requests to one registry host. */
        public List<String> to(RegistryFixture r) {
            return all().stream().filter(l -> l.split(" ")[1].equals(r.host())).toList();
        }

        public void clear() {
            lines.clear();
        }
    }
}
