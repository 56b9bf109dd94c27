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
        Scrubber.register(this.value);
    }

    /** A deserialized copy (the plugin ships secrets to the agent) registers with the scrubber like any other. */
    private Object readResolve() {
        return new Secret(value);
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
        return of(v).singleLine("environment variable " + variable);
    }

    /** Reads a secret from a file (trailing newline dropped); the path, never the content, goes into errors. */
    public static Secret fromFile(String field, java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw InvalidInputException.invalid(field, file, "not a regular file; give a file holding only the secret");
        }
        String v = new String(ParseLimits.readFile(field, file), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (v.isEmpty()) {
            throw InvalidInputException.invalid(field, file, "the file is empty; put the secret in it");
        }
        return of(v).singleLine(field + " " + file);
    }

    /**
     * The CLI's two ways to pass a secret, never argv: an environment variable's name or a file's path. Null when
     * neither is given; an error when both are.
     */
    public static Secret fromEnvOrFile(String envField, String variable, String fileField, java.nio.file.Path file) {
        if (variable != null && file != null) {
            throw new InvalidInputException(envField + " and " + fileField + ": give one of them");
        }
        return variable != null ? fromEnv(variable) : file != null ? fromFile(fileField, file) : null;
    }

    /**
     * This secret, if it holds no control character; otherwise an error that names {@code field} but never the value.
     * A token or password goes into an HTTP header, where a line break or control character is refused by the
     * client with a message that quotes the header (and so the secret).
     */
    public Secret singleLine(String field) {
        for (char c : value) {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidInputException(field + ": the secret holds a control character (a line break, tab"
                        + " or similar; the value is not shown): store the token or password without it");
            }
        }
        return this;
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
