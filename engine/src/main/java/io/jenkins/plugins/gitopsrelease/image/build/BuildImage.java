package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.buildrecord.Attributes;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The buildImage verb: turns a source directory into an image in a registry (or an OCI layout directory) and
 * records exactly what was pushed. {@code BuildImage.context(dir).image("reg/app:1.0").builder("jib").call()}.
 * Inputs are checked before any work starts; {@code build_result.json} is written (atomically) only after the
 * push succeeded, so no entry ever names an image that is not in the registry.
 */
public final class BuildImage {
    static final String DEFAULT_SPA_BASE = "docker.io/library/nginx:alpine";
    static final String DESCRIPTOR_NAME = "workload.yaml";

    private final Path context;
    private String image;
    private BuilderKind builder = BuilderKind.AUTO;
    private Path dockerfile;
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private String target;
    private String base;
    private String platform;
    private RegistryAuth auth;
    private final Set<String> insecure = new LinkedHashSet<>();
    private Path caFile;
    private Progress progress = Progress.NONE;
    private Path buildResultFile;
    private Path descriptor;
    private String dockerfileTool;
    // jib
    private final List<String> layers = new ArrayList<>();
    private List<String> entrypoint;
    private List<String> cmd;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> ports = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String user;
    private String workingDir;
    private Path jar;
    private Path libDir;
    private String mainClass;
    private Path cacheDir;
    // spa
    private String nodeVersion;
    private String outputDir;
    // buildpacks
    private String packBuilder;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private BuildImage(Path context) {
        this.context = context;
    }

    /** Starts a build of the source directory {@code dir}. */
    public static BuildImage context(Path dir) {
        return new BuildImage(dir);
    }

    /** {@code REPO[:TAG]} in a registry, or {@code oci:DIR[:TAG]}; without a tag the source commit names it. */
    public BuildImage image(String ref) {
        this.image = ref;
        return this;
    }

    public BuildImage builder(String kind) {
        this.builder = BuilderKind.parse(kind);
        return this;
    }

    public BuildImage builder(BuilderKind kind) {
        this.builder = kind == null ? BuilderKind.AUTO : kind;
        return this;
    }

    /** Dockerfile path, relative to the context unless absolute (default {@code Dockerfile}). */
    public BuildImage dockerfile(Path file) {
        this.dockerfile = file;
        return this;
    }

    public BuildImage buildArgs(Map<String, String> args) {
        this.buildArgs.putAll(args);
        return this;
    }

    public BuildImage buildArg(String key, String value) {
        this.buildArgs.put(key, value);
        return this;
    }

    /** Dockerfile stage to build. */
    public BuildImage target(String stage) {
        this.target = stage;
        return this;
    }

    /** Base image for jib (default scratch) and spa (default nginx:alpine). */
    public BuildImage base(String ref) {
        this.base = ref;
        return this;
    }

    /** {@code os/arch[/variant]}, e.g. linux/amd64. */
    public BuildImage platform(String p) {
        this.platform = p;
        return this;
    }

    public BuildImage auth(RegistryAuth registryAuth) {
        this.auth = registryAuth;
        return this;
    }

    /** Registry hosts (host[:port]) reached over plain HTTP; no other host is. */
    public BuildImage insecure(Collection<String> hosts) {
        this.insecure.addAll(hosts);
        return this;
    }

    /** A PEM CA certificate to trust for registries besides the system's. */
    public BuildImage caFile(Path file) {
        this.caFile = file;
        return this;
    }

    public BuildImage progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    /** Where to record the pushed image (Skaffold's build_result.json); entries for other images are kept. */
    public BuildImage buildResult(Path file) {
        this.buildResultFile = file;
        return this;
    }

    /** The workload descriptor, relative to the context unless absolute (default: workload.yaml found under it). */
    public BuildImage descriptor(Path file) {
        this.descriptor = file;
        return this;
    }

    /** Forces the Dockerfile tool (buildah, podman or docker) instead of the first one found. */
    public BuildImage dockerfileTool(String tool) {
        this.dockerfileTool = tool;
        return this;
    }

    /** jib: a layer {@code SRC:DEST} (SRC relative to the context); one layer per call, in order. */
    public BuildImage layer(String spec) {
        this.layers.add(spec);
        return this;
    }

    public BuildImage layers(Collection<String> specs) {
        this.layers.addAll(specs);
        return this;
    }

    public BuildImage entrypoint(List<String> args) {
        this.entrypoint = args == null ? null : List.copyOf(args);
        return this;
    }

    public BuildImage cmd(List<String> args) {
        this.cmd = args == null ? null : List.copyOf(args);
        return this;
    }

    public BuildImage env(Map<String, String> vars) {
        this.env.putAll(vars);
        return this;
    }

    public BuildImage ports(Collection<String> p) {
        this.ports.addAll(p);
        return this;
    }

    public BuildImage labels(Map<String, String> l) {
        this.labels.putAll(l);
        return this;
    }

    public BuildImage user(String u) {
        this.user = u;
        return this;
    }

    public BuildImage workingDir(String dir) {
        this.workingDir = dir;
        return this;
    }

    /** jib, JVM app: the application jar (its own layer, at /app/app.jar). */
    public BuildImage jar(Path file) {
        this.jar = file;
        return this;
    }

    /** jib, JVM app: the dependency jars' directory (a layer below the app, at /app/lib). */
    public BuildImage libDir(Path dir) {
        this.libDir = dir;
        return this;
    }

    public BuildImage mainClass(String cls) {
        this.mainClass = cls;
        return this;
    }

    /** Jib's layer caches (base and application); default: Jib's own locations. */
    public BuildImage cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    /** spa: the Node version to build with (e.g. 20 or 20.11.1). */
    public BuildImage nodeVersion(String v) {
        this.nodeVersion = v;
        return this;
    }

    /** spa: the build's output directory relative to the context (default build/ or dist/, whichever exists). */
    public BuildImage outputDir(String dir) {
        this.outputDir = dir;
        return this;
    }

    /** buildpacks: the builder image pack uses. */
    public BuildImage packBuilder(String ref) {
        this.packBuilder = ref;
        return this;
    }

    /**
     * Attributes to fix in the image besides the ones the build finds itself (commit, source, created, version,
     * base, builder): e.g. the CI run URL and job ({@code Attributes.fromEnvironment(env)}). They win over the found
     * ones; blank values are dropped.
     */
    public BuildImage attributes(Map<String, String> extra) {
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (k != null && v != null && !v.isBlank()) {
                    attributes.put(k, v);
                }
            });
        }
        return this;
    }

    /** What goes into the image: found from the checkout and the build, then the caller's (which win). */
    private Map<String, String> attributesFor(Path ctx, ImageTarget tagged, BuilderKind kind, String baseName) {
        Map<String, String> a = new LinkedHashMap<>(Attributes.fromGit(ctx));
        if (tagged.tag() != null) {
            a.put(Attributes.VERSION, tagged.tag());
        }
        a.put(Attributes.BUILDER, kind.id());
        if (baseName != null && !baseName.equals("scratch")) {
            a.put(Attributes.BASE_NAME, baseName);
            int at = baseName.indexOf("@sha256:");
            if (at > 0) {
                a.put(Attributes.BASE_DIGEST, baseName.substring(at + 1));
            }
        }
        a.putAll(attributes);
        return a;
    }

    public BuildImageResult call() {
        long start = System.nanoTime();
        Path ctx = checkContext();
        ImageTarget dest = ImageTarget.parse(image);
        if (platform != null && !platform.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
            throw InvalidInputException.invalid("--platform", platform, "give os/arch[/variant], e.g. linux/amd64");
        }
        BuilderKind kind = builder == BuilderKind.AUTO ? detect(ctx) : builder;
        if (buildResultFile != null) {
            BuildResult.readOrEmpty(buildResultFile); // a broken file is bad input, found before the build, not after
        }
        Path descriptorFile = findDescriptor(ctx);
        RegistryAccess access = new RegistryAccess(auth == null ? RegistryAuth.fromEnvironment() : auth, insecure, caFile);

        // Everything a builder needs is checked before the (slow) tag lookup and build.
        Runnable build;
        String[] digest = new String[1];
        Map<String, String> recorded = new LinkedHashMap<>();
        switch (kind) {
            case DOCKERFILE -> {
                Path file = checkDockerfile(ctx);
                DockerfileImageBuilder.Request req = new DockerfileImageBuilder.Request(ctx, file,
                        Map.copyOf(buildArgs), target, platform, dockerfileTool, null);
                build = () -> {
                    ImageTarget t = withTag(dest, ctx);
                    recorded.putAll(attributesFor(ctx, t, kind, DockerfileImageBuilder.finalBase(file)));
                    digest[0] = DockerfileImageBuilder.build(req.withAttributes(recorded), t, access, progress);
                };
            }
            case JIB -> {
                JibPlan plan = jibPlan(ctx, descriptorFile);
                build = () -> {
                    ImageTarget t = withTag(dest, ctx);
                    // Jib writes no manifest annotations: the attributes are config labels (still in the digest)
                    recorded.putAll(attributesFor(ctx, t, kind, plan.base()));
                    digest[0] = JibImageBuilder.build(plan.withAttributes(recorded), t, access, progress);
                };
            }
            case SPA -> {
                SpaImageBuilder.Request req = new SpaImageBuilder.Request(ctx, nodeVersion, outputDir,
                        base == null ? DEFAULT_SPA_BASE : base, ports, platform, cacheDir);
                SpaImageBuilder.check(req);
                build = () -> digest[0] = SpaImageBuilder.build(req, withTag(dest, ctx), access, progress);
            }
            case BUILDPACKS -> {
                BuildpacksImageBuilder.Request req = new BuildpacksImageBuilder.Request(ctx, packBuilder, Map.copyOf(env),
                        platform);
                BuildpacksImageBuilder.check(req);
                build = () -> digest[0] = BuildpacksImageBuilder.build(req, withTag(dest, ctx), access, progress);
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        ImageTarget tagged = withTag(dest, ctx);
        progress.step("building " + tagged.display() + " with " + kind.id());
        build.run();
        if (digest[0] == null || !digest[0].matches("sha256:[0-9a-f]{64}")) {
            throw new OperationFailedException("the " + kind.id() + " build of " + tagged.display()
                    + " reported no manifest digest ('" + digest[0] + "'); nothing was recorded");
        }
        String reference = tagged.display() + "@" + digest[0];
        BuildImageResult result = new BuildImageResult(tagged.imageName(), tagged.tag(), digest[0], reference, kind.id(),
                descriptorFile, Duration.ofNanos(System.nanoTime() - start), recorded);
        if (buildResultFile != null) {
            BuildResult.readOrEmpty(buildResultFile)
                    .withBuild(new BuildResult.Build(result.imageName(), reference, recorded))
                    .withDescriptor(descriptorFile == null ? null : recordedPath(descriptorFile, buildResultFile))
                    .write(buildResultFile);
        }
        progress.step("pushed " + reference);
        return result;
    }

    private ImageTarget withTag(ImageTarget dest, Path ctx) {
        return dest.tag() != null ? dest : dest.withTag(SourceCommit.shortHead(ctx, image));
    }

    private Path checkContext() {
        if (context == null) {
            throw new InvalidInputException("--context: a source directory is required");
        }
        Path ctx = context.toAbsolutePath().normalize();
        if (!Files.isDirectory(ctx)) {
            throw InvalidInputException.invalid("--context", context, "the directory does not exist; give the app's source directory");
        }
        return ctx;
    }

    private BuilderKind detect(Path ctx) {
        if (Files.isRegularFile(dockerfile != null ? ctx.resolve(dockerfile) : ctx.resolve("Dockerfile"))) {
            return BuilderKind.DOCKERFILE;
        }
        if (SpaImageBuilder.hasBuildScript(ctx)) {
            return BuilderKind.SPA;
        }
        throw InvalidInputException.invalid("--builder", "auto", "no Dockerfile and no package.json with a \"build\""
                + " script in " + ctx + ": pass --builder dockerfile|jib|spa|buildpacks");
    }

    private Path checkDockerfile(Path ctx) {
        Path file = ctx.resolve(dockerfile == null ? Path.of("Dockerfile") : dockerfile).normalize();
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--dockerfile", dockerfile == null ? file : dockerfile,
                    "no such file; give the Dockerfile's path (relative to --context) or pick another --builder");
        }
        return file;
    }

    private Path findDescriptor(Path ctx) {
        if (descriptor != null) {
            Path file = ctx.resolve(descriptor).normalize();
            if (!Files.isRegularFile(file)) {
                throw InvalidInputException.invalid("--descriptor", descriptor,
                        "no such file; give the workload descriptor's path relative to --context");
            }
            return file;
        }
        Path top = ctx.resolve(DESCRIPTOR_NAME);
        if (Files.isRegularFile(top)) {
            return top;
        }
        try (Stream<Path> walk = Files.walk(ctx, 4)) {
            return walk.filter(p -> p.getFileName().toString().equals(DESCRIPTOR_NAME) && Files.isRegularFile(p))
                    .filter(p -> {
                        for (Path seg : ctx.relativize(p).getParent() == null ? List.<Path>of() : ctx.relativize(p).getParent()) {
                            if (seg.toString().startsWith(".") || seg.toString().equals("node_modules")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The descriptor as recorded in build_result.json: relative to that file's directory when under it. */
    static String recordedPath(Path descriptorFile, Path buildResult) {
        Path dir = buildResult.toAbsolutePath().normalize().getParent();
        Path d = descriptorFile.toAbsolutePath().normalize();
        return (d.startsWith(dir) ? dir.relativize(d) : d).toString().replace('\\', '/');
    }

    private JibPlan jibPlan(Path ctx, Path descriptorFile) {
        List<JibPlan.Layer> planLayers = new ArrayList<>();
        List<String> entry = entrypoint;
        if (jar != null) {
            Path jarFile = ctx.resolve(jar).normalize();
            if (!Files.isRegularFile(jarFile)) {
                throw InvalidInputException.invalid("--jar", jar, "no such file; give the application jar relative to --context");
            }
            String cp = "/app/app.jar";
            if (libDir != null) {
                Path lib = ctx.resolve(libDir).normalize();
                if (!Files.isDirectory(lib)) {
                    throw InvalidInputException.invalid("--lib-dir", libDir, "no such directory; give the dependency jars' directory");
                }
                planLayers.add(new JibPlan.Layer("dependencies", List.of(new JibPlan.Entry(lib, "/app/lib"))));
                cp += ":/app/lib/*";
            }
            planLayers.add(new JibPlan.Layer("application", List.of(new JibPlan.Entry(jarFile, "/app/app.jar"))));
            if (entry == null) {
                entry = List.of("java", "-cp", cp, mainClassOf(jarFile));
            }
        }
        for (String spec : layers) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1 || !spec.substring(colon + 1).startsWith("/")) {
                throw InvalidInputException.invalid("--layer", spec, "give SRC:DEST with an absolute DEST, e.g. static:/srv/static");
            }
            Path src = ctx.resolve(spec.substring(0, colon)).normalize();
            if (!Files.exists(src)) {
                throw InvalidInputException.invalid("--layer", spec, "the source " + src + " does not exist");
            }
            planLayers.add(new JibPlan.Layer(src.getFileName().toString(),
                    List.of(new JibPlan.Entry(src, spec.substring(colon + 1)))));
        }
        if (jar == null && layers.isEmpty()) {
            // The context mirrors the image's file system: each top-level directory is one layer at /NAME, loose
            // top-level files one more layer at /. Hidden entries and the workload descriptor stay out.
            List<JibPlan.Entry> files = new ArrayList<>();
            try (Stream<Path> list = Files.list(ctx)) {
                for (Path p : list.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".") || p.equals(descriptorFile)
                            || buildResultFile != null && p.equals(buildResultFile.toAbsolutePath().normalize())) {
                        continue;
                    }
                    if (Files.isDirectory(p)) {
                        planLayers.add(new JibPlan.Layer(name, List.of(new JibPlan.Entry(p, "/" + name))));
                    } else {
                        files.add(new JibPlan.Entry(p, "/" + name));
                    }
                }
            } catch (IOException e) {
                throw new OperationFailedException("cannot list " + ctx + ": " + e.getMessage(), e);
            }
            if (!files.isEmpty()) {
                planLayers.add(new JibPlan.Layer("files", files));
            }
        }
        if (planLayers.isEmpty()) {
            throw InvalidInputException.invalid("--context", context, "nothing to put into the image: the directory is"
                    + " empty; add files, --layer SRC:DEST or --jar");
        }
        return new JibPlan(base, planLayers, entry, cmd, env, ports, labels, user, workingDir, platform, cacheDir);
    }

    private String mainClassOf(Path jarFile) {
        if (mainClass != null) {
            return mainClass;
        }
        try (JarFile jf = new JarFile(jarFile.toFile())) {
            var manifest = jf.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (main == null || main.isBlank()) {
                throw InvalidInputException.invalid("--jar", jar, "the jar's manifest has no Main-Class: pass --main-class");
            }
            return main.trim();
        } catch (IOException e) {
            throw InvalidInputException.invalid("--jar", jar, "not a readable jar (" + e.getMessage() + ")");
        }
    }
}
