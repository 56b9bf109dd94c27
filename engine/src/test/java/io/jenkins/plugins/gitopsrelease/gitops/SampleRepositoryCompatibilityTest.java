package io.jenkins.plugins.gitopsrelease.gitops;

import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.CLOCK;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation against the real OpenChoreo sample GitOps repository (openchoreo/sample-gitops), copied per test. */
class SampleRepositoryCompatibilityTest {
    static final String DOCLET = "namespaces/default/projects/doclet/components/";

    @TempDir
    Path root;
    DirectoryFiles files;

    @BeforeEach
    void copy() {
        GitopsFixtures.copySample(root);
        files = new DirectoryFiles(root);
    }

    @Test
    void indexFindsTheSampleResources() {
        GitopsIndex idx = GitopsIndex.build(files);
        assertThat(idx.counts()).containsEntry("Component", 5).containsEntry("ComponentType", 4)
                .containsEntry("Trait", 3).containsEntry("Workload", 5).containsEntry("ComponentRelease", 2)
                .containsEntry("ReleaseBinding", 4).containsEntry("DeploymentPipeline", 1)
                .containsEntry("Environment", 3).containsEntry("Project", 1);
        assertThat(idx.workload("doclet", "nats")).get().extracting(GitopsIndex.Resource::path)
                .isEqualTo(DOCLET + "nats/workload.yaml");
    }

    @Test
    void emitterReproducesTheSampleBindingsByteForByte() {
        for (String c : List.of("postgres", "nats")) {
            for (String env : List.of("development", "staging")) {
                String rel = DOCLET + c + "/release-bindings/" + c + "-" + env + ".yaml";
                String text = read(root, rel);
                assertThat(OccYaml.write(YamlDocs.parseOne(text, rel))).as(rel).isEqualTo(text);
            }
        }
    }

    @Test
    void releaseThenPromoteDevelopmentStagingProductionForPostgres() {
        Generate.Result g = Generate.on(files).project("doclet").component("postgres")
                .image("registry.example/doclet-postgres:v2").clock(CLOCK).call();
        files.apply(g.changes());
        assertThat(g.releaseName()).isEqualTo("postgres-20260823-1");
        assertThat(g.environment()).isEqualTo("development");
        assertThat(g.releasePath()).isEqualTo(DOCLET + "postgres/releases/postgres-20260823-1.yaml");
        assertThat(g.updated()).containsExactlyInAnyOrder(DOCLET + "postgres/workload.yaml",
                DOCLET + "postgres/release-bindings/postgres-development.yaml");
        assertThat(g.created()).containsExactly(g.releasePath());

        // The existing development binding keeps its shape; only releaseName changed.
        assertThat(read(root, DOCLET + "postgres/release-bindings/postgres-development.yaml")).isEqualTo(
                sampleBinding("postgres", "development").replace("postgres-20260223-1", "postgres-20260823-1"));

        // The release is the full snapshot.
        JsonNode rel = YamlDocs.parseOne(read(root, g.releasePath()), "rel");
        assertThat(Json.text(rel, "spec", "componentType", "name")).isEqualTo("deployment/database");
        assertThat(Json.text(rel, "spec", "componentType", "spec", "allowedTraits")).isEmpty();
        assertThat(rel.at("/spec/componentType/spec/allowedTraits/0/kind").asText()).isEqualTo("Trait");
        assertThat(rel.at("/spec/traits/0/name").asText()).isEqualTo("persistent-volume");
        assertThat(rel.at("/spec/traits/0/spec/patches").isArray()).isTrue();
        assertThat(rel.at("/spec/componentProfile/traits/0/instanceName").asText()).isEqualTo("data-storage");
        assertThat(rel.at("/spec/workload/container/image").asText()).isEqualTo("registry.example/doclet-postgres:v2");
        assertThat(rel.at("/spec/workload/owner").isMissingNode()).isTrue();
        assertThat(rel.at("/metadata").size()).isEqualTo(2);

        // staging copies development's release into the existing binding.
        ReleaseBindingGenerate.Result staging = ReleaseBindingGenerate.on(files).project("doclet")
                .component("postgres").targetEnv("staging").call();
        files.apply(staging.changes());
        assertThat(staging.single().status()).isEqualTo(ReleaseBindingGenerate.Status.UPDATED);
        assertThat(read(root, DOCLET + "postgres/release-bindings/postgres-staging.yaml")).isEqualTo(
                sampleBinding("postgres", "staging").replace("postgres-20260223-1", "postgres-20260823-1"));

        // production is new: the minimal binding, in the same directory and shape as the sample's own.
        ReleaseBindingGenerate.Result prod = ReleaseBindingGenerate.on(files).project("doclet")
                .component("postgres").targetEnv("production").call();
        files.apply(prod.changes());
        assertThat(prod.single().status()).isEqualTo(ReleaseBindingGenerate.Status.CREATED);
        assertThat(prod.single().path()).isEqualTo(DOCLET + "postgres/release-bindings/postgres-production.yaml");
        assertThat(read(root, prod.single().path())).isEqualTo(sampleBinding("postgres", "staging")
                .replace("staging", "production").replace("postgres-20260223-1", "postgres-20260823-1"));

        // A second run changes nothing: the release is unchanged, the binding already points at it.
        Generate.Result again = Generate.on(files).project("doclet").component("postgres")
                .image("registry.example/doclet-postgres:v2").clock(CLOCK).call();
        assertThat(again.releaseUnchanged()).isTrue();
        assertThat(again.releaseName()).isEqualTo("postgres-20260823-1");
        assertThat(again.changes()).isEmpty();
    }

    @Test
    void bulkReleasesAndPromotionForAllComponents() {
        ComponentReleaseGenerate.Result rels = ComponentReleaseGenerate.on(files).all(true).clock(CLOCK).call();
        assertThat(rels.failed()).isEmpty();
        assertThat(rels.items()).extracting(ComponentReleaseGenerate.Item::component)
                .containsExactly("collab-svc", "document-svc", "frontend", "nats", "postgres");
        assertThat(rels.changes()).extracting(FileChange::path).containsExactly(
                DOCLET + "collab-svc/releases/collab-svc-20260823-1.yaml",
                DOCLET + "document-svc/releases/document-svc-20260823-1.yaml",
                DOCLET + "frontend/releases/frontend-20260823-1.yaml",
                DOCLET + "nats/releases/nats-20260823-1.yaml",
                DOCLET + "postgres/releases/postgres-20260823-1.yaml");
        files.apply(rels.changes());

        for (String env : List.of("development", "staging", "production")) {
            ReleaseBindingGenerate.Result b = ReleaseBindingGenerate.on(files).all(true).usePipeline("standard")
                    .targetEnv(env).call();
            assertThat(b.failed()).as(env).isEmpty();
            files.apply(b.changes());
            for (String c : List.of("collab-svc", "document-svc", "frontend", "nats", "postgres")) {
                String path = DOCLET + c + "/release-bindings/" + c + "-" + env + ".yaml";
                assertThat(Files.exists(root.resolve(path))).as(path).isTrue();
                assertThat(read(root, path)).isEqualTo(sampleBinding("nats", "staging").replace("nats", c)
                        .replace("staging", env).replace(c + "-20260223-1", c + "-20260823-1"));
            }
        }
        // Re-running a release changes nothing now.
        ComponentReleaseGenerate.Result again = ComponentReleaseGenerate.on(files).all(true).clock(CLOCK).call();
        assertThat(again.changes()).isEmpty();
        assertThat(again.summary()).isEqualTo("Summary: 0 releases generated, 5 unchanged (skipped), 0 errors");
    }

    @Test
    void rootBindingRefusesLegacyReleases() {
        // The sample's releases predate the full-snapshot format: the root environment cannot match them.
        ReleaseBindingGenerate.Result r = ReleaseBindingGenerate.on(files).project("doclet").call();
        assertThat(r.failed()).extracting(ReleaseBindingGenerate.Item::component)
                .containsExactly("collab-svc", "document-svc", "frontend", "nats", "postgres");
        assertThat(r.items().get(3).error()).contains("older occ version");
        assertThat(r.items().get(0).error()).contains("no releases found for component doclet/collab-svc");
    }

    private String sampleBinding(String c, String env) {
        return read(GitopsFixtures.sample(), DOCLET + c + "/release-bindings/" + c + "-" + env + ".yaml");
    }
}
