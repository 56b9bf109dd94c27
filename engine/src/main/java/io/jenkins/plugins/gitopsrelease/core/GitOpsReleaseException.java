package io.jenkins.plugins.gitopsrelease.core;

/**
 * Base of every error the engine reports to a user. The message is the whole user-facing text: one line that
 * names what is wrong and how to fix it. It never contains a secret (see {@link Secret}).
 */
public abstract class GitOpsReleaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected GitOpsReleaseException(String message, Throwable cause) {
        // Scrubbed here, once for every error: a message that quotes a library's text may carry a secret.
        super(Scrubber.oneLine(message), cause);
    }

    /** Exit code a command-line front end should use: 2 for bad input, 1 for a failed operation. */
    public abstract int exitCode();
}
