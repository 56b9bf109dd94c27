package io.jenkins.plugins.gitopsrelease;

import hudson.FilePath;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.release.GenerateRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What a Pipeline step adds over the engine call it wraps (issue 12: median of 20, goal ≤ 50 ms). Not a test (no
 * assertion on time): run it with {@code ./mvnw -Pjenkins -pl plugin test -Dtest=StepOverheadBench} and read the
 * printed line. Both sides generate the same release files into a fresh copy of the example repository, warm.
 */
@WithJenkins
class StepOverheadBench {
    static final int N = 20;
    static final String IMAGE = "reg.example.com/hello-web:1.0@sha256:" + "c".repeat(64);

    @Test
    void stepVersusEngine(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "overhead");
        // Not sandboxed, so that the script may read the clock around each step call.
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  for (int i = 0; i < " + (2 * N) + "; i++) {\n"
                + "    long t0 = System.nanoTime()\n"
                + "    generateGitopsResources project: 'shop', component: 'hello-web', image: '" + IMAGE + "',"
                + " descriptor: 'workload.yaml', root: 'gitops', releaseName: \"hello-web-20260101-${i}\", targetEnv: 'development'\n"
                + "    echo \"step-ms=${(System.nanoTime() - t0) / 1000000.0d}\"\n"
                + "  }\n"
                + "}", false));
        FilePath ws = j.jenkins.getWorkspaceFor(job);
        prepare(ws);
        WorkflowRun run = j.buildAndAssertSuccess(job);
        List<Double> step = new ArrayList<>();
        Matcher m = Pattern.compile("step-ms=([0-9.]+)").matcher(JenkinsRule.getLog(run));
        while (m.find()) {
            step.add(Double.parseDouble(m.group(1)));
        }

        FilePath direct = j.jenkins.getRootPath().child("direct");
        prepare(direct);
        Path root = Path.of(direct.getRemote());
        List<Double> engine = new ArrayList<>();
        for (int i = 0; i < 2 * N; i++) {
            GenerateRequest r = new GenerateRequest().project("shop").component("hello-web").image(IMAGE)
                    .descriptor("workload.yaml").root("gitops").releaseName("hello-web-20260101-" + i)
                    .targetEnv("development");
            long t0 = System.nanoTime();
            r.run(root, Map.of(), Progress.NONE);
            engine.add((System.nanoTime() - t0) / 1e6);
        }
        // The first N of each side warm the JIT; the medians are over the last N.
        double s = median(step.subList(N, 2 * N));
        double e = median(engine.subList(N, 2 * N));
        System.out.printf("step-overhead: generateGitopsResources step median %.1f ms, engine call median %.1f ms,"
                + " overhead %.1f ms (n=%d, goal <= 50 ms)%n", s, e, s - e, N);
    }

    static void prepare(FilePath ws) throws Exception {
        StepsTest.example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        StepsTest.example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        StepsTest.example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
