package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.regex.Pattern;

/** Kubernetes DNS-1123 name checks, made before any path is built from a name (so "../../etc" never reaches one). */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {
    }

    /** A DNS-1123 label (namespace, project, component, environment): at most 63 of [a-z0-9-]. */
    public static String label(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field + " is required: give a DNS-1123 name such as 'my-service'");
        }
        if (value.length() > 63 || !LABEL.matcher(value).matches()) {
            throw InvalidInputException.invalid(field, value, "must be a DNS-1123 label: at most 63 lowercase"
                    + " letters, digits and '-', starting and ending with a letter or digit");
        }
        return value;
    }

    /** A DNS-1123 subdomain (resource names such as releases): at most 253 of [a-z0-9-.], no empty segment. */
    public static String subdomain(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field + " is required: give a DNS-1123 name such as 'my-service-1'");
        }
        if (value.length() > 253 || !SUBDOMAIN.matcher(value).matches()) {
            throw InvalidInputException.invalid(field, value, "must be a DNS-1123 name: lowercase letters, digits,"
                    + " '-' and '.', starting and ending with a letter or digit");
        }
        return value;
    }
}
