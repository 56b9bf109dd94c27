package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeStringField("value", a.value());
            g.writeStringField("writer", a.writer());
            g.writeStringField("time", a.time().toString());
            if (a.runUrl() != null) {
                g.writeStringField("runUrl", a.runUrl());
            }
            g.writeEndObject();
        });
    }

    /** The artifact manifest for {@code a} on {@code subject} (the image manifest's descriptor). */
    public static Manifest manifest(Descriptor subject, Annotation a) {
        return new Manifest(MediaTypes.OCI_MANIFEST, manifestBytes(subject, a));
    }

    /**
     * The canonical bytes (what {@link #verify} hashes: no JSON parse on the read path). Written field by field with
     * a streaming generator: the read path computes this for every listed annotation (1,000+ per record), and a tree
     * per entry cost more than the rest of the read. The bytes are those Jackson writes for the same fields in this
     * order (compact, Jackson's escaping); changing the order or the fields changes every digest.
     */
    static byte[] manifestBytes(Descriptor subject, Annotation a) {
        byte[] blob = blob(a);
        String blobDigest = Manifest.sha256(blob);
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeStringField("artifactType", ARTIFACT_TYPE);
            g.writeObjectFieldStart("config");
            g.writeStringField("mediaType", MediaTypes.OCI_EMPTY);
            g.writeStringField("digest", EMPTY_DIGEST);
            g.writeNumberField("size", EMPTY.length);
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            g.writeStartObject();
            g.writeStringField("mediaType", ARTIFACT_TYPE);
            g.writeStringField("digest", blobDigest);
            g.writeNumberField("size", blob.length);
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("subject");
            g.writeStringField("mediaType", subject.mediaType());
            g.writeStringField("digest", subject.digest());
            g.writeNumberField("size", subject.size());
            g.writeEndObject();
            g.writeObjectFieldStart("annotations");
            g.writeStringField(TIME, a.time().toString());
            g.writeStringField(KEY, a.key());
            g.writeStringField(VALUE, a.value());
            g.writeStringField(WRITER, a.writer());
            if (a.runUrl() != null) {
                g.writeStringField(RUN, a.runUrl());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
    }

    private static byte[] write(Body body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
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


}
