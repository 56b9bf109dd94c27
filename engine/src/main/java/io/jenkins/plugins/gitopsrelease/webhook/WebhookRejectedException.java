package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

/**
 * A delivery that must not start anything: not authentic, malformed or too large. The message is a reason for the
 * log; it never holds the secret, the signature or body content beyond field names. Exit code 2 (bad input); the
 * Jenkins endpoint maps {@link #reason()} onto 403, 400 and 413 and never puts the message into the response.
 */
public final class WebhookRejectedException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Signature or token missing or wrong, or no secret configured (fails closed). */
        NOT_AUTHENTIC,
        /** Not JSON, or JSON without the fields a push event must have. */
        MALFORMED,
        /** Larger than the provider's maximum; not read further. */
        TOO_LARGE
    }

    private final Reason reason;

    public WebhookRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
