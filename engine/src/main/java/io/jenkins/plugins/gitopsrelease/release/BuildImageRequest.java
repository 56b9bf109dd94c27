package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImage;
import io.jenkins.plugins.gitopsrelease.image.build.BuildImageResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code buildImage} step's parameters, resolved against the platform settings, and their mapping onto
 * {@link BuildImage}. Paths are relative to the workspace. Serializable: the plugin sends it to the agent.
 */
public final class BuildImageRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String image;
    private String context = ".";
    private String dockerfile;
    private String builder = "auto";
    private String base;
    private String platform;
    private String buildResult = "build_result.json";
    private String descriptor;
    private final LinkedHashMap<String, String> buildArgs = new LinkedHashMap<>();
    private final ArrayList<String> insecureRegistries = new ArrayList<>();
    private String registryUsername;
    private Secret registryPassword;

    @Override
    public String verb() {
        return Verbs.BUILD_IMAGE;
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        return call(workspace, env, progress);
    }

    public static BuildImageRequest create() {
        return new BuildImageRequest();
    }

    /**
     * {@code REPO[:TAG]}. A bare name ({@code hello-web}) is placed in the first environment's registry, so a
     * developer names only the app and the platform decides where it lives.
     */
    public BuildImageRequest image(String image, ReleaseSettings settings) {
        if (image == null || image.isBlank()) {
            throw new InvalidInputException("image: required, e.g. registry.example.com/team/app or just app when the"
                    + " first environment has a registry");
        }
        String v = image.trim();
        if (!v.startsWith("oci:") && !ImageRefs.hasRegistry(v)) {
            String registry = settings.environments().isEmpty() ? null : settings.environments().get(0).registry();
            if (registry != null) {
                v = registry + "/" + v;
            }
        }
        this.image = v;
        return this;
    }

    public BuildImageRequest context(String context) {
        this.context = blank(context) ? "." : context;
        return this;
    }

    public BuildImageRequest dockerfile(String dockerfile) {
        this.dockerfile = blank(dockerfile) ? null : dockerfile;
        return this;
    }

    public BuildImageRequest builder(String builder) {
        this.builder = blank(builder) ? "auto" : builder;
        return this;
    }

    public BuildImageRequest base(String base) {
        this.base = blank(base) ? null : base;
        return this;
    }

    public BuildImageRequest platform(String platform) {
        this.platform = blank(platform) ? null : platform;
        return this;
    }

    public BuildImageRequest buildResult(String buildResult) {
        this.buildResult = blank(buildResult) ? "build_result.json" : buildResult;
        return this;
    }

    public BuildImageRequest descriptor(String descriptor) {
        this.descriptor = blank(descriptor) ? null : descriptor;
        return this;
    }

    public BuildImageRequest buildArgs(Map<String, String> args) {
        if (args != null) {
            buildArgs.putAll(args);
        }
        return this;
    }

    public BuildImageRequest insecureRegistries(List<String> hosts) {
        if (hosts != null) {
            insecureRegistries.addAll(hosts);
        }
        return this;
    }

    /** Explicit registry credentials (from Jenkins credentials); they win over the agent's auth files. */
    public BuildImageRequest registryCredentials(String username, Secret password) {
        this.registryUsername = username;
        this.registryPassword = password;
        return this;
    }

    public String image() {
        return image;
    }

    @Override
    public List<Secret> secrets() {
        return registryPassword == null ? List.of() : List.of(registryPassword);
    }

    /** Runs the build in {@code workspace}; returns the image as pushed. */
    public StepResult call(Path workspace, Progress progress) {
        return call(workspace, Map.of(), progress);
    }

    /** The {@code listing} of a record captured at build time: attributes only, nothing read from a registry. */
    public static final String BUILD_TIME = "build-time";

    /** {@code env} is the run's environment: its run URL, job and branch become attributes of the image. */
    public StepResult call(Path workspace, Map<String, String> env, Progress progress) {
        if (image == null) {
            throw new InvalidInputException("image: required");
        }
        Path ctx = workspace.resolve(context).normalize();
        RegistryAuth auth = RegistryAuth.fromEnvironment();
        if (registryPassword != null && !image.startsWith("oci:")) {
            auth = auth.with(ImageRefs.parse("image", image).getRegistry(), registryUsername, registryPassword);
        }
        // The engine builds and pushes in one call; the first "push" message splits the time between the two.
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong pushAt = new java.util.concurrent.atomic.AtomicLong();
        Progress timed = new Progress() {
            @Override
            public void step(String message) {
                if (message != null && PUSH_START.matcher(message).find()) {
                    pushAt.compareAndSet(0, System.nanoTime());
                }
                progress.step(message);
            }

            @Override
            public void transfer(String name, long done, long total) {
                progress.transfer(name, done, total);
            }

            @Override
            public void detail(String message) {
                progress.detail(message);
            }
        };
        BuildImage b = BuildImage.context(ctx).image(image).builder(builder).buildArgs(buildArgs).base(base)
                .platform(platform).auth(auth).insecure(insecureRegistries).progress(timed)
                .buildResult(workspace.resolve(buildResult).normalize())
                .attributes(io.jenkins.plugins.gitopsrelease.buildrecord.Attributes.fromEnvironment(env));
        if (dockerfile != null) {
            b.dockerfile(ctx.resolve(dockerfile));
        }
        if (descriptor != null) {
            b.descriptor(ctx.resolve(descriptor));
        }
        BuildImageResult r = b.call();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image", r.reference());
        values.put("repository", r.imageName());
        values.put("tag", r.tag());
        values.put("digest", r.digest());
        values.put("builder", r.builder());
        values.put("attributes", r.attributes());
        values.put("descriptor", r.descriptor() == null ? null : workspace.relativize(r.descriptor()).toString());
        if (pushAt.get() != 0) {
            long end = System.nanoTime();
            values.put("buildMillis", (pushAt.get() - start) / 1_000_000);
            values.put("pushMillis", (end - pushAt.get()) / 1_000_000);
        }
        StepResult result = new StepResult(Verbs.BUILD_IMAGE, values, null, r.duration());
        if (r.digest() != null) { // the attributes as written into the image; no annotation exists yet
            result.withRecord(new io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord(r.imageName() + "@"
                    + r.digest(), r.digest(), r.attributes(), List.of(), BUILD_TIME, List.of()));
        }
        return result;
    }


    // The dockerfile builder says "pushing REF" once the image is built. Jib pushes layers while it builds them,
    // so a jib build has no such point: its build time includes the push.
    private static final java.util.regex.Pattern PUSH_START = java.util.regex.Pattern.compile("^[Pp]ushing ");

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
