package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.OpenChoreoApiStub;
import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenChoreo's "Bulk Promote": 200 components of a project to staging in one run, in both modes. */
public class BulkPromotionTest {
    static final int N = 200;
    static final ObjectMapper JSON = new ObjectMapper();

    static String comp(int i) {
        return String.format("svc-%03d", i);
    }

    /** A GitOps repository: pipeline development → staging, project shop, N components bound in development. */
    public static Path repo(Path root, int n, String broken) {
        GitopsFixtures.write(root, "platform/pipeline.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: DeploymentPipeline
                metadata:
                  name: std
                  namespace: default
                spec:
                  promotionPaths:
                    - sourceEnvironmentRef:
                        name: development
                      targetEnvironmentRefs:
                        - name: staging
                """);
        GitopsFixtures.write(root, "projects/shop/project.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Project
                metadata:
                  name: shop
                  namespace: default
                spec:
                  deploymentPipelineRef:
                    name: std
                """);
        for (int i = 0; i < n; i++) {
            String c = comp(i);
            String dir = "projects/shop/components/" + c + "/";
            GitopsFixtures.write(root, dir + "component.yaml", """
                    apiVersion: openchoreo.dev/v1alpha1
                    kind: Component
                    metadata:
                      name: %s
                      namespace: default
                    spec:
                      owner:
                        projectName: shop
                      componentType:
                        name: deployment/service
                    """.formatted(c));
            GitopsFixtures.write(root, dir + "release-bindings/" + c + "-development.yaml", """
                    apiVersion: openchoreo.dev/v1alpha1
                    kind: ReleaseBinding
                    metadata:
                      name: %s-development
                      namespace: default
                    spec:
                      environment: development
                      owner:
                        componentName: %s
                        projectName: shop
                      releaseName: %s-20260101-1
                    """.formatted(c, c, c));
        }
        if (broken != null) {
            GitopsFixtures.write(root, "projects/shop/components/" + broken + "/component.yaml", """
                    apiVersion: openchoreo.dev/v1alpha1
                    kind: Component
                    metadata:
                      name: %s
                      namespace: default
                    spec:
                      owner:
                        projectName: shop
                      componentType:
                        name: deployment/service
                    """.formatted(broken));
        }
        return root;
    }

    @Test
    void gitOpsModeOneCommitOnePrAllBindings(@TempDir Path ws) throws Exception {
        Path content = repo(ws.resolve("content"), N, "zz-never-deployed");
        Path bare = ws.resolve("gitops.git");
        LocalGitOpsRepository.seedIfMissing(bare, content, "main");
        ReleaseSettings s = new ReleaseSettings(bare.toString(), null, null, null, null, null, null, null, false, null,
                List.of());
        RecordingProgress progress = new RecordingProgress();
        StepResult r = OpenReleasePrRequest.create().settings(s, null, null, null, null, null, null, null)
                .release("shop", null, null, null, null, "staging", null).bulk(null, true).call(ws, progress);

        assertThat(r.failure()).isEqualTo("1 component(s) failed to promote to staging: shop/zz-never-deployed"
                + " (the others were done)");
        assertThat((List<?>) r.value("components")).hasSize(N);
        assertThat(r.value("branch")).isEqualTo("release/shop-staging");
        try (Repository repo = FileRepositoryBuilder.create(bare.toFile()); RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve("refs/heads/release/shop-staging");
            RevCommit commit = walk.parseCommit(head);
            assertThat(commit.getParentCount()).isEqualTo(1);
            assertThat(commit.getParent(0).getId()).isEqualTo(repo.resolve("refs/heads/main"));
            CanonicalTreeParser a = new CanonicalTreeParser(null, repo.newObjectReader(),
                    walk.parseCommit(commit.getParent(0)).getTree());
            CanonicalTreeParser b = new CanonicalTreeParser(null, repo.newObjectReader(), commit.getTree());
            List<DiffEntry> diff = Git.wrap(repo).diff().setOldTree(a).setNewTree(b).call();
            assertThat(diff).hasSize(N).allSatisfy(d -> {
                assertThat(d.getChangeType()).isEqualTo(DiffEntry.ChangeType.ADD);
                assertThat(d.getNewPath()).endsWith("-staging.yaml");
            });
        }
        assertThat(progress.text()).contains("failed shop/zz-never-deployed: no ReleaseBinding found in previous"
                + " environment \"development\"");
    }

    @Test
    void apiModeOneBindingUpdatePerComponent() throws Exception {
        String secret = "canary-bulk-secret-31c7";
        try (OpenChoreoApiStub stub = new OpenChoreoApiStub(OpenChoreoApiStub.specOrSkip(), secret)) {
            stub.pipeline("default", "std", "development", "staging");
            stub.project("default", "shop", "std");
            for (int i = 0; i < N; i++) {
                String c = comp(i);
                stub.component("default", "shop", c);
                stub.store("releasebindings", "default", (ObjectNode) JSON.readTree("""
                        {"metadata":{"name":"%s-development","namespace":"default"},
                         "spec":{"owner":{"projectName":"shop","componentName":"%s"},"environment":"development",
                          "releaseName":"%s-r1"}}""".formatted(c, c, c)));
            }
            stub.component("default", "shop", "zz-never-deployed");
            RecordingProgress progress = new RecordingProgress();
            StepResult r = OpenReleasePrRequest.create()
                    .release("shop", null, null, null, null, "staging", null).bulk(null, true)
                    .api("api-server", stub.url(), new OpenChoreoAuth.ClientCredentials(OpenChoreoApiStub.CLIENT_ID,
                            Secret.of(secret), null, null), 8)
                    .call(Path.of("."), progress);
            assertThat(r.failure()).contains("shop/zz-never-deployed");
            assertThat((List<?>) r.value("components")).hasSize(N);
            for (int i = 0; i < N; i++) {
                assertThat(stub.object("releasebindings", "default", comp(i) + "-staging").orElseThrow()
                        .at("/spec/releaseName").asText()).isEqualTo(comp(i) + "-r1");
            }
            assertThat(stub.count("releasebindings")).isEqualTo(2L * N);
            assertThat(stub.tokensIssued()).isEqualTo(1);
            assertThat(stub.violations()).isEmpty();
            assertThat(progress.text()).doesNotContain(secret);
        }
    }
}
