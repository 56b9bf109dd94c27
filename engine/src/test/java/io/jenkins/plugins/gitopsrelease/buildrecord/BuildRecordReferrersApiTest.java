package io.jenkins.plugins.gitopsrelease.buildrecord;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The referrers-API path. The registry available here (distribution 2.8.2) has no referrers API, so WireMock plays
 * an OCI 1.1 registry for exactly that API: a PUT with {@code subject} answered with {@code OCI-Subject}, and
 * {@code GET /v2/<name>/referrers/<digest>}. Everything else about annotations runs against the real registry.
 */
class BuildRecordReferrersApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    WireMockServer server;
    Manifest image;

    @BeforeEach
    void start() throws Exception {
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        image = new Manifest(MediaTypes.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + "c".repeat(64) + "\",\"size\":2},\"layers\":[],\"annotations\":{\"org.opencontainers.image.revision\":"
                + "\"abc\"}}").getBytes(StandardCharsets.UTF_8));
        server.stubFor(get(urlEqualTo("/v2/team/app/manifests/1.0")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(image.bytes())));
        server.stubFor(head(urlPathMatching("/v2/team/app/blobs/.*")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlEqualTo("/v2/team/app/blobs/sha256:" + "c".repeat(64))).willReturn(aResponse()
                .withStatus(200).withBody("{\"config\":{\"Labels\":{\"io.jenkins.gitops-release.builder\":\"jib\"}}}")));
        server.stubFor(put(urlPathMatching("/v2/team/app/manifests/sha256:.*")).willReturn(aResponse().withStatus(201)
                .withHeader("OCI-Subject", image.digest())));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    String host() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void aRegistryWithTheApiIndexesAnnotationsItself() {
        Annotate.Result r = Annotate.image(host() + "/team/app:1.0").insecure(List.of(host()))
                .auth(RegistryAuth.anonymous()).annotation("smoke", "passed").call();
        assertThat(r.referrersApi()).isTrue();
        // pushed by digest only: no per-annotation tag, no tag-schema index, no tag listing
        server.verify(1, putRequestedFor(urlPathMatching("/v2/team/app/manifests/sha256:[0-9a-f]{64}")));
        server.verify(0, putRequestedFor(urlPathMatching("/v2/team/app/manifests/sha256-.*")));
        server.verify(0, anyRequestedFor(urlPathMatching("/v2/team/app/tags/list")));
    }

    @Test
    void readsTheApiListingAndRejectsEntriesThatAreNotThisImagesAnnotations() throws Exception {
        var subject = RecordStore.subjectOf(image);
        Manifest genuine = AnnotationArtifact.manifest(subject,
                new Annotation("smoke", "passed", "ci", Instant.parse("2026-02-01T00:00:00Z"), "https://ci/1/"));
        Manifest earlier = AnnotationArtifact.manifest(subject,
                new Annotation("deployed.staging", "PT3S", "watch", Instant.parse("2026-01-01T00:00:00Z"), null));
        ObjectNode idx = JSON.createObjectNode();
        idx.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = idx.putArray("manifests");
        for (Manifest m : List.of(genuine, earlier)) {
            ObjectNode d = list.addObject().put("mediaType", m.mediaType()).put("digest", m.digest())
                    .put("size", m.size()).put("artifactType", m.artifactType());
            ObjectNode a = d.putObject("annotations");
            m.annotations().forEach(a::put);
        }
        // an entry claiming approved-by with a digest that is not the canonical artifact's
        ObjectNode forged = list.addObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", "sha256:"
                + "d".repeat(64)).put("size", 500).put("artifactType", AnnotationArtifact.ARTIFACT_TYPE);
        forged.putObject("annotations").put(AnnotationArtifact.KEY, "approved-by").put(AnnotationArtifact.VALUE, "eve")
                .put(AnnotationArtifact.TIME, "2026-01-05T00:00:00Z");
        // an SBOM: another referrer type, ignored
        list.addObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", "sha256:" + "e".repeat(64))
                .put("size", 10).put("artifactType", "application/spdx+json");
        server.stubFor(get(urlMatching("/v2/team/app/referrers/" + image.digest() + ".*")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", MediaTypes.OCI_INDEX).withBody(JSON.writeValueAsBytes(idx))));

        BuildRecord rec = ReadRecord.image(host() + "/team/app:1.0").insecure(List.of(host()))
                .auth(RegistryAuth.anonymous()).call();
        assertThat(rec.listing()).isEqualTo("referrers-api");
        assertThat(rec.annotations()).extracting(Annotation::key).containsExactly("deployed.staging", "smoke");
        assertThat(rec.rejected()).hasSize(1).first().asString().contains("sha256:" + "d".repeat(64));
        assertThat(rec.attributes()).containsEntry("org.opencontainers.image.revision", "abc")
                .containsEntry("io.jenkins.gitops-release.builder", "jib");
        server.verify(0, anyRequestedFor(urlPathMatching("/v2/team/app/tags/list")));
        server.verify(0, anyRequestedFor(urlPathMatching("/v2/team/app/manifests/sha256-.*")));
    }
}
