package io.jenkins.plugins.gitopsrelease.core;

/**
 * Where long work reports what it is doing. The CLI renders it on stderr (a bar on a terminal, periodic lines
 * otherwise); the Jenkins plugin forwards it to the build log. Implementations must be thread-safe: blob copies
 * report from several threads.
 */
public interface Progress {

    /** A state change worth one line, e.g. "2/3 replicas updated". */
    void step(String message);

    /**
     * Bytes moved so far for a named transfer; {@code total} is -1 when unknown. Called often; implementations
     * decide how often to render.
     */
    default void transfer(String name, long done, long total) {
    }

    /** A diagnostic that only verbose output shows. */
    default void detail(String message) {
    }

    Progress NONE = message -> { };
}
