package io.jenkins.plugins.gitopsrelease.files;

import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** {@link RepoFiles} over a directory on disk; also applies changes to it (each file written atomically). */
public final class DirectoryFiles implements RepoFiles {
    private final Path root;

    public DirectoryFiles(Path root) {
        if (root.toString().isBlank()) {
            // Path.of("") is the working directory: an empty --root-dir must not silently mean "here".
            throw new InvalidInputException("--root-dir: the value is empty: give the path of the GitOps repository"
                    + " checkout (leave the option out for the current directory)");
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException("--root-dir: '" + root + "' is not a directory: give the path of the"
                    + " GitOps repository checkout");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public List<String> list() {
        return list(dir -> true);
    }

    @Override
    public List<String> list(Predicate<String> descend) {
        List<String> files = new ArrayList<>();
        if (descend.test("")) {
            try {
                walk(root, "", descend, files);
            } catch (IOException e) {
                throw new OperationFailedException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        Collections.sort(files);
        return files;
    }

    /**
     * Lists {@code dir}'s regular files and walks the subdirectories {@code descend} admits. The test comes before a
     * directory is opened ({@code Files.walkFileTree} opens each one before asking): a targeted index skips the
     * 1,000 other component directories of a large repository without reading them. Symbolic links are neither
     * followed nor listed, as before.
     */
    private static void walk(Path dir, String rel, Predicate<String> descend, List<String> files) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String path = rel.isEmpty() ? name : rel + "/" + name;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    files.add(path);
                } else if (a.isDirectory() && !name.equals(".git") && descend.test(path)) {
                    // .git holds thousands of objects that are never GitOps content
                    walk(p, path, descend, files);
                }
            }
        }
    }

    @Override
    public Optional<byte[]> read(String path) {
        Path file = resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > io.jenkins.plugins.gitopsrelease.core.ParseLimits.MAX_DOCUMENT) {
                throw new InvalidInputException(path + ": over the limit of "
                        + io.jenkins.plugins.gitopsrelease.core.ParseLimits.MAX_DOCUMENT + " bytes for a repository"
                        + " file: remove it or move it out of the GitOps repository");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes each change atomically. Paths were checked when the changes were made; checked again here. */
    public void apply(List<FileChange> changes) {
        for (FileChange c : changes) {
            AtomicFiles.write(resolve(c.path()), c.content());
        }
    }

    /** The file on disk for a repository path; refused when it leaves the root, also through a symbolic link. */
    public Path resolve(String path) {
        return PathGuard.resolve(root, RepoPaths.check(path), "path");
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
