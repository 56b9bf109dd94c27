package io.jenkins.plugins.gitopsrelease.gitops;

import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.CLOCK;
import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.git.GitTreeFiles;
import io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One component's generation through the targeted index ({@link GitopsIndex#forComponent}) gives byte for byte what
 * it gives through the complete index ({@link GitopsIndex#build}): same files, same contents, same names, same
 * errors, on the OpenChoreo sample and on generated repositories, over three rounds (first release, unchanged,
 * new image) in every environment; and the targeted path reads no other component's files.
 */
class TargetedIndexTest {
    @TempDir
    Path root;

    /** A RepoFiles that records every path read. */
    static final class Recording implements RepoFiles {
        final RepoFiles inner;
        final Set<String> read = ConcurrentHashMap.newKeySet();

        Recording(RepoFiles inner) {
            this.inner = inner;
        }

        @Override
        public List<String> list() {
            return inner.list();
        }

        @Override
        public Optional<byte[]> read(String path) {
            read.add(path);
            return inner.read(path);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    /** What a run produced, in a form compared with equals: every field of the result and each change's bytes. */
    static String outcome(Supplier<Generate.Result> run) {
        try {
            Generate.Result r = run.get();
            StringBuilder sb = new StringBuilder();
            sb.append(r.releaseName()).append('|').append(r.releaseUnchanged()).append('|').append(r.environment())
                    .append('|').append(r.workloadPath()).append('|').append(r.releasePath()).append('|')
                    .append(r.bindingPaths()).append('|').append(r.created()).append('|').append(r.updated()).append('\n');
            for (FileChange c : r.changes()) {
                sb.append("== ").append(c.kind()).append(' ').append(c.path()).append('\n')
                        .append(new String(c.content(), StandardCharsets.UTF_8));
            }
            return sb.toString();
        } catch (GitOpsReleaseException e) {
            return "error " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * For every component and every target environment (and the pipeline's root), compares both paths; then applies
     * the root run's changes and goes on with the next round. Returns how many comparisons ended in an error.
     */
    static int compareRounds(Path root, String namespace, List<String> envs, String... images) {
        DirectoryFiles files = new DirectoryFiles(root);
        int errors = 0;
        for (String image : images) {
            GitopsIndex full = GitopsIndex.build(files);
            List<GitopsIndex.Resource> comps = full.all("Component").stream()
                    .filter(c -> c.namespace().equals(namespace)).toList();
            assertThat(comps).isNotEmpty();
            for (GitopsIndex.Resource comp : comps) {
                List<String> targets = new ArrayList<>();
                targets.add(null);
                targets.addAll(envs);
                for (String env : targets) {
                    // The third name exists after the first round: unchanged in the second, a clash error in the third.
                    String[] names = env != null ? new String[] {null}
                            : new String[] {null, comp.name() + "-custom", comp.name() + "-20260823-1"};
                    for (String releaseName : names) {
                        Supplier<Generate> g = () -> Generate.on(files).namespace(namespace)
                                .project(comp.ownerProject()).component(comp.name()).image(image).targetEnv(env)
                                .releaseName(releaseName).clock(CLOCK);
                        String expected = outcome(() -> g.get().index(GitopsIndex.build(files)).call());
                        String targeted = outcome(() -> g.get().call());
                        assertThat(targeted).as("%s/%s env=%s name=%s image=%s", comp.ownerProject(), comp.name(),
                                env, releaseName, image).isEqualTo(expected);
                        if (expected.startsWith("error ")) {
                            errors++;
                        }
                    }
                }
                // The single-step verbs take the targeted index too.
                Supplier<ComponentReleaseGenerate> crg = () -> ComponentReleaseGenerate.on(files).namespace(namespace)
                        .project(comp.ownerProject()).component(comp.name()).clock(CLOCK);
                assertThat(outcomeOf(() -> crg.get().call().changes()))
                        .isEqualTo(outcomeOf(() -> crg.get().index(GitopsIndex.build(files)).call().changes()));
                Supplier<ReleaseBindingGenerate> rbg = () -> ReleaseBindingGenerate.on(files).namespace(namespace)
                        .project(comp.ownerProject()).component(comp.name());
                assertThat(outcomeOf(() -> rbg.get().call().changes()))
                        .isEqualTo(outcomeOf(() -> rbg.get().index(GitopsIndex.build(files)).call().changes()));
                Supplier<WorkloadCreate> wc = () -> WorkloadCreate.on(files).namespace(namespace)
                        .project(comp.ownerProject()).component(comp.name()).image(image);
                assertThat(outcomeOf(() -> wc.get().call().changes()))
                        .isEqualTo(outcomeOf(() -> wc.get().index(GitopsIndex.build(files)).call().changes()));
            }
            // Move the repository on: release every component to the pipeline root with this image.
            for (GitopsIndex.Resource comp : comps) {
                try {
                    files.apply(Generate.on(files).namespace(namespace).project(comp.ownerProject())
                            .component(comp.name()).image(image).clock(CLOCK).call().changes());
                } catch (GitOpsReleaseException e) {
                    // Both paths agreed on this error above.
                }
            }
        }
        return errors;
    }

    static String outcomeOf(Supplier<List<FileChange>> run) {
        try {
            StringBuilder sb = new StringBuilder();
            for (FileChange c : run.get()) {
                sb.append("== ").append(c.kind()).append(' ').append(c.path()).append('\n')
                        .append(new String(c.content(), StandardCharsets.UTF_8));
            }
            return sb.toString();
        } catch (GitOpsReleaseException e) {
            return "error " + e.getMessage();
        }
    }

    @Test
    void sameOutputAsTheCompleteIndexOnTheOpenChoreoSample() {
        Assumptions.assumeTrue(Files.isDirectory(GitopsFixtures.sample()),
                "the OpenChoreo sample is not here (" + GitopsFixtures.sample() + "): ../shared/fixtures is absent");
        GitopsFixtures.copySample(root);
        compareRounds(root, "default", List.of("development", "staging", "production"), "reg.example/a:1",
                "reg.example/a:1", "reg.example/a:2");
    }

    /** GitopsBench's shape, smaller: projects × components, the "service" type, pipeline dev → staging → prod. */
    static void generated(Path root, String prefix, int projects, int perProject) {
        GitopsFixtures.serviceComponentType(root, prefix);
        write(root, prefix + "platform/traits/storage.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Trait
                metadata:
                  name: storage
                  namespace: default
                spec:
                  creates:
                    - template:
                        kind: PersistentVolumeClaim
                """);
        write(root, prefix + "platform/infra/deployment-pipelines/standard.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: DeploymentPipeline
                metadata:
                  name: standard
                  namespace: default
                spec:
                  promotionPaths:
                    - sourceEnvironmentRef:
                        name: development
                      targetEnvironmentRefs:
                        - name: staging
                    - sourceEnvironmentRef:
                        name: staging
                      targetEnvironmentRefs:
                        - name: production
                """);
        for (String env : List.of("development", "staging", "production")) {
            write(root, prefix + "platform/infra/environments/" + env + ".yaml", "apiVersion: openchoreo.dev/v1alpha1\n"
                    + "kind: Environment\nmetadata:\n  name: " + env + "\n  namespace: default\n");
        }
        for (int p = 0; p < projects; p++) {
            String proj = "proj-" + p;
            write(root, prefix + "projects/" + proj + "/project.yaml", "apiVersion: openchoreo.dev/v1alpha1\n"
                    + "kind: Project\nmetadata:\n  name: " + proj + "\n  namespace: default\nspec:\n"
                    + "  deploymentPipelineRef:\n    name: standard\n");
            for (int c = 0; c < perProject; c++) {
                String comp = "svc-" + p + "-" + c;
                String dir = prefix + "projects/" + proj + "/components/" + comp + "/";
                write(root, dir + "component.yaml", "apiVersion: openchoreo.dev/v1alpha1\nkind: Component\n"
                        + "metadata:\n  name: " + comp + "\n  namespace: default\nspec:\n  owner:\n    projectName: "
                        + proj + "\n  componentType:\n    name: deployment/service\n  parameters:\n    replicas: "
                        + (c + 1) + "\n" + (c % 2 == 0 ? "  traits:\n    - name: storage\n      instanceName: data\n" : ""));
                write(root, dir + "workload.yaml", "apiVersion: openchoreo.dev/v1alpha1\nkind: Workload\n"
                        + "metadata:\n  name: " + comp + "-workload\n  namespace: default\nspec:\n  owner:\n"
                        + "    projectName: " + proj + "\n    componentName: " + comp + "\n  container:\n"
                        + "    image: reg.example/" + comp + ":v1\n");
            }
        }
    }

    @Test
    void sameOutputOnAGeneratedRepositoryAndReadsNoOtherComponent() {
        generated(root, "namespaces/default/", 3, 4);
        int errors = compareRounds(root, "default", List.of("development", "staging", "production"),
                "reg.example/x:1", "reg.example/x:1", "reg.example/x:2");
        assertThat(errors).as("the rounds also compare error paths (a release name that exists with another spec)").isPositive();

        Recording rec = new Recording(new DirectoryFiles(root));
        Generate.on(rec).project("proj-1").component("svc-1-2").image("reg.example/x:3").clock(CLOCK).call();
        assertThat(rec.read).isNotEmpty().allSatisfy(p -> assertThat(p).satisfiesAnyOf(
                q -> assertThat(q).contains("/platform/"),
                q -> assertThat(q).isEqualTo("namespaces/default/projects/proj-1/project.yaml"),
                q -> assertThat(q).contains("/components/svc-1-2/"),
                q -> assertThat(q).isEqualTo(ReleaseConfig.FILE)));
        assertThat(rec.read).noneMatch(p -> p.contains("/svc-0-") || p.contains("/svc-2-") || p.contains("proj-0/"));
    }

    @Test
    void sameOutputWithoutTheNamespacesPrefixAndWithAReleaseConfig() {
        generated(root, "", 2, 3);
        write(root, ReleaseConfig.FILE, """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ReleaseConfig
                componentReleaseDefaults:
                  defaultOutputDir: ./releases
                  projects:
                    proj-1:
                      components:
                        svc-1-0: ./elsewhere/svc-1-0
                releaseBindingDefaults:
                  defaultOutputDir: ./bindings
                """);
        compareRounds(root, "default", List.of("development", "staging"), "reg.example/y:1", "reg.example/y:2");
    }

    @Test
    void sameOutputWhereTheLayoutDoesNotSayWhereThingsAreSoTheIndexFallsBack() {
        generated(root, "namespaces/default/", 2, 3);
        // A Workload outside its component's directory, a component without a Workload, a ComponentType only in
        // another namespace's platform directory, a cluster type in platform-shared/, a Component outside the layout.
        String wl = GitopsFixtures.read(root, "namespaces/default/projects/proj-0/components/svc-0-1/workload.yaml");
        write(root, "apps/svc-0-1.yaml", wl);
        write(root, "namespaces/default/projects/proj-0/components/svc-0-1/workload.yaml", "# moved\n");
        write(root, "namespaces/default/projects/proj-1/components/svc-1-1/workload.yaml", "# none yet\n");
        write(root, "namespaces/other/platform/component-types/worker.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ComponentType
                metadata:
                  name: worker
                  namespace: other
                spec:
                  workloadType: deployment
                """);
        write(root, "namespaces/default/projects/proj-1/components/svc-1-2/component.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Component
                metadata:
                  name: svc-1-2
                  namespace: default
                spec:
                  owner:
                    projectName: proj-1
                  componentType:
                    name: deployment/worker
                """);
        write(root, "platform-shared/cluster-component-types/edge.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ClusterComponentType
                metadata:
                  name: edge
                spec:
                  workloadType: deployment
                """);
        write(root, "namespaces/default/projects/proj-1/components/svc-1-0/component.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Component
                metadata:
                  name: svc-1-0
                  namespace: default
                spec:
                  owner:
                    projectName: proj-1
                  componentType:
                    name: deployment/edge
                    kind: ClusterComponentType
                """);
        write(root, "misc/extra-component.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Component
                metadata:
                  name: loose
                  namespace: default
                spec:
                  owner:
                    projectName: proj-0
                  componentType:
                    name: deployment/service
                ---
                apiVersion: openchoreo.dev/v1alpha1
                kind: Workload
                metadata:
                  name: loose-workload
                  namespace: default
                spec:
                  owner:
                    projectName: proj-0
                    componentName: loose
                  container:
                    image: reg.example/loose:1
                """);
        compareRounds(root, "default", List.of("development", "staging"), "reg.example/z:1", "reg.example/z:1",
                "reg.example/z:2");
    }

    /** open-pr's path: a commit's tree read through GitTreeFiles (partial tree walks, blobs by path). */
    @Test
    void sameOutputOverAGitCommitTree() throws Exception {
        Path content = root.resolve("content");
        generated(content, "namespaces/default/", 3, 3);
        DirectoryFiles dir = new DirectoryFiles(content);
        for (String c : List.of("svc-0-0", "svc-1-1", "svc-2-2")) {
            dir.apply(Generate.on(dir).project("proj-" + c.charAt(4)).component(c).image("reg.example/t:1").clock(CLOCK)
                    .call().changes());
        }
        Path bare = root.resolve("gitops.git");
        LocalGitOpsRepository.seedIfMissing(bare, content, "main");
        try (Repository repo = FileRepositoryBuilder.create(bare.toFile()); RevWalk rw = new RevWalk(repo)) {
            var tree = rw.parseCommit(repo.resolve("refs/heads/main")).getTree();
            GitopsIndex.Scope scope = new GitopsIndex.Scope("default", "proj-1", "svc-1-1", null, null, null);
            // The partial tree walk lists what filtering the full listing gives.
            GitTreeFiles partial = new GitTreeFiles(repo, tree, "main");
            List<String> walked = partial.list(scope::descend);
            assertThat(walked).isNotEmpty().isEqualTo(new Recording(new GitTreeFiles(repo, tree, "main"))
                    .list(scope::descend));
            assertThat(walked).noneMatch(p -> p.contains("/proj-0/components/") || p.contains("/svc-1-0/"));
            for (String c : List.of("svc-0-0", "svc-1-1", "svc-1-2", "svc-2-2")) {
                for (String env : new String[] {null, "staging"}) {
                    Supplier<Generate> g = () -> Generate.on(new GitTreeFiles(repo, tree, "main"))
                            .project("proj-" + c.charAt(4)).component(c).image("reg.example/t:2").targetEnv(env)
                            .clock(CLOCK);
                    String expected = outcome(() -> Generate.on(dir).index(GitopsIndex.build(dir))
                            .project("proj-" + c.charAt(4)).component(c).image("reg.example/t:2").targetEnv(env)
                            .clock(CLOCK).call());
                    assertThat(outcome(() -> g.get().call())).as(c + " " + env).isEqualTo(expected);
                }
            }
        }
    }
}
