package io.jenkins.plugins.gitopsrelease.buildrecord;

import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figures for bench/record.sh (not a test): reading a build record with N annotations from a local registry without
 * the referrers API (the tag-schema path), in one JVM after warm-up. Both sides in one go: the record as ReadRecord
 * reads it (one listing + the tag list, entries accepted by their canonical digest) against the naive read that
 * fetches every annotation manifest (N GETs, 8 in parallel). Args: REGISTRY_HOST N ROUNDS.
 */
public final class RecordBench {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        RegistryClient c = RegistryClient.builder(host).insecure(true).build();
        String repo = "bench/record" + System.nanoTime();
        Manifest img = TestImages.image(c, repo, "1.0", "amd64", 1000);
        Descriptor subject = RecordStore.subjectOf(img);

        // set-up (not measured): N annotations as Annotate writes them, without N index rewrites
        long t0 = System.nanoTime();
        c.pushBlob(repo, AnnotationArtifact.EMPTY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Manifest>> fs = new ArrayList<>();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            Annotation a = new Annotation("check-" + (i % 50), "value-" + i, "bench", base.plusSeconds(i),
                    "https://ci.example/job/app/" + i + "/");
            fs.add(pool.submit(() -> {
                c.pushBlob(repo, AnnotationArtifact.blob(a));
                Manifest m = AnnotationArtifact.manifest(subject, a);
                c.putManifest(repo, m.digest(), m);
                c.putManifest(repo, RecordStore.annotationTag(subject.digest(), m.digest()), m);
                return m;
            }));
        }
        List<Manifest> all = new ArrayList<>();
        for (Future<Manifest> f : fs) {
            all.add(f.get());
        }
        // one writer's convergence pass builds the index from the tags
        new RecordStore(c, repo).write(subject, new Annotation("smoke", "passed", "bench", base.plusSeconds(n), null),
                io.jenkins.plugins.gitopsrelease.core.Progress.NONE);
        System.out.printf("setup: %d annotations in %.1f s%n", n + 1, (System.nanoTime() - t0) / 1e9);

        String image = host + "/" + repo + ":1.0";
        List<Double> record = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        io.jenkins.plugins.gitopsrelease.image.registry.RequestListener counter =
                new io.jenkins.plugins.gitopsrelease.image.registry.RequestListener() {
                    @Override
                    public void before(String method, java.net.URI uri) {
                        requests.incrementAndGet();
                    }
                };
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < rounds + 5; i++) {
            requests.set(0);
            long c0 = os.getProcessCpuTime(); // this JVM only: the registry is another process
            long s = System.nanoTime();
            BuildRecord r = ReadRecord.image(image).insecure(List.of(host)).auth(RegistryAuth.anonymous())
                    .listener(counter).call();
            double ms = (System.nanoTime() - s) / 1e6;
            double cpuMs = (os.getProcessCpuTime() - c0) / 1e6;
            if (i == rounds + 4) {
                System.out.printf("HTTP requests per read: %d%n", requests.get());
            }
            if (r.annotations().size() != n + 1) {
                throw new IllegalStateException("read " + r.annotations().size() + " annotations, expected " + (n + 1));
            }
            long s2 = System.nanoTime();
            List<Future<?>> gets = new ArrayList<>();
            for (Manifest m : all) {
                gets.add(pool.submit(() -> AnnotationArtifact.verify(subject, c.getManifest(repo, m.digest()).orElseThrow())
                        .orElseThrow()));
            }
            for (Future<?> g : gets) {
                g.get();
            }
            double naiveMs = (System.nanoTime() - s2) / 1e6;
            if (i >= 5) { // the first five warm up the JIT and the connection pool
                record.add(ms);
                cpu.add(cpuMs);
                naive.add(naiveMs);
            } else if (i == 0) {
                System.out.printf("first read (cold JVM): %.1f ms%n", ms);
            }
        }
        pool.shutdownNow();
        System.out.printf("RECORD_READ_MS_MEDIAN=%.1f%n", median(record));
        System.out.printf("RECORD_READ_MS_MAX=%.1f%n", Collections.max(record));
        // the OS counts CPU time in 10 ms ticks: the mean over all rounds is the finer figure
        System.out.printf("RECORD_READ_CPU_MS_MEAN=%.1f (process CPU of the reading JVM, all threads, per read)%n",
                cpu.stream().mapToDouble(Double::doubleValue).sum() / cpu.size());
        System.out.printf("NAIVE_FETCH_EACH_MS_MEDIAN=%.1f%n", median(naive));
        System.out.printf("RATIO_NAIVE_OVER_RECORD=%.1f%n", median(naive) / median(record));
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
