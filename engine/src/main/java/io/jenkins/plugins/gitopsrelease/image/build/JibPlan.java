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

    JibPlan {
        layers = List.copyOf(layers);
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
