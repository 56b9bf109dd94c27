package io.jenkins.plugins.gitopsrelease.buildrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.PromoteImage;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Annotations as referrers against the real distribution registry (2.8.2: no referrers API, so the tag schema). */
class BuildRecordRegistryTest {
    @RegisterExtension
    static RegistryFixture a = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture b = RegistryFixture.plain();

    static final AtomicInteger N = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    static String repo() {
        return "team/rec" + N.incrementAndGet();
    }

    static Annotate annotate(RegistryFixture r, String image) {
        return Annotate.image(r.host() + "/" + image).insecure(List.of(r.host())).auth(RegistryAuth.anonymous());
    }

    static BuildRecord read(RegistryFixture r, String image) {
        return ReadRecord.image(r.host() + "/" + image).insecure(List.of(r.host())).auth(RegistryAuth.anonymous()).call();
    }

    static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void annotationsAreListedInTimeOrderWithWriterAndRun() {
        String repo = repo();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        annotate(a, repo + ":1.0").annotation("smoke", "passed").writer("jenkins").runUrl("https://ci/job/app/7/")
                .clock(at("2026-01-02T10:00:00Z")).call();
        annotate(a, repo + ":1.0").annotation("deployed.staging", "PT42S").writer("watchDeployment")
                .clock(at("2026-01-01T09:00:00Z")).call();
        Annotate.Result r = annotate(a, repo + "@" + img.digest()).annotation("smoke", "failed").writer("qa")
                .clock(at("2026-01-03T00:00:00Z")).call();
        assertThat(r.referrersApi()).isFalse();
        assertThat(r.digest()).isEqualTo(img.digest());

        BuildRecord rec = read(a, repo + ":1.0");
        assertThat(rec.digest()).isEqualTo(img.digest());
        assertThat(rec.listing()).isEqualTo("tag-schema");
        assertThat(rec.annotations()).extracting(x -> x.key() + "=" + x.value() + " by " + x.writer())
                .containsExactly("deployed.staging=PT42S by watchDeployment", "smoke=passed by jenkins",
                        "smoke=failed by qa");
        assertThat(rec.annotations().get(1).runUrl()).isEqualTo("https://ci/job/app/7/");
        assertThat(rec.current()).containsEntry("smoke", "failed");
        assertThat(rec.attributes()).containsEntry("org.opencontainers.image.version", "1.0");
        assertThat(rec.rejected()).isEmpty();
        // the image itself is untouched: annotations live next to it
        assertThat(TestImages.client(a).headManifest(repo, "1.0").orElseThrow().digest()).isEqualTo(img.digest());
    }

    @Test
    void twentyConcurrentWritersLoseNothing() throws Exception {
        String repo = repo();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                go.await();
                return annotate(a, repo + ":1.0").annotation("check-" + n, "ok").writer("w" + n).call();
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        BuildRecord rec = read(a, repo + ":1.0");
        assertThat(rec.annotations()).hasSize(20);
        assertThat(rec.current().keySet()).hasSize(20).allMatch(k -> k.startsWith("check-"));
        // the tag-schema index converged too: it alone lists all 20 (what promotion copies)
        Manifest index = TestImages.client(a).getManifest(repo, img.digest().replace(':', '-')).orElseThrow();
        assertThat(index.manifests()).filteredOn(d -> AnnotationArtifact.ARTIFACT_TYPE.equals(d.artifactType()))
                .hasSize(20);
    }

    @Test
    void annotationsTravelWithPromotionAndAttributesStay() {
        String repo = repo();
        Manifest img = TestImages.image(a, repo, "2.0", "amd64", 5000);
        annotate(a, repo + ":2.0").annotation("smoke", "passed").annotation("deployed.staging", "PT5S").call();
        PromoteImage.from(a.host() + "/" + repo + ":2.0").to(b.host() + "/prod/" + repo).srcInsecure(true)
                .destInsecure(true).auth(RegistryAuth.anonymous()).withReferrers(true).call();
        BuildRecord there = read(b, "prod/" + repo + ":2.0");
        assertThat(there.digest()).isEqualTo(img.digest());
        assertThat(there.current()).containsEntry("smoke", "passed").containsEntry("deployed.staging", "PT5S");
        assertThat(there.attributes()).isEqualTo(read(a, repo + ":2.0").attributes());
        // and a new annotation in the next registry joins the promoted ones
        annotate(b, "prod/" + repo + ":2.0").annotation("deployed.production", "PT9S").call();
        assertThat(read(b, "prod/" + repo + ":2.0").annotations()).hasSize(3);
    }

    @Test
    void aPlainTagOrAnEditedIndexEntryIsNotAnAnnotation() throws Exception {
        String repo = repo();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        Manifest other = TestImages.image(a, repo, "other", "amd64", 1000);
        annotate(a, repo + ":1.0").annotation("build", "ok").call();
        RegistryClient c = TestImages.client(a);
        String prefix = img.digest().replace(':', '-') + ".gra.";

        // 1: a plain image pushed under an annotation-looking tag
        c.putManifest(repo, prefix + other.digest().substring(7, 39), other);
        // 2: a genuine annotation of ANOTHER image, tagged under this image's prefix
        Annotate.Result foreign = annotate(a, repo + ":other").annotation("approved-by", "mallory").call();
        Manifest foreignManifest = c.getManifest(repo, foreign.artifactDigests().get(0)).orElseThrow();
        c.putManifest(repo, prefix + foreignManifest.digest().substring(7, 39), foreignManifest);
        // 3: an index entry edited by hand: our artifactType and fields, pointing at a plain manifest
        Manifest index = c.getManifest(repo, img.digest().replace(':', '-')).orElseThrow();
        ObjectNode idx = (ObjectNode) index.json();
        ObjectNode forged = idx.withArray("manifests").addObject();
        forged.put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", other.digest()).put("size", other.size())
                .put("artifactType", AnnotationArtifact.ARTIFACT_TYPE);
        forged.putObject("annotations").put(AnnotationArtifact.KEY, "smoke").put(AnnotationArtifact.VALUE, "passed")
                .put(AnnotationArtifact.WRITER, "mallory").put(AnnotationArtifact.TIME, "2026-01-01T00:00:00Z");
        c.putManifest(repo, img.digest().replace(':', '-'), new Manifest(MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(idx)));

        BuildRecord rec = read(a, repo + ":1.0");
        assertThat(rec.current()).containsOnlyKeys("build");
        assertThat(rec.rejected()).hasSize(3);
        assertThat(String.join("\n", rec.rejected())).contains(prefix + other.digest().substring(7, 39))
                .contains(other.digest());
    }

    @Test
    void keysAreCheckedBeforeAnythingIsWritten() {
        String repo = repo();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        assertThatThrownBy(() -> annotate(a, repo + ":1.0").annotation("ok", "1").annotation("Bad Key", "x").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Bad Key");
        assertThat(TestImages.client(a).tags(repo)).containsExactly("1.0");
        assertThatThrownBy(() -> annotate(a, repo + ":nope").annotation("ok", "1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no such tag");
        assertThat(read(a, repo + "@" + img.digest()).annotations()).isEmpty();
    }

    @Test
    void canonicalManifestRoundTrips() {
        Descriptor subject = new Descriptor(MediaTypes.OCI_MANIFEST, "sha256:" + "a".repeat(64), 123, null, null, null);
        Annotation ann = new Annotation("smoke", "passed", "me", Instant.parse("2026-01-01T00:00:00.123Z"), null);
        Manifest m = AnnotationArtifact.manifest(subject, ann);
        assertThat(AnnotationArtifact.verify(subject, m)).contains(ann);
        Descriptor otherSubject = new Descriptor(MediaTypes.OCI_MANIFEST, "sha256:" + "b".repeat(64), 123, null, null, null);
        assertThat(AnnotationArtifact.verify(otherSubject, m.descriptor())).isEmpty();
        assertThat(m.annotations()).containsEntry("io.jenkins.gitops-release.annotation.key", "smoke");
        assertThat(Map.copyOf(m.annotations())).doesNotContainKey("io.jenkins.gitops-release.annotation.run-url");
    }
}
