package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark (run by hand through bench/gitops-generate.sh, not by surefire): a generated repository of 1,000
 * components in 20 projects with 3 environments, built from the OpenChoreo sample's platform resources.
 * Prints index time, one component's full generate, componentrelease generate --all, and peak heap.
 */
public final class GitopsBench {
    public static void main(String[] args) throws Exception {
        int projects = 20;
        int perProject = 50;
        Path root = Files.createTempDirectory("gitops-bench");
        Path sample = GitopsFixtures.sample().resolve("namespaces/default/platform");
        for (String f : new String[] {"component-types/service.yaml", "component-types/database.yaml",
                "traits/persistent-volume.yaml", "infra/deployment-pipelines/standard.yaml",
                "infra/environments/development.yaml", "infra/environments/staging.yaml",
                "infra/environments/production.yaml"}) {
            GitopsFixtures.write(root, "namespaces/default/platform/" + f, Files.readString(sample.resolve(f)));
        }
        for (int p = 0; p < projects; p++) {
            String proj = "proj-" + p;
            GitopsFixtures.write(root, "namespaces/default/projects/" + proj + "/project.yaml",
                    "apiVersion: openchoreo.dev/v1alpha1\nkind: Project\nmetadata:\n  name: " + proj
                            + "\n  namespace: default\nspec:\n  deploymentPipelineRef:\n    name: standard\n");
            for (int c = 0; c < perProject; c++) {
                String comp = "svc-" + p + "-" + c;
                String dir = "namespaces/default/projects/" + proj + "/components/" + comp + "/";
                GitopsFixtures.write(root, dir + "component.yaml", "apiVersion: openchoreo.dev/v1alpha1\nkind: Component\n"
                        + "metadata:\n  name: " + comp + "\n  namespace: default\nspec:\n  owner:\n    projectName: " + proj
                        + "\n  componentType:\n    name: deployment/service\n    kind: ComponentType\n  parameters:\n"
                        + "    exposed: true\n    replicas: 1\n    port: 8080\n");
                GitopsFixtures.write(root, dir + "workload.yaml", "apiVersion: openchoreo.dev/v1alpha1\nkind: Workload\n"
                        + "metadata:\n  name: " + comp + "-workload\n  namespace: default\nspec:\n  owner:\n"
                        + "    projectName: " + proj + "\n    componentName: " + comp + "\n  container:\n"
                        + "    image: reg.example/" + comp + ":v1\n    env:\n    - key: A\n      value: b\n"
                        + "  endpoints:\n    http:\n      type: HTTP\n      port: 8080\n      visibility: [external]\n");
            }
        }
        DirectoryFiles files = new DirectoryFiles(root);
        int fileCount = files.list().size();

        long t0 = System.nanoTime();
        GitopsIndex idx = GitopsIndex.build(files);
        double indexCold = ms(t0);
        double indexWarm = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            GitopsIndex.build(files);
            indexWarm = Math.min(indexWarm, ms(t));
        }

        double oneWithIndex = Double.MAX_VALUE;
        double oneGivenIndex = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            Generate.on(files).project("proj-3").component("svc-3-7").image("reg.example/svc-3-7:v" + (i + 2))
                    .clock(GitopsFixtures.CLOCK).call();
            oneWithIndex = Math.min(oneWithIndex, ms(t));
            t = System.nanoTime();
            Generate.on(files).index(idx).project("proj-3").component("svc-3-7").image("reg.example/svc-3-7:v" + (i + 2))
                    .clock(GitopsFixtures.CLOCK).call();
            oneGivenIndex = Math.min(oneGivenIndex, ms(t));
        }

        long t = System.nanoTime();
        ComponentReleaseGenerate.Result all = ComponentReleaseGenerate.on(files).all(true).clock(GitopsFixtures.CLOCK)
                .call();
        files.apply(all.changes());
        double allMs = ms(t);

        t = System.nanoTime();
        ReleaseBindingGenerate.Result bind = ReleaseBindingGenerate.on(files).all(true).usePipeline("standard")
                .targetEnv("development").call();
        files.apply(bind.changes());
        double bindMs = ms(t);

        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("repository: %d files, %d components, %d projects, 3 environments (%s)%n", fileCount,
                projects * perProject, projects, root);
        System.out.printf("index (cold)                              %8.1f ms  target <= 1000 ms  ratio %.2f%n",
                indexCold, indexCold / 1000);
        System.out.printf("index (warm, best of 3)                   %8.1f ms%n", indexWarm);
        System.out.printf("generate one component (incl. index)      %8.1f ms  target <=  200 ms  ratio %.2f%n",
                oneWithIndex, oneWithIndex / 200);
        System.out.printf("generate one component (index given)      %8.1f ms%n", oneGivenIndex);
        System.out.printf("componentrelease generate --all (+write)  %8.1f ms  target <= 5000 ms  ratio %.2f  (%s)%n",
                allMs, allMs / 5000, all.summary());
        System.out.printf("releasebinding generate --all (+write)    %8.1f ms  (%s)%n", bindMs, bind.summary());
        System.out.printf("peak heap (sum of heap pools)             %8.1f MB  target <=  256 MB  ratio %.2f  (max %d MB)%n",
                peak / 1048576.0, peak / 1048576.0 / 256, Runtime.getRuntime().maxMemory() / 1048576);
        if (!all.failed().isEmpty() || !bind.failed().isEmpty()) {
            System.exit(1);
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
