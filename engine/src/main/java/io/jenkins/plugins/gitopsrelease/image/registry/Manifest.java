package io.jenkins.plugins.gitopsrelease.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest exactly as the registry served it: the bytes are kept untouched because the digest is the sha256 of
 * those bytes, and re-serialising JSON would change it.
 */
public final class Manifest {
    private final String mediaType;
    private final byte[] bytes;
    private final String digest;
    private final JsonNode json;

    public Manifest(String mediaType, byte[] bytes) {
        this.bytes = bytes.clone();
        this.digest = sha256(bytes);
        try {
            this.json = io.jenkins.plugins.gitopsrelease.core.ParseLimits.tree(bytes);
        } catch (IOException e) {
            throw new OperationFailedException("manifest " + digest + " is not valid JSON: " + e.getMessage(), e);
        }
        String mt = mediaType;
        if (mt == null || mt.isBlank() || mt.startsWith("application/json") || mt.startsWith("text/plain")) {
            mt = json.path("mediaType").asText(json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
        }
        int semi = mt.indexOf(';');
        this.mediaType = (semi >= 0 ? mt.substring(0, semi) : mt).trim();
    }

    public String mediaType() {
        return mediaType;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    public String digest() {
        return digest;
    }

    public long size() {
        return bytes.length;
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public JsonNode json() {
        return json.deepCopy();
    }

    /** Child manifests of an index (empty for an image manifest). */
    public List<Descriptor> manifests() {
        List<Descriptor> out = new ArrayList<>();
        json.path("manifests").forEach(n -> out.add(Descriptor.of(n)));
        return out;
    }

    /** Config then layers of an image manifest (empty for an index). */
    public List<Descriptor> blobs() {
        List<Descriptor> out = new ArrayList<>();
        if (json.has("config")) {
            out.add(Descriptor.of(json.get("config")));
        }
        json.path("layers").forEach(n -> out.add(Descriptor.of(n)));
        return out;
    }

    public Map<String, String> annotations() {
        Map<String, String> ann = new LinkedHashMap<>();
        json.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
        return ann;
    }

    public Optional<String> subject() {
        return Optional.ofNullable(json.path("subject").path("digest").asText(null));
    }

    /** {@code artifactType}, or the config media type as the OCI spec says referrers listings should report. */
    public String artifactType() {
        String at = json.path("artifactType").asText(null);
        return at != null ? at : json.path("config").path("mediaType").asText(null);
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length, artifactType(), null, annotations());
    }

    public static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
