package io.jenkins.plugins.gitopsrelease.image.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Shared helpers: inspecting pushed images with skopeo, reading files out of their layers, recording progress. */
final class BuildTesting {
    static final ObjectMapper JSON = new ObjectMapper();

    private BuildTesting() {
    }

    static JsonNode inspect(RegistryFixture registry, String repoAndTag, boolean config) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect"));
        if (config) {
            cmd.add("--config");
        }
        cmd.addAll(registry.skopeoArgs(null));
        cmd.add("docker://" + registry.host() + "/" + repoAndTag);
        try {
            return JSON.readTree(ExternalTool.run(cmd));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file of every layer of the pushed image, path (without leading '/') → content. */
    static Map<String, String> layerFiles(RegistryFixture registry, String repoAndTag, Path tmp) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "pulled");
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "-q"));
        cmd.addAll(registry.skopeoArgs("src"));
        cmd.add("docker://" + registry.host() + "/" + repoAndTag);
        cmd.add("oci:" + dir + ":x");
        ExternalTool.run(cmd);
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(dir, index.path("manifests").get(0).path("digest").asText()).toFile());
        Map<String, String> files = new HashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(blob(dir, layer.path("digest").asText())));
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                    if (e.isFile()) {
                        files.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    } else if (e.isDirectory()) {
                        files.put(name.endsWith("/") ? name : name + "/", "");
                    } else if (e.isSymbolicLink()) {
                        files.put(name, "-> " + e.getLinkName());
                    }
                }
            }
        }
        return files;
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }


    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
