package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.time.Duration;

/** Waiting, made replaceable so tests can observe rate-limit and polling waits without sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d);

    Sleeper REAL = d -> {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting", e);
        }
    };
}
