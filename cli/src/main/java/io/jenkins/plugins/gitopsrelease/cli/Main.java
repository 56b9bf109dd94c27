package io.jenkins.plugins.gitopsrelease.cli;

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
        description = "Build, release through GitOps pull requests, watch and promote container images.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {

    /**
     * The verbs, in help order. Registered programmatically: building picocli's model of every verb costs about
     * 0.3 s of start-up, so a run of one verb builds only that one (help, version and errors still see all).
     */
    static final java.util.Map<String, Class<?>> VERBS = verbs(
            DoctorCommand.class, WorkloadCommand.class, ComponentReleaseCommand.class, ReleaseBindingCommand.class,
            GenerateCommand.class, SetImageCommand.class, OpenPrCommand.class, WatchDeploymentCommand.class,
            BuildImageCommand.class, PromoteImageCommand.class, ReleaseCommand.class, AnnotateCommand.class,
            RecordCommand.class, PolicyCommand.class, WebhookCommand.class);

    private static java.util.Map<String, Class<?>> verbs(Class<?>... classes) {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (Class<?> c : classes) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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
        VERBS.forEach((name, type) -> {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, type);
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
            failed.getErr().println("error: " + message
                    + " (try '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            boolean verbose = GlobalOptions.isVerbose(parseResult);
            PrintWriter e = failed.getErr();
            if (ex instanceof GitOpsReleaseException g) {
                e.println("error: " + g.getMessage());
                if (verbose) {
                    ex.printStackTrace(e);
                }
                return g.exitCode();
            }
            e.println("error: " + describe(ex));
            if (verbose) {
                ex.printStackTrace(e);
            } else {
                e.println("(run again with --verbose for the stack trace)");
            }
            return ExitCodes.FAILED;
        });
        return cl;
    }

    /** A one-line description of an unexpected exception, walking causes for the most specific message. */
    static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        Throwable t = ex;
        int depth = 0;
        while (t != null && depth++ < 4) {
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank() && sb.indexOf(msg) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(msg.replace('\n', ' '));
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.length() == 0 ? ex.getClass().getSimpleName() : sb.toString();
    }
}
