package io.jenkins.plugins.gitopsrelease.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base images for build tests, made locally since nothing can be pulled: a busybox-static root file system in an
 * OCI layout (umoci), built once per JVM and copied with skopeo into each registry that asks for it.
 */
public final class BaseImages {
    public static final String BUSYBOX_REPO = "base/busybox:1";
    private static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "mkdir", "cp", "rm", "true",
            "false", "test", "touch", "sleep", "env", "wget");
    private static Path layout;
    private static final Map<String, String> PUSHED = new HashMap<>();

    private BaseImages() {
    }

    /** An OCI layout holding {@code busybox:1}: /bin/busybox plus applet links, cmd /bin/sh. */
    public static synchronized Path busyboxLayout() {
        if (layout != null) {
            return layout;
        }
        ExternalTool.require("umoci", "umoci");
        Path busybox = ExternalTool.require("busybox", "busybox-static");
        try {
            Path dir = Files.createTempDirectory("base-images");
            Path l = dir.resolve("layout");
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.copy(busybox, bin.resolve("busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            ExternalTool.run("umoci", "init", "--layout", l.toString());
            ExternalTool.run("umoci", "new", "--image", l + ":busybox");
            ExternalTool.run("umoci", "insert", "--image", l + ":busybox", bin.toString(), "/bin");
            ExternalTool.run("umoci", "config", "--image", l + ":busybox", "--config.cmd", "/bin/sh");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RegistryFixture.deleteTree(dir)));
            layout = l;
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the busybox base image", e);
        }
    }

    /** Copies the busybox base into {@code registry} (once per registry) and returns its reference. */
    public static synchronized String busybox(RegistryFixture registry) {
        String ref = registry.host() + "/" + BUSYBOX_REPO;
        String key = registry.storage() + " " + ref;
        if (PUSHED.containsKey(key)) {
            return ref;
        }
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("skopeo", "skopeo").toString(), "copy", "-q"));
        cmd.addAll(registry.skopeoArgs("dest"));
        cmd.add("oci:" + busyboxLayout() + ":busybox");
        cmd.add("docker://" + ref);
        ExternalTool.run(cmd);
        PUSHED.put(key, ref);
        return ref;
    }
}
