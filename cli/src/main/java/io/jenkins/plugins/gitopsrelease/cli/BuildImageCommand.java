package io.jenkins.plugins.gitopsrelease.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImage;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImageResult;
import io.jenkins.plugins.gitopsrelease.image.build.BuilderKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code build-image}: builds and pushes an image, and records it in build_result.json. */
@Command(name = "build-image", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a container image from a source directory without a Docker daemon, push it, and record"
                + " REPO:TAG@sha256:DIGEST in build_result.json (Skaffold's format).",
                "Builders: dockerfile (buildah, podman or docker), jib (in-process: base or scratch + directory layers,"
                + " or a JVM jar + dependency layer), spa (npm/yarn/pnpm build on an nginx base), buildpacks (pack CLI)."},
        footer = {"", "Exit codes: 0 built and pushed, 1 build or push failed, 2 bad input.",
                "Credentials come from env or files only: --registry-password-env VAR, --registry-password-file F,"
                + " --registry-auth-file F, or the agent's docker/containers auth files."})
final class BuildImageCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--context", required = true, paramLabel = "DIR", description = "Source directory of the app.")
    Path context;

    @Option(names = "--image", required = true, paramLabel = "REPO[:TAG]",
            description = "Target repository (tag defaults to the first 8 characters of the source commit),"
                    + " or oci:DIR[:TAG] for an OCI image layout directory.")
    String image;

    @Option(names = "--builder", paramLabel = "KIND", defaultValue = "auto",
            description = "auto (default), dockerfile, jib, spa or buildpacks.")
    String builder;

    @Option(names = "--dockerfile", paramLabel = "PATH", description = "Dockerfile, relative to --context (default Dockerfile).")
    Path dockerfile;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "Dockerfile build argument (repeatable).")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Dockerfile stage to build.")
    String target;

    @Option(names = "--base", paramLabel = "REF", description = "Base image for jib (default scratch) and spa"
            + " (default " + "docker.io/library/nginx:alpine" + ").")
    String base;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Target platform, e.g. linux/amd64.")
    String platform;

    @Option(names = "--build-result", paramLabel = "FILE",
            description = "Where to record the pushed image (default build_result.json; other images' entries are kept).")
    Path buildResult = Path.of("build_result.json");

    @Option(names = "--descriptor", paramLabel = "PATH",
            description = "Workload descriptor relative to --context (default: workload.yaml found under it).")
    Path descriptor;

    @Mixin
    RegistryOptions.WithCaFile registry;

    @Option(names = "--registry-host", paramLabel = "HOST",
            description = "Host the explicit credentials are for (default: the --image registry).")
    String registryHost;

    @Option(names = "--dockerfile-tool", paramLabel = "TOOL", description = "Force buildah, podman or docker (default: first found).")
    String dockerfileTool;

    @Option(names = "--layer", paramLabel = "SRC:DEST", description = "jib: one layer from SRC (relative to --context) at DEST (repeatable).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "jib: entrypoint, as a JSON array or space-separated words.")
    String entrypoint;

    @Option(names = "--cmd", paramLabel = "ARGS", description = "jib: default arguments, as a JSON array or space-separated words.")
    String cmd;

    @Option(names = "--env", paramLabel = "K=V", description = "jib: environment variable; buildpacks: build-time env (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--port", paramLabel = "PORT[/PROTO]", description = "jib/spa: exposed port (repeatable); spa: nginx listens on the first.")
    List<String> ports = new ArrayList<>();

    @Option(names = "--label", paramLabel = "K=V", description = "jib: image label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "jib: user the container runs as.")
    String user;

    @Option(names = "--workdir", paramLabel = "DIR", description = "jib: working directory in the image.")
    String workdir;

    @Option(names = "--jar", paramLabel = "FILE", description = "jib, JVM app: application jar (at /app/app.jar).")
    Path jar;

    @Option(names = "--lib-dir", paramLabel = "DIR", description = "jib, JVM app: dependency jars (a layer at /app/lib).")
    Path libDir;

    @Option(names = "--main-class", paramLabel = "CLASS", description = "jib, JVM app: main class (default: the jar's Main-Class).")
    String mainClass;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "jib/spa: layer cache directory (default: Jib's).")
    Path cacheDir;

    @Option(names = "--node-version", paramLabel = "VERSION", description = "spa: Node version to build with (e.g. 20).")
    String nodeVersion;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "spa: build output directory (default build/ or dist/).")
    String outputDir;

    @Option(names = "--pack-builder", paramLabel = "REF", description = "buildpacks: builder image for pack.")
    String packBuilder;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        BuildImage build = BuildImage.context(context).image(image).builder(BuilderKind.parse(builder))
                .dockerfile(dockerfile).buildArgs(buildArgs).target(target).base(base).platform(platform)
                .buildResult(buildResult).descriptor(descriptor).insecure(registry.insecure).caFile(registry.caFile())
                .auth(auth()).dockerfileTool(dockerfileTool).layers(layers)
                .entrypoint(words("--entrypoint", entrypoint)).cmd(words("--cmd", cmd)).env(env).ports(ports)
                .labels(labels).user(user).workingDir(workdir).jar(jar).libDir(libDir).mainClass(mainClass)
                .cacheDir(cacheDir).nodeVersion(nodeVersion).outputDir(outputDir).packBuilder(packBuilder)
                .attributes(io.jenkins.plugins.gitopsrelease.buildrecord.Attributes.fromEnvironment(System.getenv()))
                .progress(output.progress());
        BuildImageResult r = build.call();
        output.say("built " + r.reference() + " (" + r.builder() + ", " + r.duration().toMillis() + " ms)");
        output.say("recorded in " + buildResult);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("imageName", r.imageName());
        json.put("tag", r.tag());
        json.put("digest", r.digest());
        json.put("reference", r.reference());
        json.put("builder", r.builder());
        json.put("attributes", r.attributes());
        json.put("descriptor", r.descriptor() == null ? null : r.descriptor().toString());
        json.put("buildResult", buildResult.toString());
        json.put("durationMillis", r.duration().toMillis());
        output.result(json);
        return ExitCodes.OK;
    }

    private RegistryAuth auth() {
        return registry.authFor(() -> {
            if (registryHost != null) {
                return registryHost;
            }
            if (image == null || image.startsWith("oci:")) {
                throw new InvalidInputException(
                        "--registry-host: required with explicit credentials when --image is an OCI layout");
            }
            return ImageRefs.displayRegistry(ImageRefs.parse("--image", image));
        });
    }

    /** A JSON array (exact arguments) or space-separated words. */
    static List<String> words(String option, String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.startsWith("[")) {
            try {
                return Output.json().readValue(v, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw InvalidInputException.invalid(option, value, "give a JSON array of strings, e.g. [\"java\",\"-jar\",\"/app.jar\"]");
            }
        }
        return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
    }
}
