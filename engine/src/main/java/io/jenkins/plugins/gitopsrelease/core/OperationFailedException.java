package io.jenkins.plugins.gitopsrelease.core;

/** The input was fine but the work failed (registry refused, build failed, timeout...): exit code 1. */
public class OperationFailedException extends GitOpsReleaseException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message, null);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
