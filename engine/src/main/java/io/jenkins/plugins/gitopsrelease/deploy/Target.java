package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;

/** One object in one namespace: what the watch follows. */
public record Target(TargetKind kind, String namespace, String name) {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public Target {
        Objects.requireNonNull(kind, "kind");
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw InvalidInputException.invalid("namespace", namespace,
                    "give a Kubernetes namespace (lower-case letters, digits and '-', at most 63 characters)");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw InvalidInputException.invalid(kind.cliName() + " name", name,
                    "give the object's metadata.name (lower-case letters, digits, '-' and '.')");
        }
    }

    public static Target of(TargetKind kind, String namespace, String name) {
        return new Target(kind, namespace, name);
    }

    /** E.g. {@code Deployment shop-dev/api}. */
    @Override
    public String toString() {
        return kind.kind() + " " + namespace + "/" + name;
    }
}
