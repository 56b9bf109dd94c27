package io.jenkins.plugins.gitopsrelease.files;

import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

/** Rules for repository-relative paths; checked before anything is read or written. */
public final class RepoPaths {
    private RepoPaths() {
    }

    /** Rejects absolute paths, backslashes, empty segments, {@code .} and {@code ..}: nothing may escape the root. */
    public static String check(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || hasControl(path)) {
            throw new InvalidInputException("path '" + Failures.printable(path) + "' is not a relative repository"
                    + " path: use a path below the repository root with '/' separators and no control characters");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new InvalidInputException("path '" + path + "' has an empty, '.' or '..' segment: files outside"
                        + " the repository root are never written");
            }
        }
        return path;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    /** Joins and normalises ("a/./b/../c" → "a/c"); fails if the result would leave the root. */
    public static String normalize(String path) {
        if (hasControl(path)) {
            throw new InvalidInputException("path '" + Failures.printable(path) + "' holds a NUL or control"
                    + " character: give a plain relative path");
        }
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (out.isEmpty()) {
                    throw new InvalidInputException("path '" + path + "' leaves the repository root: use a path below it");
                }
                out.removeLast();
            } else {
                out.addLast(seg);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("path '" + path + "' names the repository root itself, not a file");
        }
        return String.join("/", out);
    }
}
