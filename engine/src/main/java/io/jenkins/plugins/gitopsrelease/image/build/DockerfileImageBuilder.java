package io.jenkins.plugins.gitopsrelease.image.build;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.jenkins.plugins.gitopsrelease.core.Executables;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Dockerfile builds through the tool the agent has: buildah (preferred: no daemon, {@code --isolation chroot}),
 * podman, then docker. buildah and podman get private, throw-away storage ({@code --root/--runroot} in a temp
 * directory, vfs driver) so they need no system configuration and leave nothing behind; without a persistent
 * store, {@code --layers} caching would buy nothing, so it stays off. Credentials reach the tool in a 0600
 * auth file, never in arguments. The digest is the one the tool wrote after pushing ({@code --digestfile}).
 */
final class DockerfileImageBuilder {
    static final List<String> TOOLS = List.of("buildah", "podman", "docker");

    /** {@code attributes} become config labels and (buildah, podman) manifest annotations. */
    record Request(Path context, Path dockerfile, Map<String, String> buildArgs, String target, String platform,
            String tool, Map<String, String> attributes) {
        Request {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        Request withAttributes(Map<String, String> a) {
            return new Request(context, dockerfile, buildArgs, target, platform, tool, a);
        }
    }

    private DockerfileImageBuilder() {
    }

    static String build(Request req, ImageTarget target, RegistryAccess access, Progress progress) {
        String toolName = chooseTool(req.tool());
        Path tool = Executables.find(toolName).orElseThrow();
        Path work;
        try {
            work = Files.createTempDirectory("gitops-release-build");
        } catch (IOException e) {
            throw new OperationFailedException("cannot create a temp directory: " + e.getMessage(), e);
        }
        try {
            Set<String> hosts = new LinkedHashSet<>(baseHosts(req.dockerfile()));
            if (target instanceof ImageTarget.Registry r) {
                hosts.add(r.host());
            }
            Path secrets = Files.createDirectory(work.resolve("auth"),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            Path authFile = access.writeAuthFile(secrets, hosts);
            Path certDir = access.writeCertDir(work);
            return toolName.equals("docker")
                    ? docker(tool, req, target, access, work, authFile, progress)
                    : containersTool(tool, toolName, req, target, access, work, authFile, certDir, progress);
        } catch (IOException e) {
            throw new OperationFailedException("cannot prepare the build in " + work + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work, tool, toolName);
        }
    }

    static String chooseTool(String forced) {
        if (forced != null) {
            if (!TOOLS.contains(forced)) {
                throw InvalidInputException.invalid("--dockerfile-tool", forced, "use buildah, podman or docker");
            }
            Executables.require(forced, "install it, or leave the tool choice out to use whichever is present");
            return forced;
        }
        for (String t : TOOLS) {
            if (Executables.find(t).isPresent()) {
                return t;
            }
        }
        throw new OperationFailedException("no Dockerfile builder on PATH: install buildah (preferred), podman or docker,"
                + " or use --builder jib");
    }

    /** buildah and podman share their flags for what we use. */
    private static String containersTool(Path tool, String name, Request req, ImageTarget target, RegistryAccess access,
            Path work, Path authFile, Path certDir, Progress progress) throws IOException {
        List<String> global = List.of(tool.toString(), "--root", work.resolve("root").toString(),
                "--runroot", work.resolve("runroot").toString(), "--storage-driver", "vfs");
        Map<String, String> env = Map.of(
                "CONTAINERS_REGISTRIES_CONF", access.writeRegistriesConf(work).toString(),
                "REGISTRY_AUTH_FILE", authFile.toString(),
                "TMPDIR", Files.createDirectories(work.resolve("tmp")).toString(),
                "BUILDAH_ISOLATION", "chroot");
        String local = "localhost/gitops-release-build:" + UUID.randomUUID().toString().substring(0, 8);

        List<String> bud = new ArrayList<>(global);
        bud.addAll(List.of(name.equals("buildah") ? "bud" : "build", "--isolation", "chroot", "--authfile",
                authFile.toString(), "-f", req.dockerfile().toString(), "-t", local));
        if (certDir != null) {
            bud.addAll(List.of("--cert-dir", certDir.toString()));
        }
        req.buildArgs().forEach((k, v) -> bud.addAll(List.of("--build-arg", k + "=" + v)));
        new java.util.TreeMap<>(req.attributes()).forEach((k, v) -> bud.addAll(List.of("--label", k + "=" + v,
                "--annotation", k + "=" + v)));
        if (req.target() != null) {
            bud.addAll(List.of("--target", req.target()));
        }
        if (req.platform() != null) {
            bud.addAll(List.of("--platform", req.platform()));
        }
        bud.add(req.context().toString());
        ToolRun.run("Dockerfile build of " + target.display(), bud, req.context(), env, progress);

        Path digestFile = work.resolve("digest");
        List<String> push = new ArrayList<>(global);
        push.addAll(List.of("push", "--authfile", authFile.toString(), "--digestfile", digestFile.toString()));
        if (certDir != null) {
            push.addAll(List.of("--cert-dir", certDir.toString()));
        }
        String dest;
        if (target instanceof ImageTarget.Registry r) {
            if (access.insecure(r.host())) {
                push.add("--tls-verify=false");
            }
            dest = "docker://" + r.ref();
        } else {
            ImageTarget.OciLayout oci = (ImageTarget.OciLayout) target;
            Files.createDirectories(oci.dir());
            dest = "oci:" + oci.dir() + ":" + oci.tag();
        }
        push.add(local);
        push.add(dest);
        progress.step("pushing " + target.display());
        ToolRun.run("push of " + target.display(), push, req.context(), env, progress);
        return readDigest(digestFile, target);
    }

    /** docker: the daemon owns TLS and insecure-registry settings; credentials go through a private DOCKER_CONFIG. */
    private static String docker(Path tool, Request req, ImageTarget target, RegistryAccess access, Path work,
            Path authFile, Progress progress) throws IOException {
        if (!(target instanceof ImageTarget.Registry r)) {
            throw InvalidInputException.invalid("--image", target.display(), "docker cannot write an OCI layout;"
                    + " install buildah or use --builder jib");
        }
        Path config = work.resolve("auth");
        Files.move(authFile, config.resolve("config.json"));
        Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString());
        String ref = r.ref().toString();
        List<String> build = new ArrayList<>(List.of(tool.toString(), "build", "-f", req.dockerfile().toString(), "-t", ref));
        req.buildArgs().forEach((k, v) -> build.addAll(List.of("--build-arg", k + "=" + v)));
        new java.util.TreeMap<>(req.attributes()).forEach((k, v) -> build.addAll(List.of("--label", k + "=" + v)));
        if (req.target() != null) {
            build.addAll(List.of("--target", req.target()));
        }
        if (req.platform() != null) {
            build.addAll(List.of("--platform", req.platform()));
        }
        build.add(req.context().toString());
        ToolRun.run("Dockerfile build of " + target.display(), build, req.context(), env, progress);
        ToolRun.run("push of " + target.display(), List.of(tool.toString(), "push", ref), req.context(), env, progress);
        List<String> digests = ToolRun.run("digest lookup of " + ref, List.of(tool.toString(), "image", "inspect",
                "--format", "{{range .RepoDigests}}{{println .}}{{end}}", ref), req.context(), env, Progress.NONE);
        String repo = r.ref().getRegistry() + "/" + r.ref().getRepository();
        return digests.stream().map(String::trim).filter(l -> l.startsWith(repo + "@"))
                .map(l -> l.substring(l.indexOf('@') + 1)).findFirst()
                .orElseThrow(() -> new OperationFailedException("docker pushed " + ref + " but reported no digest for it"));
    }

    private static String readDigest(Path digestFile, ImageTarget target) throws IOException {
        if (!Files.isRegularFile(digestFile)) {
            throw new OperationFailedException("the push of " + target.display() + " wrote no digest file");
        }
        return Files.readString(digestFile, StandardCharsets.UTF_8).trim();
    }

    /**
     * Each FROM line's image as written, in order; null where it is scratch, an earlier stage's name or built from an
     * ARG (none of which is pulled from a registry). An unreadable file has none.
     */
    static List<String> fromImages(Path dockerfile) {
        List<String> images = new ArrayList<>();
        Set<String> stages = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dockerfile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return images;
        }
        for (String raw : lines) {
            String[] words = raw.trim().split("\\s+");
            if (words.length < 2 || !words[0].equalsIgnoreCase("FROM")) {
                continue;
            }
            List<String> args = Stream.of(words).skip(1).filter(w -> !w.startsWith("--")).toList();
            if (args.isEmpty()) {
                continue;
            }
            String img = args.get(0);
            images.add(img.contains("$") || img.equals("scratch") || stages.contains(img.toLowerCase(Locale.ROOT))
                    ? null : img);
            if (args.size() >= 3 && args.get(1).equalsIgnoreCase("AS")) {
                stages.add(args.get(2).toLowerCase(Locale.ROOT));
            }
        }
        return images;
    }

    /** The final stage's FROM image as written (null for scratch, a stage name or an ARG-built name). */
    static String finalBase(Path dockerfile) {
        List<String> images = fromImages(dockerfile);
        return images.isEmpty() ? null : images.get(images.size() - 1);
    }

    /** Registry hosts of the FROM images (for the auth file); stage names, scratch and ARG-built names are skipped. */
    static Set<String> baseHosts(Path dockerfile) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String img : fromImages(dockerfile)) {
            if (img == null) {
                continue;
            }
            try {
                hosts.add(ImageRefs.displayRegistry(ImageReference.parse(img)));
            } catch (InvalidImageReferenceException e) {
                // the tool reports a bad FROM itself
            }
        }
        return hosts;
    }

    /** Private storage can be gigabytes: always removed. Rootless layers may need the tool's user namespace. */
    private static void deleteTree(Path dir, Path tool, String toolName) {
        if (!deleteQuietly(dir) && !toolName.equals("docker")) {
            try {
                new ProcessBuilder(tool.toString(), "unshare", "rm", "-rf", dir.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // best effort; the directory is under the temp dir
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return !Files.exists(root);
    }
}
