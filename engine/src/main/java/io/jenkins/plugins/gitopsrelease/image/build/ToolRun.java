package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs an external tool (buildah, npm, pack...) with its output streamed line by line to the progress, keeping the
 * last lines for the error message. Arguments never hold secrets (credentials go through files), so the command
 * line may appear in messages.
 */
final class ToolRun {
    private static final int TAIL = 30;

    private ToolRun() {
    }

    /** Output lines (all of them) of a successful run; a non-zero exit throws with the last meaningful line. */
    static List<String> run(String what, List<String> command, Path dir, Map<String, String> env, Progress progress) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        List<String> all = new ArrayList<>();
        Deque<String> tail = new ArrayDeque<>();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new OperationFailedException(what + ": cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    progress.step(line);
                    all.add(line);
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new OperationFailedException(what + " failed (" + command.get(0) + " exit " + exit + "): "
                        + lastMeaningful(tail));
            }
            return all;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new OperationFailedException(what + ": reading output of " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OperationFailedException(what + " interrupted", e);
        }
    }

    /** The last error-looking line, else the last non-blank one: what a user needs to see first. */
    static String lastMeaningful(Deque<String> tail) {
        List<String> lines = new ArrayList<>(tail);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).strip();
            if (l.toLowerCase(java.util.Locale.ROOT).contains("error")) {
                return l;
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "no output";
    }
}
