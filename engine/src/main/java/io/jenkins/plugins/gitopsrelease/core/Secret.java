package io.jenkins.plugins.gitopsrelease.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A password, token or key held so that it cannot leak by accident: {@link #toString()} is a fixed mask, so a secret
 * that ends up in a log line, an exception message or a generated file shows as {@code ****}. Only
 * {@link #reveal()} gives the value, and only code that hands it to a library (an HTTP header, JGit's credentials
 * provider) calls it. Serializable because the Jenkins plugin ships it to the agent inside its callable.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String MASK = "****";

    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    public static Secret of(String value) {
        if (value == null) {
            throw new IllegalArgumentException("secret value is null");
        }
        return new Secret(value.toCharArray());
    }

    /** Reads a secret from an environment variable; the name (not the value) goes into the error. */
    public static Secret fromEnv(String variable) {
        String v = System.getenv(variable);
        if (v == null || v.isEmpty()) {
            throw new InvalidInputException("environment variable " + variable + " is not set or empty: export it"
                    + " with the secret, or pass a file option instead");
        }
        return of(v);
    }

    public String reveal() {
        return new String(value);
    }

    public char[] revealChars() {
        return value.clone();
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }
}
