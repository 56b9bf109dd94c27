package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.ReportJson;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-stage times of the full release cycle (the acceptance test's happy path: build, push, generate, push branch,
 * PR, merge, watch, promote, promotion PR) against the same local parts, N runs per builder; prints the medians.
 * Run by bench/release-cycle.sh, not by the test suite.
 */
public final class ReleaseCycleBench {
    private ReleaseCycleBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ReleaseAcceptanceTest.dev.start();
        ReleaseAcceptanceTest.staging.start();
        ReleaseAcceptanceTest.git.start();
        ReleaseAcceptanceTest.forge.start();
        ReleaseAcceptanceTest.kube.start();
        try {
            for (String builder : List.of("jib", "dockerfile")) {
                Map<String, List<Long>> times = new LinkedHashMap<>();
                List<Long> walls = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    ReleaseAcceptanceTest t = new ReleaseAcceptanceTest();
                    t.tmp = Files.createTempDirectory("release-bench");
                    ReleaseAcceptanceTest.forge.server().resetAll();
                    t.setUp();
                    t.stubGitHub();
                    t.reviewerMergesThenClusterRollsOut(false);
                    long start = System.nanoTime();
                    int code = t.release(builder, "--wait-merge", "--merge-poll", "1s", "--watch", "--promote-to",
                            "staging");
                    walls.add((System.nanoTime() - start) / 1_000_000);
                    if (code != 0) {
                        throw new IllegalStateException("release failed: " + t.err);
                    }
                    ReleaseReport r = ReportJson.read(t.tmp.resolve("report.json"));
                    for (ReleaseReport.StageTiming s : r.stages()) {
                        times.computeIfAbsent(s.stage(), k -> new ArrayList<>()).add(s.duration().toMillis());
                    }
                }
                StringBuilder line = new StringBuilder(builder + " (" + runs + " runs, median ms): wall="
                        + median(walls));
                times.forEach((stage, v) -> line.append(' ').append(stage.replace(' ', '_')).append('=')
                        .append(median(v)));
                System.out.println(line);
            }
        } finally {
            ReleaseAcceptanceTest.kube.close();
            ReleaseAcceptanceTest.forge.close();
            ReleaseAcceptanceTest.git.close();
            ReleaseAcceptanceTest.staging.close();
            ReleaseAcceptanceTest.dev.close();
        }
    }

    static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
