package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.PathGuard;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options occ's file-system-mode verbs share, and applying or printing the resulting changes. */
final class FsModeOptions {
    @Option(names = "--mode", defaultValue = "file-system",
            description = "Only 'file-system' is supported (accepted for occ compatibility).")
    String mode;

    @Option(names = "--root-dir", description = "The GitOps repository checkout (default: the current directory).")
    Path rootDir;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output-path"}, description = "Where to write; relative paths are relative to --root-dir.")
    String outputPath;

    @Option(names = "--dry-run", description = "Print the files instead of writing them.")
    boolean dryRun;

    DirectoryFiles files(String verb) {
        if (!"file-system".equals(mode)) {
            throw new InvalidInputException(verb + " only supports file-system mode; use --mode file-system (got \""
                    + mode + "\")");
        }
        return new DirectoryFiles(rootDir != null ? rootDir : Paths.get("").toAbsolutePath());
    }

    /**
     * --output-path as a root-relative path. Absolute or relative, it must stay inside the root on disk: no
     * {@code ..} out of it, no symbolic link leading out, no NUL (PathGuard).
     */
    String outputPath(DirectoryFiles files) {
        if (outputPath == null) {
            return null;
        }
        Path p = PathGuard.path("--output-path", outputPath);
        Path abs = p.isAbsolute() ? p.normalize() : files.root().resolve(p).normalize();
        PathGuard.inside(files.root(), abs, "--output-path", outputPath);
        if (abs.equals(files.root())) {
            return ".";
        }
        return files.root().relativize(abs).toString().replace('\\', '/');
    }

    /** Writes (or with --dry-run prints) the changes; returns them as JSON-friendly rows. */
    List<Map<String, String>> apply(DirectoryFiles files, List<FileChange> changes, Output output) {
        List<Map<String, String>> rows = new ArrayList<>();
        if (dryRun) {
            for (FileChange c : changes) {
                output.say("# " + (c.kind() == FileChange.Kind.CREATED ? "Would create" : "Would update") + ": "
                        + files.resolve(c.path()));
                output.say(c.text().stripTrailing());
                output.say("---");
            }
        } else {
            files.apply(changes);
            for (FileChange c : changes) {
                output.say((c.kind() == FileChange.Kind.CREATED ? "Created: " : "Updated: ") + files.resolve(c.path()));
            }
        }
        for (FileChange c : changes) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("path", c.path());
            row.put("kind", c.kind().name().toLowerCase());
            rows.add(row);
        }
        return rows;
    }
}
