package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders engine progress on stderr: a redrawn bar on a terminal, otherwise one line per transfer every few seconds
 * (CI logs should not get a line per chunk).
 */
public final class ConsoleProgress implements Progress {
    private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
    private static final long BAR_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean verbose;
    private final boolean tty;
    private final Map<String, Long> lastRender = new ConcurrentHashMap<>();

    public ConsoleProgress(PrintWriter err, boolean verbose, boolean tty) {
        this.err = err;
        this.verbose = verbose;
        this.tty = tty;
    }

    @Override
    public synchronized void step(String message) {
        if (tty) {
            err.print("\r\033[K");
        }
        // Progress may quote a tool's or a library's text: the same scrubbing as error messages.
        err.println(io.jenkins.plugins.gitopsrelease.core.Scrubber.scrub(message));
        err.flush();
    }

    @Override
    public void detail(String message) {
        if (verbose) {
            step(message);
        }
    }

    @Override
    public void transfer(String name, long done, long total) {
        long now = System.nanoTime();
        boolean finished = total >= 0 && done >= total;
        Long last = lastRender.get(name);
        long interval = tty ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
        if (!finished && last != null && now - last < interval) {
            return;
        }
        if (last == null && !finished) {
            // First call only starts the clock; short transfers then print nothing but their end.
            lastRender.put(name, now);
            return;
        }
        lastRender.put(name, now);
        String text = name + " " + human(done) + (total >= 0 ? " / " + human(total) : "");
        synchronized (this) {
            if (tty) {
                int pct = total > 0 ? (int) (done * 100 / total) : 0;
                int width = 30;
                int filled = pct * width / 100;
                err.print("\r\033[K[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + pct + "% " + text);
                if (finished) {
                    err.println();
                }
            } else if (finished || verbose || last != null) {
                err.println(text + (finished ? " done" : ""));
            }
            err.flush();
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
