package io.jenkins.plugins.gitopsrelease.gitops;

import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.CLOCK;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.read;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule of the occ file-system-mode specification, on a small hand-written repository. */
class GenerationRulesTest {
    static final String API = "namespaces/default/projects/shop/components/api/";

    @TempDir
    Path root;
    DirectoryFiles files;

    @BeforeEach
    void repo() {
        GitopsFixtures.small(root);
        files = new DirectoryFiles(root);
    }

    private JsonNode yaml(String rel) {
        return YamlDocs.parseOne(read(root, rel), rel);
    }

    // ---- index ------------------------------------------------------------------------------------------------

    @Test
    void indexSkipsDirectoriesAndDocumentsLikeOcc() {
        String comp = read(root, API + "component.yaml");
        write(root, "build/component.yaml", comp.replace("name: api", "name: hidden1"));
        write(root, ".github/component.yaml", comp.replace("name: api", "name: hidden2"));
        write(root, "node_modules/x/component.yml", comp.replace("name: api", "name: hidden3"));
        write(root, "other/multi.YML", "apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata:\n  name: a2\n"
                + "  namespace: default\n---\n---\napiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata: {}\n"
                + "---\nkind: Component\nmetadata: {name: nover}\n---\napiVersion: openchoreo.dev/v1alpha1\n"
                + "kind: Component\nmetadata:\n  name: a3\n  namespace: default\n");
        write(root, "charts/templates/deploy.yaml", "{{ if .Values.x }}\nkind: {{ .Kind }}\n");
        GitopsIndex idx = GitopsIndex.build(files);
        assertThat(idx.all("Component")).extracting(GitopsIndex.Resource::name).containsExactly("api", "a2", "a3");
        assertThat(idx.get("Component", "default", "a3")).get().extracting(GitopsIndex.Resource::doc).isEqualTo(4);
    }

    @Test
    void duplicateKeysAcrossFilesAreAnErrorNamingBoth() {
        write(root, "copy/component.yaml", read(root, API + "component.yaml"));
        assertThatThrownBy(() -> GitopsIndex.build(files)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(API + "component.yaml").hasMessageContaining("copy/component.yaml");
    }

    // ---- workload create --------------------------------------------------------------------------------------

    @Test
    void imageOnlyUpdateKeepsSpecAndDropsLabelsAndComments() {
        WorkloadCreate.Result r = WorkloadCreate.on(files).project("shop").component("api").image("reg.example/api:2")
                .call();
        assertThat(r.path()).isEqualTo(API + "workload.yaml");
        files.apply(r.changes());
        assertThat(read(root, API + "workload.yaml")).isEqualTo("""
                apiVersion: openchoreo.dev/v1alpha1
                kind: Workload
                metadata:
                  name: api-workload
                  namespace: default
                spec:
                  container:
                    env:
                    - key: MODE
                      value: "8080"
                    image: reg.example/api:2
                  endpoints:
                    http:
                      port: 8080
                      type: HTTP
                  owner:
                    componentName: api
                    projectName: shop
                """);
    }

    @Test
    void newWorkloadGoesNextToTheComponentOrToTheConventionalPath() {
        String comp = read(root, API + "component.yaml");
        write(root, "elsewhere/web/component.yaml", comp.replace("name: api", "name: web"));
        WorkloadCreate.Result r = WorkloadCreate.on(files).project("shop").component("web").image("i:1").call();
        assertThat(r.path()).isEqualTo("elsewhere/web/workload.yaml");
        assertThat(r.changes().get(0).text()).contains("name: web-workload").contains("image: i:1");
        WorkloadCreate.Result none = WorkloadCreate.on(files).project("shop").component("nocomp").image("i:1").call();
        assertThat(none.path()).isEqualTo("projects/shop/components/nocomp/workload.yaml");
        assertThat(none.changes().get(0).kind()).isEqualTo(FileChange.Kind.CREATED);
    }

    @Test
    void descriptorBecomesAWorkloadWithInlinedFiles(@TempDir Path src) {
        write(src, "docs/openapi.yaml", "openapi: 3.0.0\n");
        write(src, "conf/app.json", "{\"a\":1}\n");
        write(src, "workload.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                metadata: {name: ignored}
                endpoints:
                - name: api
                  port: 8080
                  type: HTTP
                  visibility: [external]
                  schemaFile: docs/openapi.yaml
                - name: grpc
                  Port: 9090
                  type: gRPC
                dependencies:
                  endpoints:
                  - {component: db, name: tcp, visibility: project}
                  resources:
                  - {ref: my-db, envBindings: {url: DB_URL}}
                configurations:
                  env:
                  - {name: LOG_LEVEL, value: info}
                  - {name: PW, valueFrom: {secretKeyRef: {name: creds, key: pw}}}
                  - {name: FROMPATH, valueFrom: {path: conf/app.json}}
                  files:
                  - {name: app.json, mountPath: /etc/app, valueFrom: {path: conf/app.json}}
                """);
        WorkloadCreate.Result r = WorkloadCreate.on(files).project("shop").component("api").image("reg/api:3")
                .descriptor(src.resolve("workload.yaml")).call();
        files.apply(r.changes());
        JsonNode w = yaml(API + "workload.yaml");
        assertThat(w.at("/metadata/name").asText()).isEqualTo("api-workload");
        assertThat(w.at("/spec/endpoints/api/schema/type").asText()).isEqualTo("openapi");
        assertThat(w.at("/spec/endpoints/api/schema/content").asText()).isEqualTo("openapi: 3.0.0\n");
        assertThat(w.at("/spec/endpoints/grpc/port").asInt()).isEqualTo(9090);
        assertThat(w.at("/spec/dependencies/endpoints/0/envBindings").isObject()).isTrue();
        assertThat(w.at("/spec/dependencies/resources/0/envBindings/url").asText()).isEqualTo("DB_URL");
        assertThat(w.at("/spec/container/env/1/valueFrom/secretKeyRef/key").asText()).isEqualTo("pw");
        assertThat(w.at("/spec/container/env/2").size()).as("valueFrom.path is not supported for env").isEqualTo(1);
        assertThat(w.at("/spec/container/files/0/value").asText()).isEqualTo("{\"a\":1}\n");
        assertThat(w.at("/metadata/labels").isMissingNode()).isTrue();
    }

    @Test
    void descriptorValidationMessages(@TempDir Path src) {
        write(src, "a.yaml", "endpoints:\n- {name: e, port: 80, visibility: [public]}\n");
        assertThatThrownBy(() -> WorkloadCreate.on(files).project("shop").component("api").image("i")
                .descriptor(src.resolve("a.yaml")).call())
                .hasMessageContaining("invalid endpoint visibility \"public\" for endpoint \"e\"");
        write(src, "b.yaml", "dependencies:\n  endpoints:\n  - {name: tcp, visibility: project}\n");
        assertThatThrownBy(() -> WorkloadCreate.on(files).project("shop").component("api").image("i")
                .descriptor(src.resolve("b.yaml")).call())
                .hasMessageContaining("dependency endpoint[0]: component is required");
        write(src, "c.yaml", "dependencies:\n  resources:\n  - {envBindings: {a: B}}\n");
        assertThatThrownBy(() -> WorkloadCreate.on(files).project("shop").component("api").image("i")
                .descriptor(src.resolve("c.yaml")).call())
                .hasMessageContaining("dependency resource[0]: ref is required");
    }

    // ---- componentrelease generate ----------------------------------------------------------------------------

    @Test
    void releaseNamesCountUpPerComponentAndDay() {
        ComponentReleaseGenerate.Result r1 = ComponentReleaseGenerate.on(files).project("shop").component("api")
                .clock(CLOCK).call();
        assertThat(r1.single().releaseName()).isEqualTo("api-20260823-1");
        assertThat(r1.single().path()).isEqualTo(API + "releases/api-20260823-1.yaml");
        files.apply(r1.changes());
        write(root, API + "workload.yaml", read(root, API + "workload.yaml").replace("api:1", "api:2"));
        ComponentReleaseGenerate.Result r2 = ComponentReleaseGenerate.on(files).project("shop").component("api")
                .clock(CLOCK).call();
        assertThat(r2.single().releaseName()).isEqualTo("api-20260823-2");
    }

    @Test
    void unchangedStateWritesNothingAndReleasesAreImmutable() {
        files.apply(ComponentReleaseGenerate.on(files).project("shop").component("api").name("api-abc12345").call()
                .changes());
        ComponentReleaseGenerate.Result same = ComponentReleaseGenerate.on(files).project("shop").component("api")
                .clock(CLOCK).call();
        assertThat(same.single().status()).isEqualTo(ComponentReleaseGenerate.Status.UNCHANGED);
        assertThat(same.single().releaseName()).isEqualTo("api-abc12345");
        assertThat(same.changes()).isEmpty();
        write(root, API + "component.yaml", read(root, API + "component.yaml").replace("replicas: 2", "replicas: 3"));
        assertThatThrownBy(() -> ComponentReleaseGenerate.on(files).project("shop").component("api")
                .name("api-abc12345").call()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a component release with name \"api-abc12345\" already exists at "
                        + API + "releases/api-abc12345.yaml");
    }

    @Test
    void numbersCompareAsDoublesForUnchangedDetection() {
        files.apply(ComponentReleaseGenerate.on(files).project("shop").component("api").clock(CLOCK).call().changes());
        write(root, API + "component.yaml", read(root, API + "component.yaml").replace("replicas: 2", "replicas: 2.0"));
        assertThat(ComponentReleaseGenerate.on(files).project("shop").component("api").clock(CLOCK).call().single()
                .status()).isEqualTo(ComponentReleaseGenerate.Status.UNCHANGED);
    }

    @Test
    void traitsAreSortedKindDefaultedAndSnapshotted() {
        write(root, "namespaces/default/platform/traits/alpha.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ClusterTrait
                metadata: {name: alpha}
                spec: {patches: [{op: add}], unknownField: dropped}
                """);
        write(root, "namespaces/default/platform/component-types/service.yaml",
                read(root, "namespaces/default/platform/component-types/service.yaml")
                        .replace("  allowedTraits:\n", "  traits:\n    - {name: alpha, kind: ClusterTrait, instanceName: a1}\n"
                                + "  allowedTraits:\n"));
        write(root, API + "component.yaml", read(root, API + "component.yaml")
                + "  traits:\n    - {name: storage, instanceName: data, parameters: {size: 1}}\n");
        ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(files).project("shop").component("api")
                .clock(CLOCK).call();
        JsonNode rel = YamlDocs.parseOne(r.changes().get(0).text(), "rel");
        assertThat(rel.at("/spec/traits/0/kind").asText()).isEqualTo("ClusterTrait");
        assertThat(rel.at("/spec/traits/1/kind").asText()).isEqualTo("Trait");
        assertThat(rel.at("/spec/traits/0/spec/unknownField").isMissingNode()).isTrue();
        assertThat(rel.at("/spec/componentProfile/traits/0/kind").asText()).isEqualTo("Trait");
        assertThat(rel.at("/spec/componentType/spec/allowedTraits/0/kind").asText()).isEqualTo("Trait");
    }

    @Test
    void releaseConfigAndOutputPathPlacement() {
        write(root, "release-config.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ReleaseConfig
                componentReleaseDefaults:
                  defaultOutputDir: ./releases
                  projects:
                    shop: {components: {api: ./shop/api-releases/}}
                releaseBindingDefaults:
                  defaultOutputDir: ./bindings
                """);
        ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(files).project("shop").component("api")
                .outputPath("ignored").clock(CLOCK).call();
        assertThat(r.single().path()).isEqualTo("shop/api-releases/api-20260823-1.yaml");
        files.apply(r.changes());
        ReleaseBindingGenerate.Result b = ReleaseBindingGenerate.on(files).project("shop").component("api").call();
        assertThat(b.single().path()).isEqualTo("bindings/api-dev.yaml");
        ReleaseBindingGenerate.Result b2 = ReleaseBindingGenerate.on(files).project("shop").component("api")
                .outputPath("out/b").call();
        assertThat(b2.single().path()).isEqualTo("out/b/api-dev.yaml");
    }

    // ---- releasebinding generate ------------------------------------------------------------------------------

    @Test
    void bindingUpdateChangesOnlyReleaseName() {
        files.apply(ComponentReleaseGenerate.on(files).project("shop").component("api").name("api-r1").call().changes());
        write(root, API + "release-bindings/api-dev.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ReleaseBinding
                metadata:
                  name: custom-name
                  namespace: default
                  labels: {keep: me}
                spec:
                  owner: {projectName: shop, componentName: api}
                  environment: dev
                  releaseName: old
                  state: Undeploy
                  componentTypeEnvironmentConfigs: {replicas: 3}
                """);
        ReleaseBindingGenerate.Result b = ReleaseBindingGenerate.on(files).project("shop").component("api").call();
        assertThat(b.single().status()).isEqualTo(ReleaseBindingGenerate.Status.UPDATED);
        files.apply(b.changes());
        JsonNode doc = yaml(API + "release-bindings/api-dev.yaml");
        assertThat(doc.at("/spec/releaseName").asText()).isEqualTo("api-r1");
        assertThat(doc.at("/metadata/name").asText()).isEqualTo("custom-name");
        assertThat(doc.at("/metadata/labels/keep").asText()).isEqualTo("me");
        assertThat(doc.at("/spec/state").asText()).isEqualTo("Undeploy");
        assertThat(doc.at("/spec/componentTypeEnvironmentConfigs/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void pipelineErrors() {
        files.apply(ComponentReleaseGenerate.on(files).project("shop").component("api").call().changes());
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(files).project("shop").component("api").targetEnv("qa")
                .call()).hasMessageContaining("environment \"qa\" does not exist in deployment pipeline \"std\"");
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(files).project("shop").component("api")
                .targetEnv("stage").call())
                .hasMessageContaining("no ReleaseBinding found in previous environment \"dev\"");
        write(root, "namespaces/default/platform/infra/deployment-pipelines/loop.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: DeploymentPipeline
                metadata: {name: loop}
                spec:
                  promotionPaths:
                  - {sourceEnvironmentRef: {name: a}, targetEnvironmentRefs: [{name: b}]}
                  - {sourceEnvironmentRef: {name: b}, targetEnvironmentRefs: [{name: a}]}
                """);
        assertThatThrownBy(() -> ReleaseBindingGenerate.on(files).project("shop").component("api")
                .usePipeline("loop").call()).hasMessageContaining("has no root environment");
    }

    @Test
    void generateBindsTheTargetEnvironmentAndReturnsEveryPath() {
        Generate.Result g = Generate.on(files).project("shop").component("api").image("reg/api:9")
                .releaseName("api-deadbeef").clock(CLOCK).call();
        assertThat(g.releaseName()).isEqualTo("api-deadbeef");
        assertThat(g.changes()).extracting(FileChange::path).containsExactly(API + "workload.yaml",
                API + "releases/api-deadbeef.yaml", API + "release-bindings/api-dev.yaml");
        assertThat(g.created()).containsExactly(API + "releases/api-deadbeef.yaml", API + "release-bindings/api-dev.yaml");
        assertThat(g.updated()).containsExactly(API + "workload.yaml");
        assertThat(GitopsFixtures.snapshot(root)).doesNotContainKey(API + "releases/api-deadbeef.yaml");
    }

    // ---- bad inputs -------------------------------------------------------------------------------------------

    @Test
    void badInputsAreClearErrors() {
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("nope").call(),
                "component \"nope\" not found in namespace \"default\"");
        assertError(() -> ComponentReleaseGenerate.on(files).project("other").component("api").call(),
                "component \"api\" belongs to project \"shop\", not \"other\"");
        assertError(() -> ComponentReleaseGenerate.on(files).project("../../etc").component("api").call(),
                "--project: invalid value '../../etc'");
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").name("../../etc/x")
                .call(), "--name: invalid value '../../etc/x'");
        assertError(() -> WorkloadCreate.on(files).project("shop").component("api").image("i")
                .outputPath("../../etc/passwd").call(), "leaves the repository root");
        assertError(() -> ReleaseBindingGenerate.on(files).project("shop").component("api")
                .componentRelease("missing-1").call(), "component release \"missing-1\" not found");

        String comp = read(root, API + "component.yaml");
        write(root, API + "component.yaml", comp.replace("deployment/service", "deployment/nosuch"));
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                "component type \"nosuch\" not found (referenced by component \"api\")");
        write(root, API + "component.yaml", comp + "  traits:\n    - {name: forbidden, instanceName: f}\n");
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                "component \"api\" trait validation failed: traits [Trait:forbidden] are not in the allowed list"
                        + " [Trait:storage]");
        write(root, API + "component.yaml", comp + "  traits:\n    - {name: storage, instanceName: s}\n"
                + "    - {name: storage, instanceName: s}\n");
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                "duplicate trait instance names [s] in component traits");
        write(root, "namespaces/default/platform/traits/storage.yaml", "# gone\n");
        write(root, API + "component.yaml", comp + "  traits:\n    - {name: storage, instanceName: s}\n");
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                "trait \"storage\" not found");
        write(root, API + "component.yaml", comp);
        write(root, API + "workload.yaml", "# none\n");
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                "workload for component \"api\" (project: \"shop\") not found");
        write(root, "namespaces/default/projects/shop/project.yaml", "# none\n");
        assertError(() -> ReleaseBindingGenerate.on(files).project("shop").component("api").call(),
                "project \"shop\" not found in namespace \"default\"");
        write(root, API + "component.yaml", comp.replace("  parameters:", "  parameters: [unclosed"));
        assertError(() -> ComponentReleaseGenerate.on(files).project("shop").component("api").call(),
                API + "component.yaml:");
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
    }

    @Test
    void bulkScopeRules() {
        assertError(() -> ComponentReleaseGenerate.on(files).all(true).project("shop").call(),
                "--all cannot be combined with --project or --component");
        assertError(() -> ComponentReleaseGenerate.on(files).call(),
                "one of --all, --project, or --component must be specified");
        assertError(() -> ReleaseBindingGenerate.on(files).all(true).targetEnv("dev").call(),
                "--use-pipeline is required when using --all scope");
        assertError(() -> ReleaseBindingGenerate.on(files).all(true).usePipeline("std").call(),
                "--target-env is required when using --all");
        String comp = read(root, API + "component.yaml");
        write(root, "namespaces/default/projects/shop/components/web/component.yaml",
                comp.replace("name: api", "name: web"));
        ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(files).project("shop").clock(CLOCK).call();
        assertThat(r.failed()).extracting(ComponentReleaseGenerate.Item::component).containsExactly("web");
        assertThat(r.changes()).hasSize(1);
        assertThat(r.summary()).isEqualTo("Summary: 1 releases generated, 0 unchanged (skipped), 1 errors");
    }

    @Test
    void overlaySeesPendingChanges() {
        OverlayFiles o = new OverlayFiles(files, List.of(FileChange.of("new/file.yaml", "a: 1\n",
                FileChange.Kind.CREATED), FileChange.of(API + "workload.yaml", "x: 1\n", FileChange.Kind.UPDATED)));
        assertThat(o.list()).contains("new/file.yaml", API + "workload.yaml");
        assertThat(new String(o.read(API + "workload.yaml").orElseThrow())).isEqualTo("x: 1\n");
        o.add(List.of(FileChange.of("new/file.yaml", "a: 2\n", FileChange.Kind.UPDATED)));
        assertThat(o.merged()).extracting(FileChange::kind).containsExactly(FileChange.Kind.CREATED,
                FileChange.Kind.UPDATED);
    }
}
