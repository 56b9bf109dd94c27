package io.jenkins.plugins.gitopsrelease.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Where a command's result goes. With {@code --json} the result object is serialised on stdout and human text moves
 * to stderr, so {@code gitops-release ... --json | jq} sees JSON only.
 */
public final class Output {
    /** Built on first use: only --json needs it, and Jackson's set-up is a noticeable part of start-up. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final CommandLine.Model.CommandSpec spec;
    private final GlobalOptions global;

    public Output(CommandLine.Model.CommandSpec spec, GlobalOptions global) {
        this.spec = spec;
        this.global = global;
    }

    /** Human-readable text: stdout normally, stderr under --json. */
    public void say(String line) {
        (global.json() ? err() : out()).println(line);
    }

    /** The result: JSON on stdout under --json; otherwise nothing (the command said it in words). */
    public void result(Object value) {
        if (global.json()) {
            try {
                out().println(Mapper.JSON.writeValueAsString(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise result", e);
            }
        }
    }

    public ConsoleProgress progress() {
        return new ConsoleProgress(err(), global.verbose(), System.console() != null);
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public static ObjectMapper json() {
        return Mapper.JSON;
    }
}
