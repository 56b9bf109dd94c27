package io.jenkins.plugins.gitopsrelease.image.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the in-process builder puts into an image: a base (null for scratch), layers in order, and the container
 * configuration. Fields left null inherit the base image's value.
 */
record JibPlan(String base, List<Layer> layers, List<String> entrypoint, List<String> cmd, Map<String, String> env,
        List<String> ports, Map<String, String> labels, String user, String workingDir, String platform, Path cacheDir) {

    /** One image layer: files or directories copied to absolute paths in the image. */
    record Layer(String name, List<Entry> entries) {
        Layer {
            entries = List.copyOf(entries);
        }
    }

    record Entry(Path source, String destination) {
    }

    /** A copy with {@code extra} labels under the plan's own (explicit --label values win over attributes). */
    JibPlan withAttributes(Map<String, String> extra) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(extra);
        merged.putAll(labels);
        return new JibPlan(base, layers, entrypoint, cmd, env, ports, merged, user, workingDir, platform, cacheDir);
    }

    JibPlan {
        layers = List.copyOf(layers);
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
