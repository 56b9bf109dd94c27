package io.jenkins.plugins.gitopsrelease.files;

import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps user-given paths inside a root, whatever their spelling: NUL and control characters, absolute paths,
 * {@code ..} segments and symbolic links that point out of the root are all refused before anything is read or
 * written. {@link RepoPaths} checks the text of repository paths; this class checks them against the disk.
 */
public final class PathGuard {
    private PathGuard() {
    }

    /** Refuses text no file system should see as a path (NUL, control characters); returns it unchanged. */
    public static String text(String field, String path) {
        if (path == null || path.isEmpty()) {
            throw InvalidInputException.invalid(field, "", "give a path");
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw InvalidInputException.invalid(field, Failures.printable(path), "a path may not hold NUL or other"
                        + " control characters");
            }
        }
        return path;
    }

    /** {@link Path#of} for user text, with the refusal above instead of an {@link InvalidPathException}. */
    public static Path path(String field, String path) {
        try {
            return Path.of(text(field, path));
        } catch (InvalidPathException e) {
            throw InvalidInputException.invalid(field, Failures.printable(path), "not a valid path (" + e.getReason()
                    + ")");
        }
    }

    /**
     * {@code rel} resolved against {@code root}, refused when it is absolute, climbs out with {@code ..}, or reaches
     * outside through a symbolic link (the nearest existing ancestor's real path must lie under the root's).
     */
    public static Path resolve(Path root, String rel, String field) {
        Path r = path(field, rel);
        if (r.isAbsolute()) {
            throw InvalidInputException.invalid(field, Failures.printable(rel), "give a path relative to " + root);
        }
        Path p = root.resolve(r).normalize();
        return inside(root, p, field, rel);
    }

    /** {@code p} (absolute), refused unless it and every existing ancestor stay under {@code root} on disk. */
    public static Path inside(Path root, Path p, String field, String shown) {
        Path absRoot = root.toAbsolutePath().normalize();
        Path abs = p.toAbsolutePath().normalize();
        if (!abs.startsWith(absRoot)) {
            throw outside(field, shown, absRoot);
        }
        Path realRoot;
        try {
            realRoot = absRoot.toRealPath();
        } catch (IOException e) {
            return abs; // the root itself does not exist yet: nothing under it can be a link
        }
        // The nearest existing ancestor (or the path itself) decides where a read or write really lands.
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                Path real = existing.toRealPath();
                if (!real.startsWith(realRoot)) {
                    throw outside(field, shown, absRoot);
                }
            } catch (IOException e) {
                // A dangling link: where it would land is unknowable, so refuse it.
                throw InvalidInputException.invalid(field, Failures.printable(shown), "a symbolic link on the way"
                        + " cannot be resolved; nothing is read or written through it");
            }
        }
        return abs;
    }

    private static InvalidInputException outside(String field, String shown, Path root) {
        return InvalidInputException.invalid(field, Failures.printable(shown), "it leads outside " + root
                + " (through '..', an absolute path or a symbolic link): nothing is read or written outside it");
    }
}
