package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;

/** A forge answered with an error status; the message names the forge, the call and the status, never the token. */
public class ForgeApiException extends OperationFailedException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ForgeApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
