package io.jenkins.plugins.gitopsrelease.testinfra;

import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A progress that keeps every line, to assert on and to check for leaked secrets. Thread-safe. */
public final class RecordingProgress implements Progress {
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void step(String message) {
        lines.add(message);
    }

    @Override
    public void detail(String message) {
        lines.add(message);
    }

    public String text() {
        return String.join("\n", lines);
    }
}
