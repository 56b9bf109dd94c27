package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/watch-latency.sh: from the status update that completes a Deployment rollout to WatchDeployment's return,
 * over N runs against the fabric8 mock (CRUD mode) on 127.0.0.1; and the API requests each successful watch made,
 * counted on the server (requests carrying the watch's token) and by the client's interceptor.
 */
public final class WatchLatencyBench {
    private static final String TOKEN = "bench-token";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int warmup = 5;
        List<Long> fromCommit = new ArrayList<>();
        List<Long> fromRequest = new ArrayList<>();
        List<Integer> serverRequests = new ArrayList<>();
        List<Integer> clientRequests = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (KubeMockFixture kube = new KubeMockFixture().start()) {
            for (int i = 0; i < warmup + runs; i++) {
                String ns = "bench-" + i;
                var d = DeploymentWatchTest.create(kube, ns, "api", "registry.example.com/shop/api:v1." + i, 3);
                d.editStatus(x -> {
                    x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
                            .withReplicas(4).withUpdatedReplicas(2).withReadyReplicas(3).withAvailableReplicas(3)
                            .build());
                    return x;
                });
                kube.takeRecorded();
                String image = "registry.example.com/shop/api:v1." + i;
                Future<long[]> watch = pool.submit(() -> {
                    WatchResult r = WatchDeployment.create()
                            .setAccess(KubeAccess.server(kube.url(), Secret.of(TOKEN), null, null))
                            .setTarget(Target.of(TargetKind.DEPLOYMENT, ns, "api"))
                            .setImage(image)
                            .setTimeout(Duration.ofSeconds(30))
                            .call();
                    long returned = System.nanoTime();
                    if (!r.ready()) {
                        throw new IllegalStateException("run failed: " + r.reason());
                    }
                    return new long[] {returned, r.apiRequests()};
                });
                while (kube.openWatches() == 0) {
                    Thread.onSpinWait();
                }
                long requested = System.nanoTime();
                d.editStatus(x -> {
                    x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
                            .withReplicas(3).withUpdatedReplicas(3).withReadyReplicas(3).withAvailableReplicas(3)
                            .build());
                    return x;
                });
                long committed = System.nanoTime();
                long[] result = watch.get();
                int server = 0;
                for (RecordedRequest q : kube.takeRecorded()) {
                    if (("Bearer " + TOKEN).equals(q.getHeader("Authorization"))) {
                        server++;
                    }
                }
                if (i >= warmup) {
                    fromCommit.add(Math.max(0, result[0] - committed));
                    fromRequest.add(result[0] - requested);
                    clientRequests.add((int) result[1]);
                    serverRequests.add(server);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("watch-latency: " + runs + " runs (" + warmup + " warm-up runs not counted), fabric8 mock"
                + " on 127.0.0.1, JDK " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        report("status update committed -> step returned", fromCommit, 100, 500);
        report("status update sent      -> step returned", fromRequest, 100, 500);
        System.out.printf(Locale.ROOT, "API requests per successful Deployment watch: server-side min %d max %d;"
                + " client interceptor min %d max %d (target <= 5)%n",
                serverRequests.stream().mapToInt(x -> x).min().orElse(0),
                serverRequests.stream().mapToInt(x -> x).max().orElse(0),
                clientRequests.stream().mapToInt(x -> x).min().orElse(0),
                clientRequests.stream().mapToInt(x -> x).max().orElse(0));
        System.exit(0);
    }

    private static void report(String label, List<Long> nanos, long p50TargetMs, long p99TargetMs) {
        List<Long> s = new ArrayList<>(nanos);
        s.sort(null);
        double p50 = ms(pct(s, 50));
        double p90 = ms(pct(s, 90));
        double p99 = ms(pct(s, 99));
        double max = ms(s.get(s.size() - 1));
        System.out.printf(Locale.ROOT, "%s: p50 %.1f ms (target <= %d, ratio %.2f), p90 %.1f ms, p99 %.1f ms"
                + " (target <= %d, ratio %.2f), max %.1f ms%n", label, p50, p50TargetMs, p50 / p50TargetMs, p90, p99,
                p99TargetMs, p99 / p99TargetMs, max);
    }

    private static long pct(List<Long> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
