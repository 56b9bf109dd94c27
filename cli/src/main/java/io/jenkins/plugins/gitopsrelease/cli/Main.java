package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gitops-release}: one subcommand per engine verb. Exit codes: 0 success, 1 the operation failed,
 * 2 bad usage or bad input. Errors are one line on stderr; stack traces only with {@code --verbose}.
 */
@Command(name = "gitops-release",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Build, release through GitOps pull requests, watch and promote container images.")
public final class Main implements Runnable {

    /**
     * The verbs, in help order: name → command class. Registered programmatically and by class name: building
     * picocli's model of every verb (or even reading each class's {@code @Command}) costs start-up time, so a run of
     * one verb loads and builds only that one (help, version and errors still see all). {@code MainTest} checks each
     * name against its class's {@code @Command(name)}.
     */
    static final java.util.Map<String, String> VERBS = verbs(
            "doctor", "DoctorCommand", "workload", "WorkloadCommand", "componentrelease", "ComponentReleaseCommand",
            "releasebinding", "ReleaseBindingCommand", "generate", "GenerateCommand", "set-image", "SetImageCommand",
            "open-pr", "OpenPrCommand", "watch-deployment", "WatchDeploymentCommand", "build-image",
            "BuildImageCommand", "promote-image", "PromoteImageCommand", "release", "ReleaseCommand", "webhook",
            "WebhookCommand", "annotate", "AnnotateCommand", "record", "RecordCommand", "policy", "PolicyCommand");

    private static java.util.Map<String, String> verbs(String... nameAndClass) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameAndClass.length; i += 2) {
            m.put(nameAndClass[i], Main.class.getPackageName() + "." + nameAndClass[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    static Class<?> verbClass(String name) {
        try {
            return Class.forName(VERBS.get(name), false, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("verb " + name + " has no class " + VERBS.get(name), e);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    public static void main(String[] args) {
        lightPicocli();
        Future<CommandLine.Model.CommandSpec> verbModel = Warmup.start(args.length > 0 ? args[0] : null);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), verbModel);
        stopHttpSelectors();
        System.exit(code);
    }

    /**
     * Start-up settings for picocli, set before its classes initialise (a CLI process only; the training run too).
     * Its default factory looks for Groovy's Closure class, a miss that makes the class loader open the jar's
     * 24,000-entry directory on the main thread; and each command's interpreter registers converters for the
     * java.time and java.sql types by reflection, which initialises DateTimeFormatter (about 30 ms). No option
     * here has such a type ({@code MainTest} checks every verb's options). A property already set is kept.
     */
    static void lightPicocli() {
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
        }
    }

    /** The option types picocli need not prepare converters for (regular expressions over class names). */
    static final String UNUSED_CONVERTERS = "java\\.time\\..*,java\\.sql\\..*";

    /**
     * Ends the JDK HTTP clients' selector threads. HotSpot's exit waits up to 300 ms for threads that are in native
     * code, and an idle {@code java.net.http} client keeps one blocked in {@code epoll_wait} until it is collected:
     * every verb that spoke HTTP paid 0.3 s after its work was done (a third of a no-op promotion). An interrupt
     * wakes the selector, which then returns (Java 17 has no {@code HttpClient.close()}). Called only when the
     * process is about to exit, after the verb returned: never inside Jenkins.
     */
    static void stopHttpSelectors() {
        stop(httpSelectors());
    }

    /**
     * The JDK HTTP clients' selector threads alive now (the JDK names them {@code HttpClient-N-SelectorManager}).
     * A thread-group walk, not {@code Thread.getAllStackTraces()} (which stops every thread for its stack).
     */
    static List<Thread> httpSelectors() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int n = root.enumerate(threads, true);
        List<Thread> selectors = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = threads[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                selectors.add(threads[i]);
            }
        }
        return selectors;
    }

    static void stop(List<Thread> selectors) {
        for (Thread t : selectors) {
            t.interrupt();
        }
        for (Thread t : selectors) {
            try {
                t.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Entry point for tests: runs one command line, returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, null);
    }

    /**
     * Runs one command line with picocli's model of the verb ({@code args[0]}) built elsewhere: {@link Warmup} builds
     * it on the second core while this thread builds the model of {@code Main}. Null, or a model whose building
     * failed, means the verb's class is read here, as without it (so a bad model reports its own error).
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Future<CommandLine.Model.CommandSpec> verbModel) {
        String verb = args.length > 0 && VERBS.containsKey(args[0]) ? args[0] : null;
        return commandLine(out, err, verb, verb == null ? null : verbModel).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null, null);
    }

    /** With {@code only} set, registers just that verb (its model from {@code onlyModel} if given); else all. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String only,
            Future<CommandLine.Model.CommandSpec> onlyModel) {
        CommandLine cl = new CommandLine(new Main());
        if (only != null) {
            cl.addSubcommand(only, verbModel(only, onlyModel));
        } else {
            // picocli's help verb, first as before; a run of one verb does not build its model (start-up)
            cl.addSubcommand("help", new CommandLine.HelpCommand());
            VERBS.keySet().forEach(name -> cl.addSubcommand(name, verbClass(name)));
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new UsageErrors());
        cl.setExecutionStrategy(new RunVerb());
        cl.setExecutionExceptionHandler(new VerbErrors());
        return cl;
    }

    /** The verb's model from {@code built}, or its class (picocli then reads it) if there is none or it failed. */
    static Object verbModel(String name, Future<CommandLine.Model.CommandSpec> built) {
        if (built != null) {
            try {
                return built.get();
            } catch (ExecutionException e) {
                // built again from the class below, where the failure reports itself as usual
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return verbClass(name);
    }

    // The three handlers are named classes, not lambdas: picocli's interfaces are class-file version 49, and a lambda
    // implementing one makes the class-data dump link it, which excludes it (and RunLast, the default handlers)
    // from the archive: each start then loaded them from the jar (bin/gitops-release, docs/benchmarks.md).

    /** Usage errors: one line naming the problem and the verb's --help; exit 2. */
    static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine failed = ex.getCommandLine();
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                // Name the unknown options only: the value after a mistyped secret option must not be echoed.
                List<String> options = new java.util.ArrayList<>();
                for (String a : u.getUnmatched()) {
                    if (a.startsWith("-")) {
                        options.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
                    }
                }
                if (!options.isEmpty()) {
                    message = "unknown option(s): " + String.join(", ", options);
                }
            }
            failed.getErr().println("error: " + io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(message)
                    + " (try '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        }
    }

    /** picocli's RunLast, with Errors (a stack overflow on hostile input) handed to the exception handler. */
    static final class RunVerb implements CommandLine.IExecutionStrategy {
        @Override
        public int execute(CommandLine.ParseResult parseResult) {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (StackOverflowError e) {
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), "stack overflow", e);
            }
        }
    }

    /** The boundary: whatever the verb threw leaves as one scrubbed line (Failures), the trace only on request. */
    static final class VerbErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine failed, CommandLine.ParseResult parseResult) {
            GitOpsReleaseException g = Failures.translate(ex);
            PrintWriter e = failed.getErr();
            e.println("error: " + g.getMessage());
            if (GlobalOptions.isVerbose(parseResult)) {
                ex.printStackTrace(e);
            }
            return g.exitCode();
        }
    }

    /** A one-line, scrubbed description of an exception (see {@link Failures#describe}). */
    static String describe(Throwable ex) {
        return Failures.describe(ex);
    }
}
