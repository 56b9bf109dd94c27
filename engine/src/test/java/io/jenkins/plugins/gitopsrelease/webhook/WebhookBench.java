package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (run by hand through bench/webhook-match.sh, not by surefire): 10,000 auto-build components against a
 * push of 1,000 paths. Worst case first: all 10,000 in the pushed monorepo. Compares the indexed matching with the
 * direct rule (every component × every path, as OpenChoreo's processor scans; URLs normalised beforehand) and prints the ratio; also the full
 * delivery (HMAC + JSON parse + match) and the index build from 10,000 component files on disk.
 */
public final class WebhookBench {
    public static void main(String[] args) throws Exception {
        int components = 10_000;
        int pathsPerPush = 1_000;
        Random rnd = new Random(42);
        String repo = "https://github.com/acme/monorepo.git";
        List<AutoBuildComponent> cs = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            cs.add(new AutoBuildComponent("default", "proj-" + (i % 50), "svc-" + i, true,
                    i % 2 == 0 ? repo : "git@github.com:acme/monorepo.git", "main", "/services/svc-" + i, ""));
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < pathsPerPush; i++) {
            paths.add(i % 4 == 0 ? "docs/page-" + i + ".md"
                    : "services/svc-" + rnd.nextInt(components) + "/src/main/java/File" + i + ".java");
        }
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < paths.size(); i += 100) {
            commits.add(Commit.modified(paths.subList(i, i + 100).toArray(String[]::new)));
        }
        byte[] body = Payloads.bytes(Payloads.github("acme/monorepo", "refs/heads/main", Payloads.BEFORE,
                Payloads.AFTER, commits));
        Headers headers = Headers.of(Payloads.githubHeaders("push", "bench-secret", body));

        long t = System.nanoTime();
        ComponentIndex index = ComponentIndex.of(cs);
        double indexList = ms(t);
        double indexWarm = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long w = System.nanoTime();
            ComponentIndex.of(cs);
            indexWarm = Math.min(indexWarm, ms(w));
        }
        Push push = WebhookMatch.of(Provider.GITHUB, headers, body).secret(Secret.of("bench-secret")).verify()
                .pushes().get(0);

        String[] normalized = cs.stream().map(c -> RepoUrls.normalize(c.repositoryUrl())).toArray(String[]::new);
        int rounds = 200;
        double[] matchMs = new double[rounds];
        double[] naiveMs = new double[rounds];
        double[] fullMs = new double[rounds];
        int matched = 0;
        int naiveMatched = 0;
        for (int r = 0; r < rounds; r++) {
            long a = System.nanoTime();
            matched = index.match(push).size();
            matchMs[r] = ms(a);
            long b = System.nanoTime();
            naiveMatched = naive(cs, normalized, push);
            naiveMs[r] = ms(b);
            long c = System.nanoTime();
            WebhookMatch.of(Provider.GITHUB, headers, body).secret(Secret.of("bench-secret")).components(index).call();
            fullMs[r] = ms(c);
        }
        if (matched != naiveMatched) {
            throw new IllegalStateException("indexed " + matched + " != direct " + naiveMatched);
        }

        // The same 10,000 components as files of a GitOps repository, read through the generation index.
        Path root = Files.createTempDirectory("webhook-bench");
        for (int i = 0; i < components; i++) {
            WebhookFixtures.component(root, "proj-" + (i % 50), "svc-" + i, true, repo, "main", "/services/svc-" + i);
        }
        long f = System.nanoTime();
        ComponentIndex fromFiles = ComponentIndex.of(new DirectoryFiles(root));
        double indexFiles = ms(f);

        System.out.printf("components=%d paths=%d body=%d bytes matched=%d (same as the direct rule)%n", components,
                paths.size(), body.length, matched);
        System.out.printf("match (indexed)           median %.3f ms  p95 %.3f ms  max %.3f ms%n", median(matchMs),
                p95(matchMs), max(matchMs));
        System.out.printf("match (direct, all x all) median %.3f ms  p95 %.3f ms  -> indexed is %.0fx faster%n",
                median(naiveMs), p95(naiveMs), median(naiveMs) / median(matchMs));
        System.out.printf("full delivery (HMAC+parse+match) median %.3f ms  p95 %.3f ms%n", median(fullMs),
                p95(fullMs));
        System.out.printf("index from a list %.1f ms cold, %.1f ms warm; from %d component files on disk %.0f ms (%d components)%n",
                indexList, indexWarm, components, indexFiles, fromFiles.components().size());
    }

    /** The rule as written: for each component, any path equal to or under its appPath. */
    private static int naive(List<AutoBuildComponent> cs, String[] normalized, Push push) {
        List<String> paths = push.paths();
        java.util.Set<String> urls = push.normalizedUrls();
        int n = 0;
        for (int i = 0; i < cs.size(); i++) {
            AutoBuildComponent c = cs.get(i);
            if (!urls.contains(normalized[i]) || !c.branch().equals(push.branch())) {
                continue;
            }
            for (String p : paths) {
                if (p.equals(c.appPath()) || p.startsWith(c.appPath() + "/")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double p95(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) (s.length * 0.95)];
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
