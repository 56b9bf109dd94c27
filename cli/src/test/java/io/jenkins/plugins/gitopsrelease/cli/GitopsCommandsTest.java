package io.jenkins.plugins.gitopsrelease.cli;

import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.read;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.snapshot;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitopsCommandsTest {
    static final String DOCLET = "namespaces/default/projects/doclet/components/";
    static final String API = "namespaces/default/projects/shop/components/api/";

    @TempDir
    Path root;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        int code = Main.run(a.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void occStepsOnTheSampleRepositoryThenPromote() throws Exception {
        GitopsFixtures.copySample(root);
        String r = root.toString();
        Run w = run("workload", "create", "--mode", "file-system", "--root-dir", r, "--project", "doclet",
                "--component", "frontend", "--image", "reg/frontend:v2");
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(w.out()).contains("Updated: " + root.resolve(DOCLET + "frontend/workload.yaml"));
        Run c = run("componentrelease", "generate", "--mode", "file-system", "--root-dir", r, "--project", "doclet",
                "--component", "frontend", "--name", "frontend-4a2acc61");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Created: " + root.resolve(DOCLET + "frontend/releases/frontend-4a2acc61.yaml"));
        Run b = run("releasebinding", "generate", "--mode", "file-system", "--root-dir", r, "--project", "doclet",
                "--component", "frontend", "--component-release", "frontend-4a2acc61", "--json");
        assertThat(b.code()).as(b.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(b.out());
        assertThat(json.at("/changes/0/path").asText()).isEqualTo(DOCLET + "frontend/release-bindings/frontend-development.yaml");
        assertThat(json.at("/changes/0/kind").asText()).isEqualTo("created");
        for (String env : List.of("staging", "production")) {
            Run p = run("releasebinding", "generate", "--mode", "file-system", "--root-dir", r, "--project", "doclet",
                    "--component", "frontend", "--target-env", env);
            assertThat(p.code()).as(p.err()).isZero();
            assertThat(read(root, DOCLET + "frontend/release-bindings/frontend-" + env + ".yaml"))
                    .contains("releaseName: frontend-4a2acc61").contains("environment: " + env);
        }
    }

    @Test
    void generateJsonListsPathsAndDryRunWritesNothing() throws Exception {
        GitopsFixtures.small(root);
        Map<String, String> before = snapshot(root);
        Run dry = run("generate", "--root-dir", root.toString(), "--project", "shop", "--component", "api",
                "--image", "reg/api:2", "--release-name", "api-1234abcd", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("# Would create: " + root.resolve(API + "releases/api-1234abcd.yaml"))
                .contains("kind: ComponentRelease");
        assertThat(snapshot(root)).isEqualTo(before);

        Run g = run("generate", "--root-dir", root.toString(), "--project", "shop", "--component", "api",
                "--image", "reg/api:2", "--release-name", "api-1234abcd", "--json");
        assertThat(g.code()).as(g.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(g.out());
        assertThat(json.get("releaseName").asText()).isEqualTo("api-1234abcd");
        assertThat(json.get("environment").asText()).isEqualTo("dev");
        assertThat(json.get("created").toString()).contains(API + "releases/api-1234abcd.yaml",
                API + "release-bindings/api-dev.yaml");
        assertThat(json.get("updated").toString()).contains(API + "workload.yaml");
        assertThat(Files.exists(root.resolve(API + "release-bindings/api-dev.yaml"))).isTrue();
    }

    @Test
    void unknownModesAndMixedModeOptionsAreRejected() {
        GitopsFixtures.small(root);
        Run r = run("componentrelease", "generate", "--mode", "kubernetes", "--root-dir", root.toString(), "--all");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--mode").contains("kubernetes").contains("'file-system' or 'api-server'");
        Run m = run("componentrelease", "generate", "--mode", "api-server", "--root-dir", root.toString(), "--all");
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("--root-dir, --output-path and --dry-run are file-system mode options");
        Run s = run("componentrelease", "generate", "--root-dir", root.toString(), "--all", "--server",
                "https://api.example.com");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("are for --mode api-server");
    }

    @Test
    void bulkFailuresExitOneAndNameTheFailedComponents() {
        GitopsFixtures.small(root);
        write(root, "namespaces/default/projects/shop/components/web/component.yaml",
                read(root, API + "component.yaml").replace("name: api", "name: web"));
        Run r = run("componentrelease", "generate", "--mode", "file-system", "--root-dir", root.toString(),
                "--project", "shop");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("error: shop/web: workload for component \"web\"")
                .contains("1 component(s) failed: shop/web");
        assertThat(r.out()).contains("Summary: 1 releases generated, 0 unchanged (skipped), 1 errors");
    }

    @Test
    void badInputsExitNonZeroAndWriteNothing() {
        GitopsFixtures.small(root);
        String rd = root.toString();
        String comp = read(root, API + "component.yaml");
        String[][] cases = {
            {"componentrelease", "generate", "--root-dir", rd, "-p", "shop", "-c", "missing"},
            {"componentrelease", "generate", "--root-dir", rd, "-p", "../../etc", "-c", "api"},
            {"workload", "create", "--root-dir", rd, "-p", "shop", "-c", "api", "--image", "i", "-o", "/etc/passwd"},
            {"workload", "create", "--root-dir", rd, "-p", "shop", "-c", "../../etc", "--image", "i"},
            {"releasebinding", "generate", "--root-dir", rd, "-p", "shop", "-c", "api", "--target-env", "nowhere"},
            {"generate", "--root-dir", rd, "-p", "shop", "-c", "api", "--image", "i", "--target-env", "nowhere"},
            {"generate", "--root-dir", rd, "-p", "shop", "-c", "api", "--image", "i", "--release-name", "../x"},
        };
        for (String[] args : cases) {
            Map<String, String> before = snapshot(root);
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: ").doesNotContain("Exception");
            assertThat(snapshot(root)).as(String.join(" ", args)).isEqualTo(before);
        }
        // A release name that is no DNS-1123 name is named by this verb's flag, not occ's --name.
        Run badName = run("generate", "--root-dir", rd, "-p", "shop", "-c", "api", "--image", "i", "--release-name",
                "Api_2");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("--release-name").contains("Api_2").doesNotContain("--name:");
        // Repository problems: each a clear error and nothing written by the all-or-nothing generate.
        String[][] repoEdits = {
            {API + "component.yaml", comp.replace("deployment/service", "deployment/nosuch"), "component type \"nosuch\""},
            {API + "component.yaml", comp + "  traits:\n    - {name: other, instanceName: o}\n", "not in the allowed list"},
            {API + "component.yaml", comp + "  traits:\n    - {name: storage, instanceName: o}\n"
                    + "    - {name: storage, instanceName: o}\n", "duplicate trait instance names [o]"},
            {API + "component.yaml", comp + "  traits:\n    - {name: storage, instanceName: o}\n", null},
            {API + "component.yaml", comp.replace("  parameters:", "  parameters: [x"), API + "component.yaml:"},
            {API + "component.yaml", bomb(), "alias"},
            {"namespaces/default/projects/shop/project.yaml", "# removed\n", "project \"shop\" not found"},
        };
        for (String[] e : repoEdits) {
            GitopsFixtures.small(root);
            write(root, e[0], e[1]);
            if (e[2] == null) {
                write(root, "namespaces/default/platform/traits/storage.yaml", "# removed\n");
                e[2] = "trait \"storage\" not found";
            }
            Map<String, String> before = snapshot(root);
            Run r = run("generate", "--root-dir", rd, "-p", "shop", "-c", "api", "--image", "reg/api:5");
            assertThat(r.code()).as(e[2] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains(e[2]);
            assertThat(snapshot(root)).isEqualTo(before);
            GitopsFixtures.small(root);
            write(root, "namespaces/default/platform/traits/storage.yaml",
                    read(root, "namespaces/default/platform/traits/storage.yaml"));
        }
    }

    private static String bomb() {
        StringBuilder sb = new StringBuilder("apiVersion: openchoreo.dev/v1alpha1\nkind: Component\n"
                + "metadata: {name: api, namespace: default}\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            sb.append("  a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        }
        return sb.toString();
    }

    @Test
    void setImageEditsOnlyTheImage() throws Exception {
        String values = "# values\nimage:\n  repository: nginx # upstream\n  tag: \"1.25\"\n";
        write(root, "values.yaml", values);
        Run r = run("set-image", "--file", root.resolve("values.yaml").toString(), "--helm-path", "image",
                "--image", "reg.example/nginx:1.27", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("changed").asBoolean()).isTrue();
        assertThat(read(root, "values.yaml")).isEqualTo(values.replace("nginx #", "reg.example/nginx #")
                .replace("1.25", "1.27"));
        Run bad = run("set-image", "--file", root.resolve("values.yaml").toString(), "--kustomize", "--helm-path", "x",
                "--image", "a:1");
        assertThat(bad.code()).isEqualTo(2);
    }

    @Test
    void openPrBulkPromotionOfAProjectIsOneCommit() throws Exception {
        Path content = io.jenkins.plugins.gitopsrelease.release.BulkPromotionTest.repo(root.resolve("content"), 5,
                "zz-never-deployed");
        Path bare = root.resolve("gitops.git");
        io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository.seedIfMissing(bare, content, "main");
        Run r = run("open-pr", "--repo", bare.toString(), "--project", "shop", "--all", "--target-env", "staging");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("branch  release/shop-staging").contains("bound   shop/svc-004 svc-004-20260101-1");
        assertThat(r.err()).contains("error: shop/zz-never-deployed: no ReleaseBinding found")
                .contains("1 component(s) failed: shop/zz-never-deployed");
        try (var repo = org.eclipse.jgit.storage.file.FileRepositoryBuilder.create(bare.toFile())) {
            assertThat(repo.resolve("refs/heads/release/shop-staging")).isNotNull();
        }
        Run refused = run("open-pr", "--repo", bare.toString(), "--project", "shop", "--all", "--target-env", "staging",
                "--component", "svc-001");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("drop --component");
    }
}
