package io.jenkins.plugins.gitopsrelease.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.util.function.Supplier;

/**
 * The boundary between the engine and a user (the CLI's {@code Main}, the Jenkins step's agent callable): whatever
 * escapes a verb leaves as a {@link GitOpsReleaseException} with one scrubbed line. The verbs themselves check their
 * input and translate library errors where they know the context; this is the net under them, so a stack overflow
 * on hostile input or a library's message with a secret in it never reaches the user raw.
 */
public final class Failures {
    private Failures() {
    }

    /** Runs {@code body}, translating anything it throws (see {@link #translate}). */
    public static <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e);
        }
    }

    /**
     * The user-facing form of a failure. Engine errors pass through; a stack overflow (input nested beyond what any
     * limit caught) and an invalid path are bad input; an I/O error is a failed operation; anything else is an
     * internal error, still one line and scrubbed, that asks for a report.
     */
    public static GitOpsReleaseException translate(Throwable e) {
        if (e instanceof GitOpsReleaseException g) {
            return g;
        }
        if (e instanceof StackOverflowError) {
            return new InvalidInputException("the input is nested too deeply to process (" + ParseLimits.nestingLimit()
                    + "): simplify the file", e);
        }
        if (e instanceof InvalidPathException p) {
            return new InvalidInputException("path '" + printable(p.getInput()) + "' is not a valid path ("
                    + p.getReason() + "): give a path without NUL or control characters", e);
        }
        if (e instanceof UncheckedIOException || e instanceof IOException) {
            return new OperationFailedException("I/O failure: " + describe(e)
                    + ": check the path, the permissions and the free space", e);
        }
        return new OperationFailedException("internal error (" + e.getClass().getSimpleName() + ": " + describe(e)
                + "): please report it with the output of --verbose", e);
    }

    /** A one-line, scrubbed description of an exception, walking causes for the most specific message. */
    public static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        Throwable t = ex;
        int depth = 0;
        while (t != null && depth++ < 4) {
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank() && sb.indexOf(msg) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(msg);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        String s = sb.length() == 0 ? ex.getClass().getSimpleName() : Scrubber.oneLine(sb.toString());
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    /** A value for a message: control characters (NUL included) shown as {@code \\uXXXX}, long values cut. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return Scrubber.scrub(b.length() >= 200 ? b + "…" : b.toString());
    }
}
