package io.jenkins.plugins.gitopsrelease.cli;

import static io.jenkins.plugins.gitopsrelease.cli.HostileInputs.badValue;
import static io.jenkins.plugins.gitopsrelease.cli.HostileInputs.odd;
import static io.jenkins.plugins.gitopsrelease.cli.HostileInputs.pick;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile input through the CLI's own entry point ({@link Main#run}), in this JVM: mutated GitOps YAML
 * (the example repository and generated ones), bad flag values, set-image targets, build_result.json, workload
 * descriptors, kubeconfig files, gitops-release.yaml, secrets with odd bytes, push webhook deliveries, the record
 * verbs against a real registry and api-server mode against crafted answers. For every case: the exit code is
 * 0, 1 or 2; a failure is one {@code error:} line with no stack trace and no internal error; the canary secret is
 * in no output; nothing outside the case's GitOps root changed (a decoy directory next to it, the source
 * directory, the working directory); an open-pr refused as bad input pushed nothing; and the case ends within
 * {@link #PER_CASE_SECONDS} (a hang detector, not a timing assertion). After the run: no credential reached the other
 * origin crafted answers redirect to, and no secret appeared in a requested URL.
 *
 * <p>Seeded: {@code -Dhostile.seed=N} reproduces a run, {@code -Dhostile.cases=N} sets the count (default 10,000),
 * {@code -Dhostile.only=FAMILY} narrows it. A failure names the seed, the case number and its arguments.
 */
class HostileInputTest {
    static final long SEED = Long.getLong("hostile.seed", 0x16_2026_12_03L);
    static final int CASES = Integer.getInteger("hostile.cases", 10_000);
    static final String ONLY = System.getProperty("hostile.only");
    static final int FROM = Integer.getInteger("hostile.from", 0);
    /** Cases run on this many threads at once (the machine's two cores). */
    static final int LANES = Integer.getInteger("hostile.threads", 2);
    static final int PER_CASE_SECONDS = 10;
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The cases' temporary root (see {@link #tempRoot}). */
    static Path base;
    /** Per lane, a pristine copy of the example repository that each case's root hard-links to (copy-on-write). */
    static Path[] template;
    static HttpServer server;
    static HttpServer elsewhere;
    static String elsewhereUrl;
    static String serverUrl;
    static Path example;
    static Path exampleDescriptorDir;
    static Path[] bare;
    static String exampleConfig;
    /** A real registry (plain HTTP) for the record verbs, with one image per lane (lane-N/app:1.0). */
    static io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture registry;
    static String[] laneImage;
    /** Crafted OpenChoreo API answers per case, served under /oc/CASE/ of the local server. */
    static final Map<Integer, ApiScript> API = new java.util.concurrent.ConcurrentHashMap<>();
    /** Requests a crafted redirect sent elsewhere that carried a credential (must stay empty). */
    static final List<String> LEAKED = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A family of cases: its weight (per mille) and how it builds one case. */
    record Family(String name, int weight, Function<Case, List<String>> build) {
    }

    /** One case's state: its directory, generator, canary and what it may change. */
    static final class Case {
        final int index;
        final Random r;
        final Path dir;
        final Path root;
        final Path src;
        final Path outside;
        final Path out;
        final String canary;
        String bareRefsBefore;
        Path bare;
        int lane;
        /** The case names files outside the root: check that none was copied into it. */
        boolean readsOutside;

        Case(int index, Random r, Path dir, String canary) {
            this.index = index;
            this.r = r;
            this.dir = dir;
            this.root = dir.resolve("root");
            this.src = dir.resolve("src");
            this.outside = dir.resolve("outside");
            this.out = dir.resolve("out");
            this.canary = canary;
        }

        String root() {
            return root.toString();
        }

        Path write(Path file, String content) {
            try {
                Files.createDirectories(file.getParent());
                Files.deleteIfExists(file); // a hard link to the lane's template: never write through it
                Files.write(file, content.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A file holding the canary secret, sometimes with odd bytes. */
        String secretFile() {
            return write(src.resolve("secret-" + r.nextInt(1000)), HostileInputs.oddSecret(r, canary)).toString();
        }
    }

    /**
     * A directory on a RAM-backed file system when there is one ({@code /dev/shm} on Linux, or
     * {@code -Dhostile.tmp=DIR}), else the JVM's temporary directory. Each case creates and deletes a few dozen files:
     * on a disk mounted with online discard (this workplace) that file-system work alone cost more than the cases.
     */
    static Path tempRoot() throws IOException {
        String forced = System.getProperty("hostile.tmp");
        Path parent = forced != null ? Path.of(forced) : Path.of(System.getProperty("java.io.tmpdir"));
        Path shm = Path.of("/dev/shm");
        if (forced == null && Files.isDirectory(shm) && Files.isWritable(shm)
                && Files.getFileStore(shm).getUsableSpace() > 1L << 30) {
            parent = shm;
        }
        return Files.createTempDirectory(parent, "hostile-");
    }

    @BeforeAll
    static void start() throws Exception {
        base = tempRoot();
        Path top = Path.of("").toAbsolutePath();
        while (top != null && !Files.isDirectory(top.resolve("examples/gitops-repo"))) {
            top = top.getParent();
        }
        assertThat(top).as("examples/gitops-repo above " + Path.of("").toAbsolutePath()).isNotNull();
        example = top.resolve("examples/gitops-repo");
        exampleDescriptorDir = top.resolve("examples/hello-web");
        exampleConfig = Files.readString(top.resolve("examples/gitops-release.yaml"));
        // Every API (Kubernetes, forges, registries) answers 401 at once: cases never wait on the network.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/oc/", HostileInputTest::openChoreo);
        // Another origin (another port): where crafted answers redirect. A credential arriving here followed a
        // redirect off the API's origin, or was put into a URL.
        elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        elsewhere.createContext("/", ex -> {
            // where crafted answers redirect: a credential that followed the redirect is a leak
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null || ex.getRequestURI().toString().contains("CANARY")) {
                LEAKED.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Authorization: " + auth);
            }
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        elsewhere.start();
        elsewhereUrl = "http://127.0.0.1:" + elsewhere.getAddress().getPort();
        server.createContext("/", ex -> {
            byte[] body = "{\"message\":\"Unauthorized\",\"kind\":\"Status\",\"code\":401}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "hostile-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        serverUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        // Load the Kubernetes client's classes once, outside the cases: a cold start on a busy machine is not a hang.
        Main.run(new String[] {"watch-deployment", "--server", serverUrl, "--deployment", "warm-up", "-n", "x",
            "--timeout", "5s"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        registry = io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture.plain().start();
        laneImage = new String[LANES];
        for (int l = 0; l < LANES; l++) {
            var m = io.jenkins.plugins.gitopsrelease.testinfra.TestImages.image(registry, "lane-" + l + "/app", "1.0",
                    "amd64", 64);
            laneImage[l] = registry.host() + "/lane-" + l + "/app@" + m.digest();
        }
        // A bare GitOps repository for open-pr: file:// needs no server.
        Path seed = base.resolve("seed");
        copyTree(example, seed);
        try (Git g = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("t", "t@x").setCommitter("t", "t@x").setSign(false).call();
        }
        bare = new Path[LANES];
        template = new Path[LANES];
        for (int l = 0; l < LANES; l++) {
            template[l] = base.resolve("template-" + l);
            copyTree(example, template[l]);
            bare[l] = base.resolve("gitops-" + l + ".git");
            Git.cloneRepository().setURI(seed.toUri().toString()).setDirectory(bare[l].toFile()).setBare(true).call()
                    .close();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (elsewhere != null) {
            elsewhere.stop(0);
        }
        if (registry != null) {
            registry.close();
        }
        if (base != null) {
            deleteTree(base);
        }
    }

    static final List<Family> FAMILIES = List.of(
            new Family("gitops-yaml", 300, HostileInputTest::gitopsYaml),
            new Family("generated-repo", 80, HostileInputTest::generatedRepo),
            new Family("flags", 200, HostileInputTest::flags),
            new Family("set-image", 120, HostileInputTest::setImage),
            new Family("build-result", 70, HostileInputTest::buildResult),
            new Family("descriptor", 90, HostileInputTest::descriptor),
            new Family("kubeconfig", 60, HostileInputTest::kubeconfig),
            new Family("settings", 40, HostileInputTest::settings),
            new Family("secrets", 40, HostileInputTest::secrets),
            new Family("webhook", 100, HostileInputTest::webhook),
            new Family("record-verbs", 60, HostileInputTest::recordVerbs),
            new Family("api-server", 80, HostileInputTest::apiServer));

    @Test
    void hostileInputsNeverCrashHangLeakOrEscape() throws Exception {
        List<Family> families = ONLY == null ? FAMILIES
                : FAMILIES.stream().filter(f -> f.name().equals(ONLY)).toList();
        Map<String, int[]> stats = new TreeMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Path cwd = Path.of("").toAbsolutePath();
        Map<String, String> cwdBefore = listing(cwd, 1);
        long started = System.nanoTime();
        long processCpu0 = processCpu();
        String canary = "CANARY" + Long.toHexString(new Random(SEED).nextLong() | (1L << 62));
        // Lanes: case i runs on lane i % LANES, each lane with its own directories and bare repository, so the
        // outcome of a case depends on the seed and its number only.
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        List<Future<?>> done = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            int l = lane;
            done.add(lanes.submit(() -> {
                ExecutorService runner = newRunner();
                try {
                    for (int i = FROM + l; i < FROM + CASES && failures.size() < 10; i += LANES) {
                        runner = runCase(i, l, families, canary, stats, failures, runner);
                    }
                } finally {
                    runner.shutdownNow();
                    LANECPU.addAndGet(THREADS.getCurrentThreadCpuTime());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        lanes.shutdownNow();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        StringBuilder summary = new StringBuilder("hostile inputs: seed " + SEED + ", " + CASES + " cases on " + LANES
                + " threads in " + ms + " ms (JVM CPU " + TimeUnit.NANOSECONDS.toMillis(processCpu() - processCpu0)
                + " ms); per family [exit 0, exit 1, exit 2, total ms, slowest ms, CPU ms of the case threads]:");
        synchronized (stats) {
            stats.forEach((k, v) -> summary.append(' ').append(k).append('=').append(Arrays.toString(v)));
        }
        System.out.println(summary);
        System.out.println(costs());
        assertThat(listing(cwd, 1)).as("the working directory " + cwd + " is unchanged").isEqualTo(cwdBefore);
        templatesUntouched();
        assertThat(LEAKED).as("credentials sent where a crafted answer redirected, or secrets in URLs").isEmpty();
        assertThat(failures).as("seed " + SEED + " (rerun with -Dhostile.seed=" + SEED + "): " + summary).isEmpty();
    }

    /** No case wrote through a hard link into its lane's template (which would change later cases). */
    private static void templatesUntouched() throws IOException {
        Map<String, String> want = contents(example);
        for (Path t : template) {
            assertThat(contents(t)).as("the lane template " + t + " (hard-linked into every case)").isEqualTo(want);
        }
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : read(p));
            }
        }
        return m;
    }

    /** Runs case {@code i}; returns the runner to use next (a new one after a hang). */
    private static ExecutorService runCase(int i, int lane, List<Family> families, String canary,
            Map<String, int[]> stats, List<String> failures, ExecutorService runner) throws Exception {
        Random r = new Random(SEED * 1_000_003L + i);
        int w = r.nextInt(families.stream().mapToInt(Family::weight).sum());
        Family f = null;
        for (Family c : families) {
            if ((w -= c.weight()) < 0) {
                f = c;
                break;
            }
        }
        long p0 = System.nanoTime();
        Case c = newCase(i, lane, r, canary);
        List<String> args;
        try {
            args = f.build().apply(c);
        } catch (RuntimeException e) {
            failures.add(describe(f, c, List.of(), "generator failed: " + e));
            return runner;
        }
        long p1 = System.nanoTime();
        Map<String, String> guarded = guardedListing(c);
        PHASES.addAndGet(0, p1 - p0);
        PHASES.addAndGet(1, System.nanoTime() - p1);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long[] cpu = new long[1];
        Future<Integer> run = runner.submit(() -> {
            long c0 = THREADS.getCurrentThreadCpuTime();
            try {
                return Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            } finally {
                cpu[0] = THREADS.getCurrentThreadCpuTime() - c0;
            }
        });
        int code;
        long t0 = System.nanoTime();
        try {
            code = run.get(PER_CASE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            runner.shutdownNow();
            failures.add(describe(f, c, args, "still running after " + PER_CASE_SECONDS + " s (a hang)"));
            keep(c);
            return newRunner();
        } catch (java.util.concurrent.ExecutionException e) {
            failures.add(describe(f, c, args, "threw out of Main.run: " + e.getCause()));
            return runner;
        }
        int took = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        synchronized (stats) {
            int[] st = stats.computeIfAbsent(f.name(), k -> new int[6]);
            st[code >= 0 && code <= 2 ? code : 1]++;
            st[3] += took;
            st[4] = Math.max(st[4], took);
            st[5] += (int) TimeUnit.NANOSECONDS.toMillis(cpu[0]);
        }
        long p2 = System.nanoTime();
        String problem = check(c, code, out.toString(), err.toString(), guarded);
        PHASES.addAndGet(1, System.nanoTime() - p2);
        if (problem != null) {
            keep(c);
            failures.add(describe(f, c, args, problem) + "\n    stdout: " + clip(out.toString())
                    + "\n    stderr: " + clip(err.toString()));
        }
        long p3 = System.nanoTime();
        API.remove(c.index);
        deleteTree(c.dir);
        PHASES.addAndGet(2, System.nanoTime() - p3);
        return runner;
    }
    /** CPU time of the lane threads (the harness: case set-up, listings, checks, clean-up), in ns. */
    static final java.util.concurrent.atomic.AtomicLong LANECPU = new java.util.concurrent.atomic.AtomicLong();
    /** Wall time of the harness phases over all lanes, in ns: set-up (root, generator), listings + checks, delete. */
    static final java.util.concurrent.atomic.AtomicLongArray PHASES = new java.util.concurrent.atomic.AtomicLongArray(3);

    /** Where the run's time went besides the cases: the harness, the JIT compiler, the GC, other threads. */
    private static String costs() {
        long gc = 0;
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += b.getCollectionTime();
        }
        Map<String, Long> byThread = new TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            long t = THREADS.getThreadCpuTime(id);
            if (info != null && t > 1_000_000) {
                byThread.merge(info.getThreadName().replaceAll("[0-9]+", "N"), t / 1_000_000, Long::sum);
            }
        }
        return "harness: lanes CPU " + LANECPU.get() / 1_000_000 + " ms; wall ms set-up " + PHASES.get(0) / 1_000_000
                + ", listings and checks " + PHASES.get(1) / 1_000_000 + ", delete " + PHASES.get(2) / 1_000_000
                + "; JIT " + java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime()
                + " ms, GC " + gc + " ms; CPU ms of live threads " + byThread + "; temporary root " + base;
    }

    /** A failed case's files, for a look after the run (the temporary directory is deleted). */
    private static void keep(Case c) {
        try {
            Path to = Path.of("target/hostile-failures/case-" + c.index).toAbsolutePath();
            deleteTree(to);
            copyTree(c.dir, to);
            System.out.println("case " + c.index + " kept in " + to);
        } catch (IOException | RuntimeException e) {
            System.out.println("case " + c.index + " could not be kept: " + e);
        }
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            // A deep stack as in a default main thread (-Xss), so that depth limits and not thread size decide.
            Thread t = new Thread(null, r, "hostile-case", 0);
            t.setDaemon(true);
            return t;
        });
    }

    private static Case newCase(int i, int lane, Random r, String canary) throws IOException {
        Path dir = base.resolve("lane-" + lane).resolve("case-" + i);
        Case c = new Case(i, r, dir, canary);
        c.bare = bare[lane];
        c.lane = lane;
        linkTree(template[lane], c.root);
        Files.createDirectories(c.src);
        Files.createDirectories(c.out);
        Files.createDirectories(c.outside);
        Files.writeString(c.outside.resolve("secret.txt"), "OUTSIDE-" + canary);
        // Links out of the root and out of the source directory: reading or writing through them is an escape.
        if (r.nextBoolean()) {
            Files.createSymbolicLink(c.root.resolve(COMPONENT_DIR + "/releases"), Path.of("../../../../../../../outside"));
        }
        Files.createSymbolicLink(c.src.resolve("linked"), Path.of("../outside"));
        return c;
    }

    /** What a case may not change: everything in its directory except the GitOps root and out/. */
    private static Map<String, String> guardedListing(Case c) throws IOException {
        Map<String, String> m = listing(c.dir, 1);
        m.remove("root");
        m.remove("out");
        for (Path p : List.of(c.src, c.outside)) {
            listing(p, Integer.MAX_VALUE).forEach((k, v) -> m.put(c.dir.relativize(p) + "/" + k, v));
        }
        return m;
    }

    private static String check(Case c, int code, String out, String err, Map<String, String> guardedBefore)
            throws IOException {
        if (code < 0 || code > 2) {
            return "exit code " + code;
        }
        String all = out + "\n" + err;
        String hex = c.canary.substring(10);
        if (all.contains(hex) || all.contains(c.canary.substring(0, 10))) {
            return "the canary secret is in the output";
        }
        if (all.contains("OUTSIDE-")) {
            return "the content of a file outside the root is in the output";
        }
        if (err.contains("\tat ") || err.contains("Caused by:") || err.contains("--verbose for the stack trace")
                || err.contains("internal error")) {
            return "a crash (stack trace or internal error) reached the user";
        }
        if (code != 0) {
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("error: ")) {
                return "exit " + code + " without a final one-line 'error:' message";
            }
        }
        Map<String, String> guardedAfter = guardedListing(c);
        if (!guardedAfter.equals(guardedBefore)) {
            Map<String, String> diff = new TreeMap<>(guardedAfter);
            guardedBefore.forEach(diff::remove);
            return "changed outside the root: " + (diff.isEmpty() ? "a file was removed or modified" : diff.keySet());
        }
        if (!c.readsOutside) {
            return c.bareRefsBefore != null && code == 2 && !c.bareRefsBefore.equals(refs(c.bare))
                    ? "open-pr refused its input (exit 2) after it pushed" : null;
        }
        try (Stream<Path> s = Files.walk(c.root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.readString(p, StandardCharsets.ISO_8859_1).contains("OUTSIDE-")) {
                    return "a file outside the root was copied into " + c.root.relativize(p);
                }
            }
        }
        if (c.bareRefsBefore != null && code == 2 && !c.bareRefsBefore.equals(refs(c.bare))) {
            return "open-pr refused its input (exit 2) after it pushed";
        }
        return null;
    }

    private static String describe(Family f, Case c, List<String> args, String problem) {
        StringBuilder b = new StringBuilder("case " + c.index + " [" + f.name() + "] seed " + SEED + ": " + problem
                + "\n    args:");
        for (String a : args) {
            b.append(' ').append(clip(a.replace("\n", "\\n").replace("\0", "\\0")));
        }
        return b.toString();
    }

    private static String clip(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "…(" + s.length() + " chars)" : s;
    }

    // ---- families ---------------------------------------------------------------------------------------------

    static final String COMPONENT_DIR = "namespaces/default/projects/shop/components/hello-web";

    /** A verb over the case's GitOps root (file-system mode). */
    private static List<String> fsVerb(Case c, String file) {
        Random r = c.r;
        return switch (r.nextInt(5)) {
            case 0 -> List.of("workload", "create", "--mode", "file-system", "--root-dir", c.root(), "-p", "shop", "-c",
                    "hello-web", "--image", "reg.example.com/shop/hello-web@" + DIGEST);
            case 1 -> r.nextBoolean()
                    ? List.of("componentrelease", "generate", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web")
                    : List.of("componentrelease", "generate", "--root-dir", c.root(), "--all");
            case 2 -> List.of("releasebinding", "generate", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web",
                    "--target-env", pick(r, "development", "staging"));
            case 3 -> List.of("generate", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web", "--image",
                    "reg.example.com/shop/hello-web@" + DIGEST, "--release-name", "hello-web-" + r.nextInt(100));
            default -> List.of("set-image", "--file", c.root.resolve(file).toString(), "--yaml-path",
                    pick(r, "spec.parameters.replicas", "metadata.name", "spec.owner.projectName"), "--image", "reg/x:1");
        };
    }

    private static List<String> gitopsYaml(Case c) {
        List<String> files = yamlFiles(c.root);
        String file = pick(c.r, files);
        Path p = c.root.resolve(file);
        c.write(p, HostileInputs.mutateYaml(c.r, read(p)));
        return fsVerb(c, file);
    }

    /** A repository made up here: more components (valid and not) cloned from the example's, mutated or not. */
    private static List<String> generatedRepo(Case c) {
        String component = read(c.root.resolve(COMPONENT_DIR + "/component.yaml"));
        int n = 1 + c.r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String name = pick(c.r, "api", "web-" + i, "worker" + i, "x".repeat(70), "Bad_Name", "a.b", "../up",
                    "hello-web", "c" + i);
            String text = component.replace("name: hello-web", "name: " + name);
            if (c.r.nextInt(3) == 0) {
                text = HostileInputs.mutateYaml(c.r, text);
            }
            c.write(c.root.resolve("namespaces/default/projects/shop/components/gen" + i + "/component.yaml"), text);
        }
        return fsVerb(c, COMPONENT_DIR + "/component.yaml");
    }

    /** A valid command line with one value made hostile, an option dropped or an unknown one added. */
    private static List<String> flags(Case c) {
        Random r = c.r;
        List<String> args = new ArrayList<>(switch (r.nextInt(8)) {
            case 0, 1, 2 -> fsVerb(c, COMPONENT_DIR + "/component.yaml");
            case 3 -> List.of("workload", "create", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web", "--image",
                    "reg/x:1", "--descriptor", exampleDescriptorDir.resolve("workload.yaml").toString(),
                    "--output-path", "namespaces/default/projects/shop/components/hello-web/workload.yaml");
            case 4 -> List.of("componentrelease", "generate", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web",
                    "--output-path", pick(r, "releases", c.outside.toString(), "../outside", c.root() + "/../outside",
                            "namespaces/default/projects/shop/components/hello-web/releases", "a\0b"),
                    "--name", "hello-web-r" + r.nextInt(9));
            case 5 -> List.of("watch-deployment", "--server", serverUrl, "--deployment", "api", "-n", "shop",
                    "--timeout", "2s");
            case 6 -> List.of("promote-image", "--from", registry() + "/shop/x@" + DIGEST, "--to", registry() + "/prod/x",
                    "--src-insecure", "--dest-insecure");
            default -> List.of("open-pr", "--repo", c.bare.toUri().toString(), "--project", "shop", "--component",
                    "hello-web", "--image", "reg/x@" + DIGEST, "--merge-timeout", "1m");
        });
        if (args.get(0).equals("open-pr")) {
            c.bareRefsBefore = refs(c.bare);
        }
        // --root-dir and its value stay as they are: without it (or with a relative one) the working directory is
        // the root, and writing there is what the verb should do; the harness must keep it in the temporary root.
        int rootAt = args.indexOf("--root-dir");
        // The --*-insecure flags may go too: over TLS, the plain-HTTP local server is reported at once.
        java.util.function.IntPredicate keep = i -> rootAt >= 0 && (i == rootAt || i == rootAt + 1);
        int k = r.nextInt(10);
        if (k < 7) {
            List<Integer> valued = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                if (args.get(i - 1).startsWith("-") && !args.get(i).startsWith("-") && !keep.test(i)) {
                    valued.add(i);
                }
            }
            if (!valued.isEmpty()) {
                args.set(pick(r, valued), badValue(r, c.outside.toString()));
            }
        } else if (k == 7 && args.size() > 3) {
            int i = 2 + r.nextInt(args.size() - 2);
            if (!keep.test(i)) {
                args.remove(i);
            }
        } else if (k == 8) {
            args.add(pick(r, "--timeout", "--merge-timeout", "--output-path", "--namespace", "--bogus", "--json",
                    "--token-file", "--kubeconfig", "--context"));
            args.add(badValue(r, c.outside.toString()));
        } else {
            int i = r.nextInt(args.size());
            if (!keep.test(i)) {
                args.add(i, badValue(r, c.outside.toString()));
            }
        }
        if (args.get(0).equals("open-pr") || args.get(0).equals("watch-deployment")) {
            // Keep these off the slow paths (waiting for a merge, long watches): the flag values are the point.
            args.removeIf(a -> a.equals("--wait-merge"));
        }
        return args;
    }

    private static List<String> setImage(Case c) {
        Random r = c.r;
        String values = pick(r, "image:\n  repository: reg/app\n  tag: v1\n", "images:\n  - name: app\n    newTag: v1\n",
                "a:\n  b:\n    - c: reg/x:1\n    - d: [1, 2]\n", "spec:\n  template:\n    spec:\n      containers:\n"
                        + "        - name: app\n          image: reg/app:v1\n", "x: &a {image: reg/a:1}\ny: *a\n");
        if (r.nextBoolean()) {
            values = HostileInputs.mutateYaml(r, values);
        }
        String name = pick(r, "values.yaml", "kustomization.yaml", "deploy.yaml");
        Path file = c.write(c.root.resolve("apps/" + name), values);
        List<String> args = new ArrayList<>(List.of("set-image", "--file", pick(r, file.toString(), file.toString(),
                c.root() + "/../outside/secret.txt", "apps/" + name, c.root() + "/apps/../../outside/x.yaml",
                c.root() + "/namespaces/default/projects/shop/components/hello-web/releases/x.yaml")));
        switch (r.nextInt(3)) {
            case 0 -> args.add("--kustomize");
            case 1 -> args.addAll(List.of("--helm-path", path(r)));
            default -> args.addAll(List.of("--yaml-path", path(r)));
        }
        args.addAll(List.of("--image", pick(r, "reg/app:v2", "reg/app@" + DIGEST, "reg/app:v2@" + DIGEST,
                badValue(r, c.outside.toString()))));
        if (r.nextInt(4) == 0) {
            args.add("--dry-run");
        }
        return args;
    }

    private static String path(Random r) {
        return pick(r, "image", "image.tag", "images.0.newTag", "a.b.0.c", "a.b.99999999999999999999.c",
                "a.b.2147483648", "spec.template.spec.containers.0.image", "", ".", "..", "a..b", "x.y", "0",
                "-1", "a.b.-1", "image.tag.", ".image", "x".repeat(1000), "a\0b", "a.\u0001");
    }

    private static List<String> buildResult(Case c) {
        Random r = c.r;
        String json = "{\"builds\":[{\"imageName\":\"hello-web\",\"tag\":\"" + registry() + "/shop/hello-web@" + DIGEST
                + "\"}]}";
        Path file = c.write(c.src.resolve("build_result.json"), HostileInputs.mutateJson(r, json));
        List<String> args = new ArrayList<>(List.of("promote-image", "--build-result", file.toString(), "--image-name",
                pick(r, "hello-web", "other", ""), "--source", "dev", "--destination", "prod",
                "--source-repository", registry() + "/shop", "--destination-repository", registry() + "/prod"));
        // Mostly over plain HTTP as the local server speaks; else over TLS by mistake (reported at once).
        if (r.nextInt(4) > 0) {
            args.add("--src-insecure");
        }
        if (r.nextInt(4) > 0) {
            args.add("--dest-insecure");
        }
        return args;
    }

    private static List<String> descriptor(Case c) {
        Random r = c.r;
        c.readsOutside = true;
        String text = read(exampleDescriptorDir.resolve("workload.yaml"));
        String ref = pick(r, "docs/openapi.yaml", "../outside/secret.txt", c.outside.resolve("secret.txt").toString(),
                "linked/secret.txt", "docs/\0x", "docs/../../outside/secret.txt", "", "docs", "/dev/zero",
                "x".repeat(5000));
        text = text.replace("schemaFile: docs/openapi.yaml", "schemaFile: \"" + ref.replace("\0", "\\0") + "\"");
        if (r.nextBoolean()) {
            text += "\n  files:\n    - name: f\n      mountPath: /etc/f\n      valueFrom:\n        path: \""
                    + pick(r, "docs/openapi.yaml", "../outside/secret.txt", "linked/secret.txt") + "\"\n";
        }
        if (r.nextInt(3) > 0) {
            text = HostileInputs.mutateYaml(r, text);
        }
        try {
            copyTree(exampleDescriptorDir.resolve("docs"), c.src.resolve("docs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path d = c.write(c.src.resolve("workload.yaml"), text);
        return r.nextBoolean()
                ? List.of("workload", "create", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web", "--image",
                        "reg/x@" + DIGEST, "--descriptor", d.toString(), "--dry-run")
                : List.of("generate", "--root-dir", c.root(), "-p", "shop", "-c", "hello-web", "--image",
                        "reg/x@" + DIGEST, "--descriptor", d.toString(), "--release-name", "hello-web-d1");
    }

    static String kubeconfigText(Random r, String server, String token) {
        return "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster:\n    server: "
                + server + "\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n    namespace: shop\n"
                + "users:\n- name: u\n  user:\n    token: \"" + token + "\"\n";
    }

    private static String yamlEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20 || ch == 0x7f) {
                b.append(String.format("\\x%02x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static List<String> kubeconfig(Case c) {
        Random r = c.r;
        String server = pick(r, serverUrl, serverUrl, "http://127.0.0.1:99999", "https://[::1", "http://user:"
                + c.canary + "@127.0.0.1:1", "not a url", "");
        String text = kubeconfigText(r, server, yamlEscape(HostileInputs.oddSecret(r, c.canary)));
        if (r.nextBoolean()) {
            text = HostileInputs.mutateYaml(r, text);
        }
        Path file = c.write(c.src.resolve("kubeconfig"), text);
        return List.of("watch-deployment", "--kubeconfig", file.toString(), "--deployment", "api", "-n", "shop",
                "--timeout", pick(r, "2s", "1s", "99999999999h"));
    }

    private static List<String> settings(Case c) {
        Random r = c.r;
        Path kube = c.write(c.src.resolve("kubeconfig"), kubeconfigText(r, serverUrl, "t0ken"));
        String text = exampleConfig.replace("repositoryUrl: ../.gitops-release/gitops.git", "repositoryUrl: "
                + c.bare.toUri()).replace("  - name: development\n", "  - name: development\n    kubeconfig: "
                + kube + "\n    watchKind: deployment\n    watchName: api\n");
        text = HostileInputs.mutateYaml(r, text);
        Path file = c.write(c.src.resolve("gitops-release.yaml"), text);
        Path context = c.src.resolve("empty-context");
        try {
            Files.createDirectories(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r.nextInt(3) == 0
                ? List.of("release", "--config", file.toString(), "--project", "shop", "--component", "hello-web",
                        "--context", context.toString(), "--report", c.out.resolve("report.json").toString(),
                        "--build-result", c.out.resolve("build_result.json").toString())
                : List.of("watch-deployment", "--config", file.toString(), "--component", "hello-web",
                        "--environment", "development", "--timeout", "2s");
    }

    private static List<String> secrets(Case c) {
        Random r = c.r;
        String token = c.secretFile();
        return switch (r.nextInt(5)) {
            case 0 -> List.of("watch-deployment", "--server", serverUrl, "--token-file", token, "--deployment", "api",
                    "-n", "shop", "--timeout", "2s");
            case 1 -> {
                c.bareRefsBefore = refs(c.bare);
                yield List.of("open-pr", "--repo", c.bare.toUri().toString(), "--project", "shop", "--component",
                        "hello-web", "--image", "reg/x@" + DIGEST, "--forge", "github", "--forge-url", serverUrl,
                        "--token-file", token);
            }
            case 2 -> {
                c.bareRefsBefore = refs(c.bare);
                yield List.of("open-pr", "--repo", pick(r, "https://user:" + c.canary + "@127.0.0.1:1/x.git",
                        "http://" + c.canary + "@127.0.0.1:1/x.git", "gopher://u:" + c.canary + "@h/x",
                        "user:" + c.canary + "@127.0.0.1:x.git", " https://u:" + c.canary + "/x@127.0.0.1:1/r"),
                        "--project", "shop", "--component", "hello-web", "--image", "reg/x@" + DIGEST);
            }
            case 3 -> {
                c.bareRefsBefore = refs(c.bare);
                yield List.of("open-pr", "--repo", c.bare.toUri().toString(), "--project", "shop", "--component",
                        "hello-web", "--image", "reg/x@" + DIGEST, "--git-username", "u", "--git-password-file", token);
            }
            default -> List.of("watch-deployment", "--server", pick(r, serverUrl, "http://u:" + c.canary
                    + "@127.0.0.1:1"), "--token-file", token, "--deployment", "api", "-n", "shop", "--timeout", "1s");
        };
    }

    /** Push deliveries from the three providers: mutated bodies, signatures, headers and secrets. */
    private static List<String> webhook(Case c) {
        Random r = c.r;
        io.jenkins.plugins.gitopsrelease.webhook.WebhookFixtures.shop(c.root);
        String secret = HostileInputs.oddSecret(r, c.canary);
        Path secretFile = c.write(c.src.resolve("webhook-secret"), secret);
        List<Commit> commits = List.of(Commit.modified(pick(r, "apps/frontend/index.html", "apps/orders/main.go",
                "../../etc/passwd", "apps/\u0000x", "x".repeat(5000), "/apps/frontend/a", "apps/frontend/../../b")));
        String provider = pick(r, "github", "gitlab", "bitbucket");
        com.fasterxml.jackson.databind.node.ObjectNode event = switch (provider) {
            case "github" -> Payloads.github(pick(r, "acme/shop", "acme/other", "", "a/b/c"), pick(r, "refs/heads/main",
                    "refs/tags/v1", "main", "refs/heads/" + "x".repeat(300)), Payloads.BEFORE, Payloads.AFTER, commits);
            case "gitlab" -> Payloads.gitlab(pick(r, "acme/shop", "group/sub/acme"), pick(r, "refs/heads/main", ""),
                    Payloads.BEFORE, Payloads.AFTER, commits, r.nextInt(3));
            default -> Payloads.bitbucketCloud(pick(r, "acme/shop", "x"), pick(r, "branch", "tag", "bogus"),
                    pick(r, "main", "", "a\nb"), Payloads.BEFORE, Payloads.AFTER);
        };
        String json = new String(Payloads.bytes(event), StandardCharsets.UTF_8);
        if (r.nextInt(3) > 0) {
            json = HostileInputs.mutateAnyJson(r, json);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        // Signed with the right secret mostly (so that the body is parsed), else forged or malformed.
        String signer = r.nextInt(4) > 0 && !secret.isBlank() ? secret.strip() : pick(r, "forged", "x", c.canary);
        // sorted: Map.of's order changes from JVM to JVM, and a seed must reproduce its cases
        Map<String, String> h = new TreeMap<>(switch (provider) {
            case "github" -> Payloads.githubHeaders(pick(r, "push", "push", "ping", "Push", ""), signer, body);
            case "gitlab" -> Payloads.gitlabHeaders(pick(r, "Push Hook", "Push Hook", "Tag Push Hook", "x"), signer);
            default -> Payloads.bitbucketHeaders(pick(r, "repo:push", "repo:push", "pr:opened"), signer, body);
        });
        if (r.nextInt(4) == 0) {
            String key = pick(r, List.copyOf(h.keySet()));
            switch (r.nextInt(4)) {
                case 0 -> h.remove(key);
                case 1 -> h.put(key, badValue(r, c.outside.toString()));
                case 2 -> h.put(key, pick(r, "sha256=", "sha256=zz", "sha1=" + "0".repeat(40), "sha256=" + "0".repeat(64),
                        "md5=x", c.canary, "sha256=" + c.canary));
                default -> h.put(key + pick(r, "\u0000", " ", ":", ""), h.get(key) + odd(r));
            }
        }
        StringBuilder headers = new StringBuilder();
        h.forEach((k, v) -> headers.append(k).append(": ").append(v).append(r.nextInt(10) == 0 ? "\r\n" : "\n"));
        if (r.nextInt(10) == 0) {
            headers.append(pick(r, "no colon here\n", ": empty name\n", "X-Long: " + "v".repeat(100_000) + "\n",
                    "\n\n\n", "X-Hub-Signature-256: sha256=dup\n"));
        }
        Path bodyFile = c.src.resolve("event.json");
        try {
            Files.write(bodyFile, r.nextInt(30) == 0 ? new byte[26 * 1024 * 1024] : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path headerFile = c.write(c.src.resolve("headers.txt"), headers.toString());
        List<String> args = new ArrayList<>(List.of("webhook", "match", "--provider", pick(r, provider, provider,
                provider, "GitHub", "svn", ""), "--event", bodyFile.toString(), "--headers", headerFile.toString(),
                r.nextBoolean() ? "--secret-file" : "--secret-env", r.nextBoolean() ? secretFile.toString() : "NO_SUCH_VAR",
                "--root-dir", c.root()));
        if (provider.equals("bitbucket") && r.nextInt(4) == 0) {
            args.addAll(List.of("--hook-uuid", pick(r, "{4ab3c1e2-0000-4000-8000-0000000000aa}", "", "x\u0001")));
        }
        if (r.nextBoolean()) {
            args.add("--json");
        }
        return args;
    }

    /**
     * annotate, record show and policy check against a real registry (each lane its own image): bad keys and values,
     * bad image references, a policy in a mutated gitops-release.yaml, and the registry reached over TLS by mistake.
     */
    private static List<String> recordVerbs(Case c) {
        Random r = c.r;
        String image = pick(r, laneImage[c.lane], laneImage[c.lane], laneImage[c.lane],
                registry.host() + "/lane-" + c.lane + "/app:1.0", registry.host() + "/lane-" + c.lane + "/app:nope",
                registry.host() + "/lane-" + c.lane + "/app", badValue(r, c.outside.toString()),
                registry.host() + "/lane-" + c.lane + "/app@sha256:" + "0".repeat(64));
        List<String> args = new ArrayList<>();
        switch (r.nextInt(3)) {
            case 0 -> {
                args.addAll(List.of("annotate", image));
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    args.add(r.nextInt(3) == 0 ? badValue(r, c.outside.toString()) : pick(r, "smoke", "approved-by",
                            "deployed.staging", "a..b", "-x", "x".repeat(300), "k\u0000") + pick(r, "=passed", "=",
                            "", "=" + "v".repeat(r.nextInt(70_000)), "==x", "=a\nb", "=" + c.canary.substring(0, 5)));
                }
                if (r.nextBoolean()) {
                    args.addAll(List.of(pick(r, "--writer", "--run-url"), badValue(r, c.outside.toString())));
                }
            }
            case 1 -> args.addAll(List.of("record", "show", image));
            default -> {
                String policy = "    policy:\n      requiredAnnotations: [" + pick(r, "smoke=passed", "deployed.development",
                        "", "=x", "a=b=c") + "]\n      minimumSoak: " + pick(r, "30m", "0s", "-5m", "99999999999h",
                        "x") + "\n      allowedBranches: [" + pick(r, "main", "release/*", "**", "[", "") + "]\n"
                        + "      approvers: [" + pick(r, "alice", "", "a,b") + "]\n";
                String text = exampleConfig.replace("  - name: staging\n", "  - name: staging\n" + policy);
                if (r.nextBoolean()) {
                    text = HostileInputs.mutateYaml(r, text);
                }
                Path config = c.write(c.src.resolve("gitops-release.yaml"), text);
                args.addAll(List.of("policy", "check", image, "--target-env", pick(r, "staging", "staging",
                        "production", "development", "nowhere", ""), "--config", config.toString()));
            }
        }
        // Mostly plain HTTP as the registry is; else over TLS by mistake (answered at once, naming the flag).
        if (r.nextInt(5) > 0) {
            args.addAll(List.of("--insecure-registry", registry.host()));
        }
        if (r.nextInt(6) == 0) {
            args.addAll(List.of("--registry-username", "u", "--registry-password-file", c.secretFile()));
        }
        return args;
    }

    // ---- api-server mode: crafted answers ------------------------------------------------------------------------

    /** One case's crafted answers: per request kind, a status, a body and headers. */
    record ApiScript(int caseIndex, String canary, Map<String, Answer> answers) {
    }

    record Answer(int status, String body, Map<String, String> headers) {
    }

    /** The answer to one request, chosen by the case's script (a plain valid answer where it says nothing). */
    private static void openChoreo(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String[] parts = path.split("/", 4); // "", "oc", case, rest
            ApiScript script = parts.length > 2 ? API.get(Integer.parseInt(parts[2])) : null;
            if (ex.getRequestURI().toString().contains("CANARY")) {
                LEAKED.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " (a secret in the URL)");
            }
            ex.getRequestBody().readAllBytes();
            String rest = parts.length > 3 ? "/" + parts[3] : "/";
            String kind = rest.contains("oauth-protected-resource") ? "resource"
                    : rest.contains("openid-configuration") || rest.contains("oauth-authorization-server") ? "issuer"
                    : rest.endsWith("/token") ? "token"
                    : ex.getRequestMethod().equals("GET") ? "get" : "write";
            Answer a = script == null ? null : script.answers().get(kind);
            if (a == null) {
                a = new Answer(404, "{\"message\":\"not found\"}", Map.of());
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (!a.headers().containsKey("Content-Type")) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
            }
            byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
        } catch (RuntimeException e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    private static Answer craft(Random r, String valid, String base, String canary) {
        String body = valid;
        int k = r.nextInt(10);
        if (k < 4) {
            return new Answer(200, valid, Map.of());
        }
        if (k < 7) {
            body = HostileInputs.mutateAnyJson(r, valid);
        }
        int status = k == 7 ? pick(r, List.of(500, 502, 401, 403, 409, 422, 429, 204, 302, 301, 307, 418))
                : 200;
        Map<String, String> headers = new LinkedHashMap<>();
        if (status / 100 == 3 || r.nextInt(10) == 0) {
            headers.put("Location", pick(r, elsewhereUrl + "/x", base + "/moved", "http://127.0.0.1:1/x",
                    "javascript:x", "//evil.example/x", ""));
        }
        if (status == 429) {
            headers.put("Retry-After", pick(r, "0", "999999999", "-1", "Thu, 01 Jan 1970 00:00:00 GMT"));
        }
        if (r.nextInt(8) == 0) {
            headers.put("Content-Type", pick(r, "text/html", "application/json; charset=x", ""));
        }
        if (k == 9) {
            body = pick(r, "", "<html>" + canary.substring(0, 3) + "</html>", "null", "[]", "{",
                    "{\"message\":\"" + "m".repeat(100_000) + "\"}", "{\"a\":" + "[".repeat(5000) + "}");
        }
        return new Answer(status, body, headers);
    }

    /** The occ verbs in api-server mode against crafted answers: discovery, token, resources, writes. */
    private static List<String> apiServer(Case c) {
        Random r = c.r;
        String base = serverUrl + "/oc/" + c.index;
        String token = "tok-" + c.canary;
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("resource", craft(r, "{\"resource\":\"" + base + "\",\"authorization_servers\":[\"" + base
                + "/auth\"]}", base, c.canary));
        answers.put("issuer", craft(r, "{\"issuer\":\"" + base + "/auth\",\"token_endpoint\":\"" + pick(r, base
                + "/auth/token", base + "/auth/token", "http://127.0.0.1:1/token", "ftp://x/token", "/relative/token",
                elsewhereUrl + "/token") + "\"}", base, c.canary));
        answers.put("token", craft(r, "{\"access_token\":\"" + pick(r, token, token, token + "\\u0001x",
                token + "\\r\\nX-Injected: 1", "") + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + pick(r, "3600", "0", "-1", "99999999999999999999", "\"x\"") + "}", base, c.canary));
        String component = "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"owner\":"
                + "{\"projectName\":\"shop\"},\"componentType\":{\"name\":\"deployment/service\"}},"
                + "\"status\":{\"latestRelease\":{\"name\":\"web-1\"}}}";
        answers.put("get", craft(r, pick(r, component, "{\"items\":[" + component + "],\"pagination\":"
                + "{\"nextCursor\":\"" + pick(r, "", "c1", "x".repeat(5000)) + "\"}}"), base, c.canary));
        answers.put("write", craft(r, component, base, c.canary));
        API.put(c.index, new ApiScript(c.index, c.canary, answers));
        List<String> auth = r.nextBoolean()
                ? List.of("--client-id", pick(r, "ci", "", "a b", "x\u0001"), "--client-secret-file", c.secretFile())
                : List.of("--token-file", c.secretFile());
        List<String> args = new ArrayList<>(switch (r.nextInt(4)) {
            case 0 -> List.of("workload", "create", "-p", "shop", "-c", pick(r, "web", "Web", "../x"), "--image",
                    pick(r, "reg/web@" + DIGEST, "reg/web:1", badValue(r, c.outside.toString())));
            case 1 -> List.of("componentrelease", "generate", "-p", "shop", "-c", "web");
            case 2 -> List.of("releasebinding", "generate", "-p", "shop", "-c", "web", "--target-env",
                    pick(r, "development", "staging", ""));
            default -> List.of("releasebinding", "generate", "-p", "shop", "--all", "--target-env", "staging");
        });
        args.addAll(List.of("--mode", "api-server", "--server", pick(r, base, base, base, base + "/", base + "?x=1",
                base.replace("http://", "https://"), "http://127.0.0.1:1", "http://user:" + c.canary + "@127.0.0.1:1")));
        args.addAll(auth);
        if (r.nextInt(5) == 0) {
            args.addAll(List.of(pick(r, "--timeout", "--token-url", "--scope", "--namespace"),
                    badValue(r, c.outside.toString())));
        } else {
            args.addAll(List.of("--timeout", "3"));
        }
        return args;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static long processCpu() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static String registry() {
        return serverUrl.substring("http://".length());
    }

    private static String refs(Path bare) {
        try (Git g = Git.open(bare.toFile())) {
            StringBuilder b = new StringBuilder();
            g.getRepository().getRefDatabase().getRefs().forEach(ref -> b.append(ref.getName()).append('=')
                    .append(ref.getObjectId() == null ? "" : ref.getObjectId().name()).append('\n'));
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> yamlFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".yaml") && Files.isRegularFile(p))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Path → size and modification time, not following links, to a depth. */
    private static Map<String, String> listing(Path dir, int depth) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir, depth)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                m.put(dir.relativize(p).toString(), a.isDirectory() ? "dir" : a.size() + "@"
                        + a.lastModifiedTime().toMillis());
            }
        }
        m.remove("target");
        return m;
    }

    static void copyTree(Path from, Path to) throws IOException {
        io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository.copyTree(from, to);
    }

    /**
     * Copy-on-write: the case's root hard-links its lane's template. Safe because nothing writes a file in place:
     * {@link Case#write} replaces the link, the verbs write through {@code core.AtomicFiles} (temp file + move),
     * and {@link #templatesUntouched} checks the templates after the run.
     */
    static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createLink(t, p);
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
