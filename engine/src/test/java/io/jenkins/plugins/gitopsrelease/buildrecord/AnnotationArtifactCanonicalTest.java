package io.jenkins.plugins.gitopsrelease.buildrecord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The canonical manifest of an annotation is written with a streaming generator (the read path computes it for every
 * listed annotation). Its bytes must stay exactly those of the original tree-built JSON, or every annotation already
 * stored would be rejected as forged: compared here, for generated annotations, with the tree form kept as the
 * reference.
 */
class AnnotationArtifactCanonicalTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The original implementation (ObjectNode trees), the reference for the stored digests. */
    static byte[] reference(Descriptor subject, Annotation a) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", a.key());
        n.put("value", a.value());
        n.put("writer", a.writer());
        n.put("time", a.time().toString());
        if (a.runUrl() != null) {
            n.put("runUrl", a.runUrl());
        }
        byte[] blob = JSON.writeValueAsBytes(n);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", AnnotationArtifact.ARTIFACT_TYPE);
        m.putObject("config").put("mediaType", MediaTypes.OCI_EMPTY).put("digest", AnnotationArtifact.EMPTY_DIGEST)
                .put("size", AnnotationArtifact.EMPTY.length);
        m.putArray("layers").addObject().put("mediaType", AnnotationArtifact.ARTIFACT_TYPE)
                .put("digest", Manifest.sha256(blob)).put("size", blob.length);
        m.putObject("subject").put("mediaType", subject.mediaType()).put("digest", subject.digest())
                .put("size", subject.size());
        ObjectNode ann = m.putObject("annotations");
        ann.put(AnnotationArtifact.TIME, a.time().toString());
        ann.put(AnnotationArtifact.KEY, a.key());
        ann.put(AnnotationArtifact.VALUE, a.value());
        ann.put(AnnotationArtifact.WRITER, a.writer());
        if (a.runUrl() != null) {
            ann.put(AnnotationArtifact.RUN, a.runUrl());
        }
        return JSON.writeValueAsBytes(m);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-").ofMinLength(0).ofMaxLength(20)
                .map(s -> "k" + s + "9");
    }

    @Property(tries = 500)
    void streamedBytesEqualTheTreeBytes(@ForAll("keys") String key, @ForAll @StringLength(max = 300) String value,
            @ForAll @StringLength(max = 60) String writer, @ForAll @StringLength(max = 80) String runUrl,
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds, @ForAll @LongRange(max = 999_999_999) long nanos,
            @ForAll @LongRange(min = 1, max = 1L << 40) long subjectSize) throws Exception {
        Annotation a = new Annotation(key, value, writer, Instant.ofEpochSecond(seconds, nanos), runUrl);
        Descriptor subject = new Descriptor(MediaTypes.OCI_MANIFEST, "sha256:" + "c".repeat(64), subjectSize, null, null,
                null);
        assertThat(new String(AnnotationArtifact.manifestBytes(subject, a), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(reference(subject, a), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void controlCharactersQuotesAndNonAsciiAreEscapedAlike() throws Exception {
        Annotation a = new Annotation("note", "\"<script>\"\u0000\u001f\u2028é😀\\", "wr\nter", Instant.EPOCH, null);
        Descriptor subject = new Descriptor(MediaTypes.OCI_INDEX, "sha256:" + "d".repeat(64), 321, null, null, null);
        assertThat(AnnotationArtifact.manifestBytes(subject, a)).isEqualTo(reference(subject, a));
        assertThat(AnnotationArtifact.blob(a)).isEqualTo(JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("key", "note").put("value", a.value()).put("writer", a.writer()).put("time", "1970-01-01T00:00:00Z")));
    }
}
