package io.jenkins.plugins.gitopsrelease.openchoreo;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;

/** The OpenChoreo API answered with an error (or not at all: status 0). */
public final class OpenChoreoApiException extends OperationFailedException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public OpenChoreoApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    public OpenChoreoApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status; 0 when no answer came (timeout, connection refused). */
    public int status() {
        return status;
    }
}
