package io.jenkins.plugins.gitopsrelease.cli;

/** The three exit codes of every command. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
