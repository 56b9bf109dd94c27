package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How one annotation is stored: an OCI 1.1 artifact manifest whose {@code subject} is the image, with the project's
 * {@code artifactType}, the empty config, one small JSON layer (key, value, writer, time, run) and the same fields as
 * manifest annotations, so a referrers listing (API or tag index) carries them and a record reads in one request.
 *
 * <p>The manifest is canonical: rebuilt from the subject and the listed annotations it must give the listed digest.
 * That is how a listing entry is accepted without fetching it — an entry whose digest does not match is not this
 * image's annotation (a plain manifest pushed under some tag, or an index entry edited by hand) and is rejected.
 */
public final class AnnotationArtifact {
    private AnnotationArtifact() {
    }

    public static final String ARTIFACT_TYPE = "application/vnd.io.jenkins.gitops-release.annotation.v1+json";
    static final String KEY = Attributes.NS + "annotation.key";
    static final String VALUE = Attributes.NS + "annotation.value";
    static final String WRITER = Attributes.NS + "annotation.writer";
    static final String RUN = Attributes.NS + "annotation.run-url";
    static final String TIME = Attributes.CREATED;
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    static final String EMPTY_DIGEST = Manifest.sha256(EMPTY);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON document stored as the artifact's only layer. */
    public static byte[] blob(Annotation a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", a.key());
        n.put("value", a.value());
        n.put("writer", a.writer());
        n.put("time", a.time().toString());
        if (a.runUrl() != null) {
            n.put("runUrl", a.runUrl());
        }
        return bytes(n);
    }

    /** The artifact manifest for {@code a} on {@code subject} (the image manifest's descriptor). */
    public static Manifest manifest(Descriptor subject, Annotation a) {
        return new Manifest(MediaTypes.OCI_MANIFEST, manifestBytes(subject, a));
    }

    /** The canonical bytes (what {@link #verify} hashes: no JSON parse on the read path). */
    static byte[] manifestBytes(Descriptor subject, Annotation a) {
        byte[] blob = blob(a);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", ARTIFACT_TYPE);
        m.putObject("config").put("mediaType", MediaTypes.OCI_EMPTY).put("digest", EMPTY_DIGEST).put("size", EMPTY.length);
        m.putArray("layers").addObject().put("mediaType", ARTIFACT_TYPE).put("digest", Manifest.sha256(blob))
                .put("size", blob.length);
        m.putObject("subject").put("mediaType", subject.mediaType()).put("digest", subject.digest())
                .put("size", subject.size());
        ObjectNode ann = m.putObject("annotations");
        ann.put(TIME, a.time().toString());
        ann.put(KEY, a.key());
        ann.put(VALUE, a.value());
        ann.put(WRITER, a.writer());
        if (a.runUrl() != null) {
            ann.put(RUN, a.runUrl());
        }
        return bytes(m);
    }

    /**
     * The annotation a listing entry stands for, if the entry is genuine: the project's artifact type and a digest
     * equal to the canonical manifest's for this subject. Empty otherwise.
     */
    public static Optional<Annotation> verify(Descriptor subject, Descriptor entry) {
        if (!ARTIFACT_TYPE.equals(entry.artifactType())) {
            return Optional.empty();
        }
        Optional<Annotation> a = parse(entry.annotations());
        return a.filter(x -> Manifest.sha256(manifestBytes(subject, x)).equals(entry.digest()));
    }

    /** Like {@link #verify(Descriptor, Descriptor)} for a fetched manifest: also checks its {@code subject}. */
    public static Optional<Annotation> verify(Descriptor subject, Manifest m) {
        if (!m.subject().map(subject.digest()::equals).orElse(false)) {
            return Optional.empty();
        }
        return verify(subject, m.descriptor());
    }

    static Optional<Annotation> parse(Map<String, String> ann) {
        try {
            String key = ann.get(KEY);
            String time = ann.get(TIME);
            if (key == null || time == null) {
                return Optional.empty();
            }
            return Optional.of(new Annotation(key, ann.get(VALUE), ann.get(WRITER), Instant.parse(time), ann.get(RUN)));
        } catch (RuntimeException e) { // DateTimeParseException, InvalidInputException: not one of ours
            return Optional.empty();
        }
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
