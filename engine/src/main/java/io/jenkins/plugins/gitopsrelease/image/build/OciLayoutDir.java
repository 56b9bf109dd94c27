package io.jenkins.plugins.gitopsrelease.image.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks Jib's OCI-format tarball (oci-layout, index.json, blobs/sha256/...) into an OCI image layout directory,
 * adding to what the directory already holds: blobs are content-addressed, and the index entry named by the tag
 * is replaced. skopeo and umoci read the result as {@code oci:DIR:TAG}.
 */
final class OciLayoutDir {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = io.jenkins.plugins.gitopsrelease.core.ParseLimits.json();

    private OciLayoutDir() {
    }

    /** Returns the manifest digest recorded in the index for {@code tag}. */
    static String importTar(Path tar, Path dir, String tag, String expectedDigest) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            JsonNode tarIndex = null;
            try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) {
                    if (!e.isFile()) {
                        continue;
                    }
                    String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                    if (name.equals("index.json")) {
                        tarIndex = JSON.readTree(t.readAllBytes());
                    } else if (name.startsWith("blobs/sha256/") && name.indexOf('/', 13) < 0) {
                        Path blob = blobs.resolve(name.substring(13));
                        if (!Files.exists(blob)) {
                            Path tmp = Files.createTempFile(blobs, ".incoming", ".tmp");
                            Files.copy(t, tmp, StandardCopyOption.REPLACE_EXISTING);
                            Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
            }
            if (tarIndex == null || !tarIndex.path("manifests").isArray() || tarIndex.path("manifests").isEmpty()) {
                throw new OperationFailedException("Jib's OCI tarball has no index.json manifest: cannot write " + dir);
            }
            ObjectNode manifest = (ObjectNode) tarIndex.path("manifests").get(0).deepCopy();
            String digest = manifest.path("digest").asText();
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                throw new OperationFailedException("OCI layout for " + dir + ": index digest " + digest
                        + " differs from the built image " + expectedDigest);
            }
            manifest.putObject("annotations").put(REF_NAME, tag);

            Path indexFile = dir.resolve("index.json");
            ObjectNode index;
            if (Files.exists(indexFile)) {
                index = (ObjectNode) JSON.readTree(indexFile.toFile());
            } else {
                index = JSON.createObjectNode();
                index.put("schemaVersion", 2);
                index.put("mediaType", "application/vnd.oci.image.index.v1+json");
            }
            ArrayNode manifests = JSON.createArrayNode();
            for (JsonNode m : index.path("manifests")) {
                if (!tag.equals(m.path("annotations").path(REF_NAME).asText(null))) {
                    manifests.add(m);
                }
            }
            manifests.add(manifest);
            index.set("manifests", manifests);
            Path layout = dir.resolve("oci-layout");
            if (!Files.exists(layout)) {
                AtomicFiles.writeString(layout, "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
            AtomicFiles.write(indexFile, JSON.writeValueAsBytes(index));
            return digest;
        } catch (IOException e) {
            throw new OperationFailedException("cannot write the OCI layout " + dir + ": " + e.getMessage(), e);
        }
    }
}
