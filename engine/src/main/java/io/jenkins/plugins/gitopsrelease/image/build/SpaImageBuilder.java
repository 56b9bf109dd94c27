package io.jenkins.plugins.gitopsrelease.image.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.core.Executables;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The seeds' React/SPA workflow without a daemon: install and build with the project's package manager (from its
 * lock file), then the output directory on an nginx base, with a server block that answers client-side routes
 * with {@code index.html}. The image is assembled by Jib.
 */
final class SpaImageBuilder {
    static final String HTML_ROOT = "/usr/share/nginx/html";
    static final String NGINX_CONF = "/etc/nginx/conf.d/default.conf";
    private static final ObjectMapper JSON = io.jenkins.plugins.gitopsrelease.core.ParseLimits.json();

    record Request(Path context, String nodeVersion, String outputDir, String base, List<String> ports, String platform,
            Path cacheDir) {
    }

    enum PackageManager {
        NPM("npm"), YARN("yarn"), PNPM("pnpm");

        final String command;

        PackageManager(String command) {
            this.command = command;
        }

        List<String> install(boolean hasLock) {
            return switch (this) {
                case NPM -> hasLock ? List.of("npm", "ci") : List.of("npm", "install");
                case YARN -> hasLock ? List.of("yarn", "install", "--frozen-lockfile") : List.of("yarn", "install");
                case PNPM -> hasLock ? List.of("pnpm", "install", "--frozen-lockfile") : List.of("pnpm", "install");
            };
        }

        List<String> build() {
            return List.of(command, "run", "build");
        }
    }

    private SpaImageBuilder() {
    }

    static boolean hasBuildScript(Path ctx) {
        Path pkg = ctx.resolve("package.json");
        if (!Files.isRegularFile(pkg)) {
            return false;
        }
        try {
            return JSON.readTree(pkg.toFile()).path("scripts").hasNonNull("build");
        } catch (IOException e) {
            return false;
        }
    }

    static PackageManager detect(Path ctx) {
        if (Files.exists(ctx.resolve("pnpm-lock.yaml"))) {
            return PackageManager.PNPM;
        }
        if (Files.exists(ctx.resolve("yarn.lock"))) {
            return PackageManager.YARN;
        }
        return PackageManager.NPM;
    }

    static void check(Request req) {
        Path pkg = req.context().resolve("package.json");
        if (!Files.isRegularFile(pkg)) {
            throw InvalidInputException.invalid("--context", req.context(), "no package.json: the spa builder needs a"
                    + " Node project (or pick another --builder)");
        }
        JsonNode root = readPackage(pkg);
        if (!root.path("scripts").hasNonNull("build")) {
            throw InvalidInputException.invalid("--context", req.context(), "package.json has no \"build\" script: add"
                    + " one (e.g. \"build\": \"vite build\") or pick another --builder");
        }
        if (req.outputDir() != null && (req.outputDir().startsWith("/") || req.outputDir().contains(".."))) {
            throw InvalidInputException.invalid("--output-dir", req.outputDir(), "give a directory inside --context, e.g. dist");
        }
    }

    static String build(Request req, ImageTarget target, RegistryAccess access, Progress progress) {
        Path ctx = req.context();
        JsonNode pkg = readPackage(ctx.resolve("package.json"));
        PackageManager pm = detect(ctx);
        Map<String, String> env = nodeEnvironment(req.nodeVersion(), progress);
        Executables.require(pm.command, "install " + pm.command + " (the lock file asks for it)");
        boolean hasDeps = pkg.path("dependencies").size() > 0 || pkg.path("devDependencies").size() > 0;
        if (hasDeps) {
            boolean lock = switch (pm) {
                case NPM -> Files.exists(ctx.resolve("package-lock.json"));
                case YARN -> true;
                case PNPM -> true;
            };
            ToolRun.run(String.join(" ", pm.install(lock)), command(pm.install(lock), env), ctx, env, progress);
        } else {
            progress.step("package.json declares no dependencies: skipping install");
        }
        ToolRun.run(String.join(" ", pm.build()), command(pm.build(), env), ctx, env, progress);

        Path out = outputDir(ctx, req.outputDir());
        Path work;
        try {
            work = Files.createTempDirectory("gitops-release-spa");
        } catch (IOException e) {
            throw new OperationFailedException("cannot create a temp directory: " + e.getMessage(), e);
        }
        try {
            int port = req.ports().isEmpty() ? 80 : Integer.parseInt(req.ports().get(0).replaceAll("/.*", ""));
            Path conf = Files.writeString(work.resolve("default.conf"), nginxConfig(port));
            JibPlan plan = new JibPlan(req.base(), List.of(
                    new JibPlan.Layer("nginx-config", List.of(new JibPlan.Entry(conf, NGINX_CONF))),
                    new JibPlan.Layer("static", List.of(new JibPlan.Entry(out, HTML_ROOT)))),
                    null, null, Map.of(), req.ports(), Map.of(), null, null, req.platform(), req.cacheDir());
            return JibImageBuilder.build(plan, target, access, progress);
        } catch (IOException e) {
            throw new OperationFailedException("cannot write the nginx config: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid("--port", req.ports().get(0), "give a port number, e.g. 8080");
        } finally {
            DockerfileImageBuilder.deleteQuietly(work);
        }
    }

    static String nginxConfig(int port) {
        return """
                server {
                    listen       %d;
                    server_name  _;
                    root   %s;
                    index  index.html;

                    # Client-side routes: anything that is not a file is the single-page app.
                    location / {
                        try_files $uri $uri/ /index.html;
                    }
                }
                """.formatted(port, HTML_ROOT);
    }

    private static Path outputDir(Path ctx, String configured) {
        if (configured != null) {
            Path dir = ctx.resolve(configured).normalize();
            if (!Files.isDirectory(dir)) {
                throw new OperationFailedException("the build script finished but " + configured + "/ does not exist:"
                        + " check --output-dir against the build's output");
            }
            return dir;
        }
        for (String name : List.of("build", "dist")) {
            if (Files.isDirectory(ctx.resolve(name))) {
                return ctx.resolve(name);
            }
        }
        throw new OperationFailedException("the build script finished but neither build/ nor dist/ exists in " + ctx
                + ": pass --output-dir");
    }

    /**
     * The environment that runs the requested Node version: the node on PATH when it matches, else an nvm install
     * of it ($NVM_DIR/versions/node/vX...), else an error naming both versions.
     */
    static Map<String, String> nodeEnvironment(String wanted, Progress progress) {
        Path node = Executables.require("node", "install Node.js (the spa builder runs the project's build script)");
        Map<String, String> env = new HashMap<>();
        if (wanted == null || wanted.isBlank()) {
            return env;
        }
        String want = wanted.startsWith("v") ? wanted.substring(1) : wanted;
        String have = version(node);
        if (matches(have, want)) {
            return env;
        }
        String nvmDir = System.getenv().getOrDefault("NVM_DIR", System.getProperty("user.home") + "/.nvm");
        Path versions = Path.of(nvmDir, "versions", "node");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> list = Files.list(versions)) {
                var found = list.filter(p -> matches(p.getFileName().toString(), want))
                        .filter(p -> Files.isExecutable(p.resolve("bin/node")))
                        .max(Comparator.comparing(p -> p.getFileName().toString()));
                if (found.isPresent()) {
                    progress.step("using Node " + found.get().getFileName() + " from " + versions);
                    env.put("PATH", found.get().resolve("bin") + File.pathSeparator + System.getenv("PATH"));
                    return env;
                }
            } catch (IOException ignored) {
                // fall through to the error
            }
        }
        throw new OperationFailedException("--node-version " + wanted + " was requested but node on PATH is " + have
                + " and no nvm install of " + want + " exists under " + versions + ": install Node " + want
                + " on the agent or drop --node-version");
    }

    private static boolean matches(String have, String want) {
        String h = have.startsWith("v") ? have.substring(1) : have;
        return h.equals(want) || h.startsWith(want + ".");
    }

    private static String version(Path node) {
        List<String> out = ToolRun.run("node --version", List.of(node.toString(), "--version"), null, null, Progress.NONE);
        return out.isEmpty() ? "unknown" : out.get(0).trim();
    }

    /** The command with its program resolved on the (possibly nvm-adjusted) PATH. */
    private static List<String> command(List<String> cmd, Map<String, String> env) {
        List<String> full = new ArrayList<>(cmd);
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, cmd.get(0));
                if (Files.isExecutable(p)) {
                    full.set(0, p.toString());
                    break;
                }
            }
        }
        return full;
    }

    private static JsonNode readPackage(Path pkg) {
        try {
            return JSON.readTree(pkg.toFile());
        } catch (IOException e) {
            throw InvalidInputException.invalid("package.json", pkg, "not valid JSON: fix the file");
        }
    }
}
