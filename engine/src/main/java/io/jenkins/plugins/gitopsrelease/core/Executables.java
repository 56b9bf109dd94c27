package io.jenkins.plugins.gitopsrelease.core;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds external tools (buildah, skopeo, pack, git...) on the agent's PATH. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool's path, or an error naming the tool and how to install it. */
    public static Path require(String name, String installHint) {
        return find(name).orElseThrow(() -> new OperationFailedException(
                name + " not found on PATH: " + installHint));
    }
}
