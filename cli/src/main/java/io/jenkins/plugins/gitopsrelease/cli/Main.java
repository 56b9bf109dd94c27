package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import java.io.PrintWriter;
import java.util.List;
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
        Warmup.start(args.length > 0 ? args[0] : null);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        stopHttpSelectors();
        System.exit(code);
    }

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

    /** The JDK HTTP clients' selector threads alive now (the JDK names them {@code HttpClient-N-SelectorManager}). */
    static List<Thread> httpSelectors() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .toList();
    }

    static void stop(List<Thread> selectors) {
        selectors.forEach(Thread::interrupt);
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
        String verb = args.length > 0 && VERBS.containsKey(args[0]) ? args[0] : null;
        return commandLine(out, err, verb).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /** With {@code only} set, registers just that verb; otherwise all of them. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String only) {
        CommandLine cl = new CommandLine(new Main());
        if (only == null) {
            // picocli's help verb, first as before; a run of one verb does not build its model (start-up)
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        VERBS.keySet().forEach(name -> {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, verbClass(name));
            }
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                // Name the unknown options only: the value after a mistyped secret option must not be echoed.
                List<String> options = u.getUnmatched().stream().filter(a -> a.startsWith("-"))
                        .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a).toList();
                if (!options.isEmpty()) {
                    message = "unknown option(s): " + String.join(", ", options);
                }
            }
            failed.getErr().println("error: " + io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(message)
                    + " (try '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        // Errors (a stack overflow on hostile input) bypass picocli's exception handler: hand them to it.
        cl.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (StackOverflowError e) {
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), "stack overflow", e);
            }
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            // The boundary: whatever the verb threw leaves as one scrubbed line (Failures), the trace only on request.
            GitOpsReleaseException g = Failures.translate(ex);
            PrintWriter e = failed.getErr();
            e.println("error: " + g.getMessage());
            if (GlobalOptions.isVerbose(parseResult)) {
                ex.printStackTrace(e);
            }
            return g.exitCode();
        });
        return cl;
    }

    /** A one-line, scrubbed description of an exception (see {@link Failures#describe}). */
    static String describe(Throwable ex) {
        return Failures.describe(ex);
    }
}
