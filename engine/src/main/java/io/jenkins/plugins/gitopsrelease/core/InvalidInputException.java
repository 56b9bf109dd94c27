package io.jenkins.plugins.gitopsrelease.core;

/** Bad usage or bad input: the caller can fix it by changing what they passed (exit code 2). */
public class InvalidInputException extends GitOpsReleaseException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message, null);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The standard shape: which field, which value, how to fix it.
     * Example: {@code invalid(\"--image\", \"reg/app:\", \"give a tag after ':' or leave the ':' out\")}.
     */
    public static InvalidInputException invalid(String field, Object value, String fix) {
        return new InvalidInputException(field + ": invalid value '" + value + "': " + fix);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
