package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.Executables;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud Native Buildpacks through the {@code pack} CLI ({@code pack build IMG --builder B --env K=V --publish}).
 * Registry credentials reach pack through a private DOCKER_CONFIG; the digest is the one the lifecycle's exporter
 * prints after publishing.
 */
final class BuildpacksImageBuilder {
    private static final Pattern DIGEST = Pattern.compile("\\*\\*\\* Digest: (sha256:[0-9a-f]{64})");

    record Request(Path context, String packBuilder, Map<String, String> env, String platform) {
    }

    private BuildpacksImageBuilder() {
    }

    static void check(Request req) {
        Executables.require("pack", "the buildpacks builder runs the pack CLI; install it"
                + " (https://buildpacks.io/docs/tools/pack/) or use --builder dockerfile|jib|spa");
        if (req.packBuilder() == null || req.packBuilder().isBlank()) {
            throw new InvalidInputException("--pack-builder: a buildpacks builder image is required, e.g."
                    + " paketobuildpacks/builder-jammy-base");
        }
    }

    static String build(Request req, ImageTarget target, RegistryAccess access, Progress progress) {
        if (!(target instanceof ImageTarget.Registry r)) {
            throw InvalidInputException.invalid("--image", target.display(), "pack publishes to a registry only;"
                    + " give REPO[:TAG] or use --builder jib for an OCI layout");
        }
        Path pack = Executables.require("pack", "install the pack CLI");
        Path work;
        try {
            work = Files.createTempDirectory("gitops-release-pack");
        } catch (IOException e) {
            throw new OperationFailedException("cannot create a temp directory: " + e.getMessage(), e);
        }
        try {
            Path auth = access.writeAuthFile(work, List.of(r.host()));
            Files.move(auth, work.resolve("config.json"));
            List<String> cmd = new ArrayList<>(List.of(pack.toString(), "build", r.ref().toString(), "--builder",
                    req.packBuilder(), "--path", req.context().toString(), "--publish"));
            req.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
            if (access.insecure(r.host())) {
                cmd.addAll(List.of("--insecure-registry", r.host()));
            }
            if (req.platform() != null) {
                cmd.addAll(List.of("--platform", req.platform()));
            }
            List<String> out = ToolRun.run("buildpacks build of " + target.display(), cmd, req.context(),
                    Map.of("DOCKER_CONFIG", work.toString()), progress);
            for (int i = out.size() - 1; i >= 0; i--) {
                Matcher m = DIGEST.matcher(out.get(i));
                if (m.find()) {
                    return m.group(1);
                }
            }
            throw new OperationFailedException("pack published " + target.display() + " but printed no digest line"
                    + " (*** Digest: sha256:...); nothing was recorded");
        } catch (IOException e) {
            throw new OperationFailedException("cannot prepare pack's config: " + e.getMessage(), e);
        } finally {
            DockerfileImageBuilder.deleteQuietly(work);
        }
    }
}
