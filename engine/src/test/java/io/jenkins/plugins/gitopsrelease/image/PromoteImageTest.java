package io.jenkins.plugins.gitopsrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Promotions between real distribution registries; digests checked with skopeo. */
class PromoteImageTest {
    static final String CANARY = "canary-s3cr3t-PROMOTE";

    @RegisterExtension
    static RegistryFixture a = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture b = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture secure = RegistryFixture.withTlsAndAuth("promoter", CANARY);

    static final AtomicInteger N = new AtomicInteger();

    static String repo(String name) {
        return "team/" + name + N.incrementAndGet();
    }

    static PromoteImage promote(RegistryFixture from, String src, RegistryFixture to, String dest) {
        PromoteImage p = PromoteImage.from(from.host() + "/" + src).to(to.host() + "/" + dest)
                .srcInsecure(!from.tls()).destInsecure(!to.tls()).auth(TestImages.auth(from, to));
        if (from.tls()) {
            p.srcCaFile(from.caCertificate());
        }
        if (to.tls()) {
            p.destCaFile(to.caCertificate());
        }
        return p;
    }

    @Test
    void copiesBetweenRegistriesDigestForDigest() {
        String repo = repo("app");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000, 300_000, 2_000_000);
        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0").call();

        assertThat(r.sourceDigest()).isEqualTo(img.digest());
        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        assertThat(r.blobsCopied()).isEqualTo(4);
        assertThat(r.bytesCopied()).isGreaterThan(2_301_000);
        assertThat(r.destination()).isEqualTo(b.host() + "/" + repo + ":1.0@" + img.digest());
    }

    @Test
    void destinationWithoutTagKeepsTheSourceTag() {
        String repo = repo("keep");
        Manifest img = TestImages.image(a, repo, "2.3.4", "amd64", 5000);
        PromoteResult r = promote(a, repo + ":2.3.4", b, "prod/" + repo).call();
        assertThat(b.skopeoDigest("prod/" + repo + ":2.3.4")).isEqualTo(img.digest());
        assertThat(r.destination()).contains(":2.3.4@");
    }

    @Test
    void copiesIntoTlsRegistryWithAuth() {
        String repo = repo("secure");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 4096, 100_000);
        PromoteResult r = promote(a, repo + ":1.0", secure, repo + ":1.0").call();
        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(secure.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        // and back out of it, with the TLS+auth registry as the source
        PromoteResult back = promote(secure, repo + ":1.0", b, repo + "-back:1.0").call();
        assertThat(b.skopeoDigest(repo + "-back:1.0")).isEqualTo(img.digest());
        assertThat(back.blobsCopied()).isEqualTo(3);
    }

    @Test
    void mountsBlobsWithinOneRegistry() {
        String repo = repo("mount");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000, 50_000);
        Recorder rec = new Recorder();
        PromoteResult r = PromoteImage.from(a.host() + "/" + repo + ":1.0").to(a.host() + "/prod/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).listener(rec).call();
        assertThat(r.blobsMounted()).isEqualTo(3);
        assertThat(r.blobsCopied()).isZero();
        assertThat(rec.all()).filteredOn(l -> l.startsWith("POST") && l.contains("mount=")).hasSize(3)
                .allSatisfy(l -> assertThat(l).endsWith(" 201"));
        assertThat(rec.all()).noneMatch(l -> l.startsWith("GET") && l.contains("/blobs/sha256:"));
        assertThat(a.skopeoDigest("prod/" + repo + ":1.0")).isEqualTo(img.digest());
    }

    @Test
    void copiesEveryPlatformOfAnIndex() {
        String repo = repo("multi");
        Manifest idx = TestImages.index(a, repo, "1.0", "amd64", "arm64");
        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0").allPlatforms(true).call();
        assertThat(r.destinationDigest()).isEqualTo(idx.digest());
        assertThat(r.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(r.platforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(r.manifestsPushed()).isEqualTo(3);
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(idx.digest());
        RegistryClient bc = TestImages.client(b);
        for (var child : idx.manifests()) {
            assertThat(bc.headManifest(repo, child.digest())).isPresent();
        }
    }

    @Test
    void indexNeedsAllPlatformsOrOnePlatform() {
        String repo = repo("pick");
        Manifest idx = TestImages.index(a, repo, "1.0", "amd64", "arm64");
        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--all-platforms")
                .hasMessageContaining("linux/arm64");
        String arm = idx.manifests().get(1).digest();
        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0-arm64").platform("linux/arm64").call();
        assertThat(r.destinationDigest()).isEqualTo(arm);
        assertThat(TestImages.client(b).headManifest(repo, "1.0")).isEmpty();
    }

    @Test
    void carriesCosignSignatureTag() {
        String repo = repo("signed");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        Manifest sig = TestImages.cosignSignature(a, repo, img.digest());
        String sigTag = img.digest().replace(':', '-') + ".sig";

        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0").withReferrers(true).call();
        assertThat(r.referrers()).containsExactly(sig.digest());
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        assertThat(rawDigest(b, repo + ":" + sigTag)).isEqualTo(sig.digest());

        // without --with-referrers nothing but the image moves
        promote(a, repo + ":1.0", b, repo + "-plain:1.0").call();
        assertThat(TestImages.client(b).headManifest(repo + "-plain", sigTag)).isEmpty();
    }

    @Test
    void carriesReferrerArtifact() {
        String repo = repo("sbom");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000);
        Manifest sbom = TestImages.referrer(a, repo, img.digest(), img.size(), img.mediaType(),
                "application/spdx+json");

        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0").withReferrers(true).call();
        assertThat(r.referrers()).containsExactly(sbom.digest());
        assertThat(rawDigest(b, repo + "@" + sbom.digest())).isEqualTo(sbom.digest());
        Manifest index = TestImages.client(b).getManifest(repo, img.digest().replace(':', '-')).orElseThrow();
        assertThat(index.manifests()).extracting(d -> d.digest()).containsExactly(sbom.digest());
        assertThat(index.manifests().get(0).artifactType()).isEqualTo("application/spdx+json");
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
    }

    @Test
    void rePromotionIsOneHeadOfTheDestinationTag() {
        String repo = repo("again");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1000, 20_000);
        promote(a, repo + ":1.0", b, repo + ":1.0").call();
        Recorder rec = new Recorder();
        PromoteResult r = promote(a, repo + ":1.0", b, repo + ":1.0").listener(rec).call();

        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(r.blobsCopied()).isZero();
        assertThat(r.blobsSkipped()).isEqualTo(3);
        assertThat(r.manifestsPushed()).isZero();
        List<String> dest = rec.to(b);
        assertThat(dest).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("HEAD ").contains("/manifests/1.0 "));
        assertThat(rec.to(a)).allSatisfy(l -> assertThat(l).startsWith("GET ").contains("/manifests/"));
    }

    @Test
    void gateRefusesWithReasonAndWritesNothing() {
        String repo = repo("gate");
        Manifest idx = TestImages.index(a, repo, "1.0", "amd64");
        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").allPlatforms(true)
                .gate(PromotionGate.annotation("org.example.gate", "approved")).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("refused by gate").hasMessageContaining("org.example.gate=passed");
        assertThat(TestImages.client(b).headManifest(repo, idx.digest())).isEmpty();
        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").allPlatforms(true)
                .gate(PromotionGate.referrer("cosign/sig")).call())
                .hasMessageContaining("no referrer of type cosign/sig");

        TestImages.cosignSignature(a, repo, idx.digest());
        PromoteResult ok = promote(a, repo + ":1.0", b, repo + ":1.0").allPlatforms(true)
                .gate(PromotionGate.annotation("org.example.gate", "passed"))
                .gate(PromotionGate.referrer("cosign/sig")).call();
        assertThat(ok.destinationDigest()).isEqualTo(idx.digest());
    }

    @Test
    void unknownTagIsBadInput() {
        String repo = repo("unknown");
        TestImages.image(a, repo, "1.0", "amd64", 100);
        assertThatThrownBy(() -> promote(a, repo + ":9.9", b, repo + ":9.9").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--from").hasMessageContaining("no such tag").hasMessageContaining("[1.0]");
    }

    @Test
    void malformedReferenceIsBadInput() {
        assertThatThrownBy(() -> PromoteImage.from("Bad Ref!!").to(b.host() + "/x:1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--from");
        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/x:1").to("https://" + b.host() + "/x:1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--to");
        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/x").to(b.host() + "/x:1").call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("implicit :latest");
    }

    @Test
    void wrongCredentialsFailWithoutTheSecret() {
        String repo = repo("creds");
        TestImages.image(a, repo, "1.0", "amd64", 100);
        String wrong = "canary-s3cr3t-WRONG";
        RegistryAuth auth = RegistryAuth.anonymous().with(secure.host(), "promoter", Secret.of(wrong));
        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/" + repo + ":1.0").to(secure.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destCaFile(secure.caCertificate()).auth(auth).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("promoter").hasMessageContaining("not accepted")
                .satisfies(e -> assertThat(chain(e)).doesNotContain(wrong).doesNotContain(CANARY));
        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/" + repo + ":1.0").to(secure.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destCaFile(secure.caCertificate()).call())
                .hasMessageContaining("needs credentials");
    }

    @Test
    void untrustedCertificateFailsClearly() throws Exception {
        String repo = repo("tls");
        TestImages.image(a, repo, "1.0", "amd64", 100);
        // b speaks plain HTTP: reached over TLS it is named with the flag that fixes it (PlainHttpRegistryTest)
        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").destInsecure(false).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(b.host())
                .hasMessageContaining("--dest-insecure");
        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/" + repo + ":1.0").to(secure.host() + "/" + repo
                + ":1.0").srcInsecure(true).auth(TestImages.auth(a, secure)).retries(1, java.time.Duration.ZERO).call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining(secure.host())
                .hasMessageNotContaining("plain HTTP");
        Path missing = Files.createTempDirectory("ca").resolve("none.pem");
        assertThatThrownBy(() -> promote(a, repo + ":1.0", secure, repo + ":1.0").destCaFile(missing).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--dest-ca-file");
    }

    @Test
    void digestMismatchFailsAndNoTagAppears() throws Exception {
        String repo = repo("corrupt");
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 50_000);
        String layer = img.blobs().get(1).digest().substring(7);
        Path data = a.storage().resolve("docker/registry/v2/blobs/sha256/" + layer.substring(0, 2) + "/" + layer + "/data");
        byte[] bytes = Files.readAllBytes(data);
        bytes[100] ^= 0x5a; // same length, other bytes: the registry serves them as they are
        Files.write(data, bytes);

        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("digest mismatch")
                .hasMessageContaining(layer);
        RegistryClient bc = TestImages.client(b);
        assertThat(bc.headManifest(repo, "1.0")).isEmpty();
        assertThat(bc.blobExists(repo, "sha256:" + layer)).isFalse();
    }

    @Test
    void expectedDigestMustMatch() {
        String repo = repo("expect");
        TestImages.image(a, repo, "1.0", "amd64", 100);
        String other = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> promote(a, repo + ":1.0", b, repo + ":1.0").expectDigest(other).call())
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("digest mismatch")
                .hasMessageContaining(other);
    }

    static String rawDigest(RegistryFixture r, String ref) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        cmd.addAll(r.skopeoArgs(null));
        cmd.add("docker://" + r.host() + "/" + ref);
        byte[] raw = ExternalTool.run(cmd).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Manifest.sha256(raw);
    }

    static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
