package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheVerbs() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: gitops-release").contains("doctor");
    }

    /** The verb table is by class name (start-up): every name must be its class's own {@code @Command} name. */
    @Test
    void everyVerbNameIsItsCommandsName() {
        assertThat(Main.VERBS).hasSize(15);
        Main.VERBS.keySet().forEach(name -> assertThat(
                Main.verbClass(name).getAnnotation(picocli.CommandLine.Command.class).name()).isEqualTo(name));
    }

    @Test
    void versionComesFromTheBuild() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("gitops-release ").doesNotContain("${project.version}");
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        Run r = run("frobnicate");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains("frobnicate").contains("--help");
    }

    @Test
    void unknownOptionOfAVerbNamesTheVerb() {
        Run r = run("doctor", "--bogus");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--bogus").contains("gitops-release doctor --help");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run().code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void jsonResultGoesToStdoutAndTextToStderr() throws Exception {
        Run r = run("doctor", "--json");
        assertThat(r.code()).isZero();
        var tree = Output.json().readTree(r.out());
        assertThat(tree.path("tools").has("git")).isTrue();
        assertThat(r.err()).contains("git");
    }

    @Test
    void failuresMapToExitCodesWithoutStackTraces() {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        cl.addSubcommand("boom", new Boom());
        cl.setErr(new PrintWriter(err, true)); // picocli hands writers only to subcommands present at set time
        int code = cl.execute("boom");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("error: --image: invalid value 'x': fix it" + System.lineSeparator());
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        @Override
        public void run() {
            throw io.jenkins.plugins.gitopsrelease.core.InvalidInputException.invalid("--image", "x", "fix it");
        }
    }

    /** The exit path ends an idle JDK HTTP client's selector thread (HotSpot's exit would wait 0.3 s for it). */
    @Test
    void exitStopsTheHttpClientsSelectorThread() throws Exception {
        java.util.Set<Thread> before = new java.util.HashSet<>(Main.httpSelectors());
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.List<Thread> mine = Main.httpSelectors().stream().filter(t -> !before.contains(t)).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).isAlive()).isTrue();
        Thread.sleep(50); // the selector is now blocked in select(), in native code
        Main.stop(mine); // only this test's client: others in this JVM may still be in use
        assertThat(mine.get(0).isAlive()).isFalse();
        assertThat(client).isNotNull(); // still referenced: the thread ended because of the interrupt, not collection
    }

    /** The help verb is registered only when no verb runs (start-up), and still works and is listed first. */
    @Test
    void helpVerbShowsAVerbsUsage() {
        Run r = run("help", "promote-image");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: gitops-release promote-image").contains("--from");
        assertThat(run("--help").out()).containsPattern("Commands:\\s+help\\s");
    }

    /** The warm-up thread swallows what it meets (it is only a head start): run here, its work must not fail. */
    @Test
    void warmUpWorkRunsCleanly() {
        Warmup.registry();
        Warmup.yaml();
    }
}
