package io.jenkins.plugins.gitopsrelease.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.OpenChoreoApiStub;
import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark (run by hand through bench/bulk-promotion.sh, not by surefire): 200 components of one project promoted
 * to staging in one run. api-server mode against the local validating OpenChoreo stub, with 8 requests in flight and
 * with 1 (the ratio is the parallelism's gain); GitOps mode into a local bare repository (one commit, one branch).
 */
public final class BulkPromotionBench {
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path spec = Path.of(System.getProperty("gitopsrelease.shared", "../shared"),
                "fixtures/openchoreo-api/openchoreo-api.yaml");
        double[] api = new double[2];
        int[] parallel = {1, 8};
        for (int k = 0; k < 2; k++) {
            try (OpenChoreoApiStub stub = new OpenChoreoApiStub(spec, "bench-secret")) {
                stub.pipeline("default", "std", "development", "staging");
                stub.project("default", "shop", "std");
                for (int i = 0; i < n; i++) {
                    String c = BulkPromotionTest.comp(i);
                    stub.component("default", "shop", c);
                    stub.store("releasebindings", "default", (ObjectNode) JSON.readTree(("{\"metadata\":{\"name\":\"%s"
                            + "-development\",\"namespace\":\"default\"},\"spec\":{\"owner\":{\"projectName\":\"shop\","
                            + "\"componentName\":\"%s\"},\"environment\":\"development\",\"releaseName\":\"%s-r1\"}}")
                            .formatted(c, c, c)));
                }
                stub.violations(); // the validator parses the document once per JVM: not the tool's time
                OpenReleasePrRequest req = OpenReleasePrRequest.create()
                        .release("shop", null, null, null, null, "staging", null).bulk(null, true)
                        .api("api-server", stub.url(), new OpenChoreoAuth.ClientCredentials(OpenChoreoApiStub.CLIENT_ID,
                                Secret.of("bench-secret"), null, null), parallel[k]);
                long t0 = System.nanoTime();
                StepResult r = req.call(Path.of("."), new RecordingProgress());
                api[k] = (System.nanoTime() - t0) / 1e9;
                if (r.failure() != null || ((List<?>) r.value("components")).size() != n) {
                    throw new IllegalStateException("bulk promotion failed: " + r.failure());
                }
                List<String> v = stub.violations();
                System.out.printf("api-server, %d components, parallel %d: %.2f s (%d OpenAPI violations)%n", n,
                        parallel[k], api[k], v.size());
            }
        }
        System.out.printf("api-server parallel 8 vs 1: %.1fx faster%n", api[0] / api[1]);

        Path ws = Files.createTempDirectory("bulk-bench");
        Path content = BulkPromotionTest.repo(ws.resolve("content"), n, null);
        Path bare = ws.resolve("gitops.git");
        LocalGitOpsRepository.seedIfMissing(bare, content, "main");
        ReleaseSettings s = new ReleaseSettings(bare.toString(), null, null, null, null, null, null, null, false, null,
                List.of());
        long t0 = System.nanoTime();
        StepResult r = OpenReleasePrRequest.create().settings(s, null, null, null, null, null, null, null)
                .release("shop", null, null, null, null, "staging", null).bulk(null, true)
                .call(ws, new RecordingProgress());
        double git = (System.nanoTime() - t0) / 1e9;
        System.out.printf("gitops, %d components: %.2f s (one commit on %s, %d files)%n", n, git, r.value("branch"),
                ((List<?>) r.value("files")).size());
    }
}
