package io.jenkins.plugins.gitopsrelease.files;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One file to create or replace in a repository: the unit generation produces and sessions apply. */
public record FileChange(String path, byte[] content, Kind kind) {

    public enum Kind { CREATED, UPDATED }

    public FileChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(kind, "kind");
        RepoPaths.check(path);
        content = content.clone();
    }

    public static FileChange of(String path, String content, Kind kind) {
        return new FileChange(path, content.getBytes(StandardCharsets.UTF_8), kind);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileChange f && path.equals(f.path) && kind == f.kind && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return kind + " " + path + " (" + content.length + " bytes)";
    }
}
