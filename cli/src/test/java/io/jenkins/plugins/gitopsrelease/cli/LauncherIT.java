package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar and {@code bin/gitops-release} as users start them: which libraries a verb loads (read from
 * {@code -verbose:class}), and that the launcher uses the build's class-data archive and falls back silently when it
 * is missing or not this JVM's.
 */
class LauncherIT {
    static final Path JAR = Path.of(System.getProperty("gitopsrelease.cliJar", "target/gitops-release.jar"));
    static final Path REPO = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    static final Path LAUNCHER = REPO.resolve("bin/gitops-release");
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source: (.*)");

    @TempDir
    Path tmp;

    record Run(int exit, String stdout, String stderr) {
    }

    static Run run(List<String> cmd, Map<String, String> env, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("GITOPS_RELEASE_JAVA_OPTS");
        pb.environment().remove("GITOPS_RELEASE_CDS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Class name → where it came from, for every class the run loaded. */
    static Map<String, String> loaded(String log) {
        Map<String, String> m = new java.util.TreeMap<>();
        Matcher x = LOADED.matcher(log);
        while (x.find()) {
            m.put(x.group(1), x.group(2));
        }
        return m;
    }

    @Test
    void generateLoadsNoLibraryItDoesNotUse() throws Exception {
        assertThat(JAR).as("run through failsafe after package").isRegularFile();
        Path examples = REPO.resolve("examples");
        Run r = run(List.of(JAVA.toString(), "-Xlog:class+load=info:stdout", "-jar", JAR.toString(), "generate",
                "--root-dir", examples.resolve("gitops-repo").toString(), "-p", "shop", "-c", "hello-web",
                "--image", "registry.example.com/shop/hello-web:1.0", "--descriptor",
                examples.resolve("hello-web/workload.yaml").toString(), "--dry-run"), Map.of(), tmp);
        assertThat(r.exit()).as(r.stderr()).isZero();
        Map<String, String> classes = loaded(r.stdout());
        // The run did generate (so the list below is not vacuous) ...
        assertThat(List.of("io.jenkins.plugins.gitopsrelease.gitops.Generate",
                "io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex", "org.yaml.snakeyaml.parser.ParserImpl"))
                .allMatch(classes::containsKey);
        assertThat(r.stdout()).contains("kind: ComponentRelease");
        // ... without Kubernetes, image building, forges, Git or an HTTP client.
        Set<String> packages = new TreeSet<>();
        classes.keySet().forEach(c -> packages.add(c.contains(".") ? c.substring(0, c.lastIndexOf('.')) : c));
        for (String foreign : List.of("io.fabric8", "com.google.cloud.tools.jib", "org.glassfish.jersey",
                "org.glassfish.hk2", "okhttp3", "org.kohsuke.github", "org.gitlab4j", "org.eclipse.jgit",
                "java.net.http", "jdk.internal.net.http", "org.apache.sshd", "javax.net.ssl")) {
            assertThat(packages).as("packages loaded by generate").noneMatch(p -> p.equals(foreign)
                    || p.startsWith(foreign + "."));
        }
    }

    /**
     * open-pr over the network through the launcher, as another CI runs it: against git daemon with filters it
     * fetches no file contents but the few that generation reads, and pushes the release branch.
     */
    @Test
    void openPrOverGitFetchesOnlyTheFilesGenerationReads() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("content"));
        io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository.copyTree(REPO.resolve("examples/gitops-repo"),
                content);
        try (var daemon = io.jenkins.plugins.gitopsrelease.testinfra.GitDaemonFixture.start()) {
            String url = daemon.createRepository("gitops", content);
            daemon.config("gitops", "uploadpack.allowFilter", "true");
            Path home = Path.of(System.getProperty("java.home"));
            Run r = run(List.of(LAUNCHER.toString(), "open-pr", "--repo", url, "--project", "shop", "--component",
                    "hello-web", "--image", "reg.example/hello-web:5", "--descriptor",
                    REPO.resolve("examples/hello-web/workload.yaml").toString(), "--revision", "0123456789abcdef"),
                    Map.of("JAVA_HOME", home.toString(), "GITOPS_RELEASE_JAR", JAR.toAbsolutePath().toString()), tmp);
            assertThat(r.exit()).as(r.stderr()).isZero();
            // The targeted index's 7 files in one request. The example has no Workload yet, and a missing one may
            // live in any file, so the index then reads the rest (namespace.yaml) in a second request.
            assertThat(r.stderr()).contains("without file contents").containsPattern("fetched the \\d+ file\\(s\\)"
                    + " generation read, in [12] request\\(s\\)").contains("pushed ");
            Matcher branch = Pattern.compile("pushed \\w+ to (release/hello-web-\\S+)").matcher(r.stderr());
            assertThat(branch.find()).isTrue();
            assertThat(io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool.run("git", "ls-remote", url))
                    .contains("refs/heads/" + branch.group(1));
        }
    }

    static String key(Path javaHome) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                return line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')).replaceAll("[^A-Za-z0-9._+-]", "_");
            }
        }
        throw new IllegalStateException("no JAVA_RUNTIME_VERSION in " + javaHome);
    }

    static int feature(Path javaHome) throws IOException {
        Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(javaHome.resolve("release")));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }

    /** The launcher on this JVM (and on Temurin 25 where present): archive used; missing or foreign: silent. */
    @Test
    void launcherUsesTheArchiveAndFallsBackSilently() throws Exception {
        List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isRegularFile(JDK25.resolve("bin/java"))) {
            homes.add(JDK25);
        }
        for (Path home : homes) {
            boolean aot = feature(home) >= 24;
            String archive = "gitops-release-" + key(home) + "-all" + (aot ? ".aot" : ".jsa");
            Path built = JAR.getParent().resolve("cds").resolve(archive);
            Map<String, String> env = Map.of("JAVA_HOME", home.toString(), "GITOPS_RELEASE_JAR",
                    JAR.toAbsolutePath().toString(), "GITOPS_RELEASE_JAVA_OPTS", "-Xlog:class+load=info:stdout");
            if (Files.isRegularFile(built)) {
                // The build's archives: each verb family's own, the CLI's classes come from it, picocli's too (it is
                // compiled with the CLI: its jar's version-49 classes stayed out of the Java 25 cache), and so do the
                // picocli interfaces the CLI's handlers implement (as lambdas they made the dump leave them out).
                for (List<String> verb : List.of(List.of("--version"), List.of("generate", "--help"),
                        List.of("open-pr", "--help"), List.of("promote-image", "--help"))) {
                    Run r = run(concat(LAUNCHER.toString(), verb), env, tmp);
                    assertThat(r.exit()).as(r.stderr()).isZero();
                    assertThat(r.stderr()).isEmpty();
                    Map<String, String> classes = loaded(r.stdout());
                    assertThat(classes.get("io.jenkins.plugins.gitopsrelease.cli.Main")).as(home + " " + verb)
                            .startsWith("shared objects file");
                    for (String c : List.of("picocli.CommandLine", "picocli.CommandLine$RunLast",
                            "picocli.CommandLine$IExecutionStrategy", "io.jenkins.plugins.gitopsrelease.cli.Main$RunVerb")) {
                        assertThat(classes.get(c)).as(home + " " + verb + " " + c).startsWith("shared objects file");
                    }
                }
                for (String family : Training.FAMILIES) {
                    assertThat(built.resolveSibling(archive.replace("-all.", "-" + family + ".")))
                            .as("the " + family + " archive").isRegularFile();
                }
            }
            // A jar beside an archive that is not this JVM's (garbage) and beside none at all: same output, no noise.
            Path dir = Files.createDirectories(tmp.resolve(home.getFileName().toString()));
            Files.copy(JAR, dir.resolve("gitops-release.jar"));
            Files.createDirectories(dir.resolve("cds"));
            for (boolean garbage : new boolean[] {false, true}) {
                if (garbage) {
                    Files.writeString(dir.resolve("cds").resolve(archive), "not an archive");
                }
                Run r = run(List.of(LAUNCHER.toString(), "--version"), Map.of("JAVA_HOME", home.toString(),
                        "GITOPS_RELEASE_JAR", dir.resolve("gitops-release.jar").toString()), tmp);
                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(r.stdout()).startsWith("gitops-release ");
                assertThat(r.stderr()).as(home + " garbage=" + garbage).isEmpty();
            }
        }
        Assumptions.assumeTrue(homes.size() > 1, "Temurin 25 is not installed in " + JDK25 + ": checked Java "
                + System.getProperty("java.version") + " only");
    }
}
