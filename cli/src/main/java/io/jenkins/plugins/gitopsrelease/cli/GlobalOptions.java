package io.jenkins.plugins.gitopsrelease.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every verb takes: mix in with {@code @Mixin GlobalOptions global;}. */
public final class GlobalOptions {

    @Option(names = "--json", description = "Print the machine-readable result as JSON on stdout; human text goes to stderr.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print details and, on failure, the stack trace.")
    boolean verbose;

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    static boolean isVerbose(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult p = parseResult;
        while (p != null) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
