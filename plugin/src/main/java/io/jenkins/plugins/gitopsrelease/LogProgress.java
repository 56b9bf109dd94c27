package io.jenkins.plugins.gitopsrelease;

import hudson.model.TaskListener;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Engine progress into the build log. Travels to the agent inside the step's callable (TaskListener is remotable);
 * transfers print one line every few seconds, since a build log is no terminal.
 */
final class LogProgress implements Progress, Serializable {
    private static final long serialVersionUID = 1L;
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final TaskListener listener;
    private final boolean verbose;
    private transient Map<String, Long> lastLine;

    LogProgress(TaskListener listener, boolean verbose) {
        this.listener = listener;
        this.verbose = verbose;
    }

    private PrintStream log() {
        return listener.getLogger();
    }

    @Override
    public synchronized void step(String message) {
        log().println("[gitops-release] " + message);
    }

    @Override
    public void detail(String message) {
        if (verbose) {
            step(message);
        }
    }

    @Override
    public synchronized void transfer(String name, long done, long total) {
        if (lastLine == null) {
            lastLine = new HashMap<>();
        }
        long now = System.nanoTime();
        boolean finished = total >= 0 && done >= total;
        Long last = lastLine.get(name);
        if (last == null) {
            lastLine.put(name, now);
            if (!finished) {
                return;
            }
        } else if (!finished && now - last < INTERVAL_NANOS) {
            return;
        }
        lastLine.put(name, now);
        log().println("[gitops-release] " + name + ": " + done / 1024 + " KiB"
                + (total >= 0 ? " of " + total / 1024 + " KiB" : "") + (finished ? " done" : ""));
    }
}
