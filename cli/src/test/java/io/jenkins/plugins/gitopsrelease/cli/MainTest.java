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

    static Run runWithModel(java.util.concurrent.Future<picocli.CommandLine.Model.CommandSpec> model, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), model);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Main.main runs the verb with the model the warm-up thread built: help, usage errors and bad input come out
     * exactly as when picocli reads the verb's class itself.
     */
    @Test
    void aVerbModelBuiltOnTheWarmUpThreadBehavesAsTheClass() throws Exception {
        String[][] lines = {
            {"promote-image", "--help"},
            {"promote-image", "--bogus", "x"},
            {"promote-image", "--from", "a/b:1"},
            {"generate", "--root-dir"},
            {"doctor", "--json"},
        };
        for (String[] args : lines) {
            java.util.concurrent.FutureTask<picocli.CommandLine.Model.CommandSpec> model = Warmup.start(args[0]);
            assertThat(model).as("warm-up of %s", args[0]).isNotNull();
            model.get(); // built on the other thread
            Run warm = runWithModel(model, args);
            Run plain = run(args);
            assertThat(warm.code()).as(String.join(" ", args)).isEqualTo(plain.code());
            assertThat(warm.err()).as(String.join(" ", args)).isEqualTo(plain.err());
            if (!args[0].equals("doctor")) { // doctor's output names tool versions and timings
                assertThat(warm.out()).as(String.join(" ", args)).isEqualTo(plain.out());
            }
        }
        // and the model given is the one used (a mark on it shows in the help)
        java.util.concurrent.FutureTask<picocli.CommandLine.Model.CommandSpec> marked = Warmup.start("promote-image");
        marked.get().usageMessage().header("built on the warm-up thread");
        assertThat(runWithModel(marked, "promote-image", "--help").out()).contains("built on the warm-up thread")
                .contains("Usage: gitops-release promote-image");
        assertThat(run("promote-image", "--help").out()).doesNotContain("built on the warm-up thread");
    }

    /** A model whose building failed is built again from the class, where the verb runs as usual. */
    @Test
    void aFailedVerbModelFallsBackToTheClass() {
        java.util.concurrent.FutureTask<picocli.CommandLine.Model.CommandSpec> failed =
                new java.util.concurrent.FutureTask<>(() -> {
                    throw new IllegalStateException("model failed");
                });
        failed.run();
        Run r = runWithModel(failed, "promote-image", "--bogus");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--bogus").contains("gitops-release promote-image --help");
    }

    /** -Dgitopsrelease.warmup=false, or no verb: no second thread, no model. */
    @Test
    void noWarmUpWithoutAVerbOrWhenTurnedOff() {
        assertThat(Warmup.start(null)).isNull();
        assertThat(Warmup.start("frobnicate")).isNull();
        String before = System.getProperty("gitopsrelease.warmup");
        System.setProperty("gitopsrelease.warmup", "false");
        try {
            assertThat(Warmup.start("promote-image")).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("gitopsrelease.warmup");
            } else {
                System.setProperty("gitopsrelease.warmup", before);
            }
        }
    }

    /**
     * Main.main tells picocli not to prepare converters for java.time and java.sql types (start-up): no option or
     * parameter of any verb, at any depth, may have such a type, or its value would not convert.
     */
    @Test
    void noOptionHasATypeWhoseConverterIsLeftOut() {
        java.util.List<java.util.regex.Pattern> unused = java.util.Arrays.stream(Main.UNUSED_CONVERTERS.split(","))
                .map(java.util.regex.Pattern::compile).toList();
        assertThat(unused.get(0).matcher("java.time.Duration").matches()).isTrue(); // the patterns do match
        assertThat(unused.get(1).matcher("java.sql.Timestamp").matches()).isTrue();
        java.util.List<String> checked = new java.util.ArrayList<>();
        java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(
                java.util.List.of(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))));
        while (!todo.isEmpty()) {
            picocli.CommandLine cl = todo.pop();
            todo.addAll(cl.getSubcommands().values());
            for (picocli.CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
                java.util.List<Class<?>> types = new java.util.ArrayList<>(java.util.List.of(arg.type()));
                types.addAll(java.util.List.of(arg.auxiliaryTypes()));
                for (Class<?> t : types) {
                    checked.add(t.getName());
                    assertThat(unused).as("%s %s: type %s", cl.getCommandSpec().qualifiedName(), arg, t.getName())
                            .noneMatch(p -> p.matcher(t.getName()).matches());
                }
            }
        }
        assertThat(checked).contains("java.nio.file.Path", "int", "java.lang.String"); // the walk reached options
    }
}
