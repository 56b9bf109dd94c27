package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.gitops.YamlDocs;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.FutureTask;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Start-up on the second core. For its first ~0.2 s a CLI process builds picocli's models of {@code Main} and of
 * the verb (annotation reflection). This daemon thread builds the verb's model while the main thread builds
 * {@code Main}'s, then initialises the classes the verb needs next — the image reference parser, SHA-256, the JSON
 * and YAML parsers, the HTTP connection classes, JGit's configuration — by running them on constant input or on what
 * the verb reads anyway. Nothing is written and no connection is made, so it cannot change what the verb does; if
 * the verb gets there first, the JVM lets it wait for (or share) the class initialisation in progress. Only
 * {@link Main#main} and the archive's training start it (and {@code MainTest}, which tests it); Jenkins never does.
 */
final class Warmup {
    private Warmup() {
    }

    /**
     * Starts the warm-up of {@code verb}: first picocli's model of the verb (what {@link Main#run} would otherwise
     * build after {@code Main}'s own, about 0.07 s of annotation reflection), then the classes the verb needs next.
     * Returns the model's future, or null when there is no warm-up (unknown verb, or -Dgitopsrelease.warmup=false,
     * e.g. on one core).
     */
    static FutureTask<CommandSpec> start(String verb) {
        String mode = System.getProperty("gitopsrelease.warmup", "true");
        if (verb == null || !Main.VERBS.containsKey(verb) || mode.equals("false")) {
            return null;
        }
        Runnable next = switch (verb) {
            case "promote-image", "annotate", "record", "policy" -> Warmup::registry;
            case "generate", "workload", "componentrelease", "releasebinding", "set-image" -> Warmup::yaml;
            case "open-pr" -> () -> {
                Jgit.start();
                yaml();
            };
            default -> () -> { };
        };
        // The same factory as a subcommand registered by class; the Interpreter (its converters) stays on the main
        // thread, so the two threads share no picocli state but the JVM's class initialisation.
        FutureTask<CommandSpec> model = new FutureTask<>(
                () -> CommandSpec.forAnnotatedObject(Main.verbClass(verb), CommandLine.defaultFactory()));
        Thread t = new Thread(() -> {
            model.run(); // a failure stays in the future: Main then builds the model itself and reports it
            try {
                next.run();
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the verb meets any real problem itself, with its own error
            }
        }, "gitops-release-warmup");
        t.setDaemon(true);
        t.start();
        return model;
    }

    static void registry() {
        ImageRefs.parse("--from", "registry.example:5000/team/app:1.0@sha256:" + "0".repeat(64));
        try {
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
            ParseLimits.tree("{\"schemaVersion\":2,\"layers\":[{\"size\":1}]}".getBytes(StandardCharsets.UTF_8));
            new java.net.URL("http://127.0.0.1/v2/").openConnection(java.net.Proxy.NO_PROXY); // no connect
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            // not reached for constant input
        }
    }

    /**
     * JGit's start: it runs {@code git} twice to find the system config (its result is kept for the process), loads
     * its message bundle and user config, and registers its transports. The verb's first repository needs all of it.
     * A class of its own, so that verifying {@code Warmup} loads no JGit class for the verbs that have no Git.
     */
    static final class Jgit {
        static void start() {
            org.eclipse.jgit.util.FS.DETECTED.getGitSystemConfig();
            org.eclipse.jgit.internal.JGitText.get();
            try {
                org.eclipse.jgit.util.SystemReader.getInstance().getUserConfig();
                Class.forName("org.eclipse.jgit.transport.Transport", true, Jgit.class.getClassLoader());
            } catch (Exception e) {
                // the verb reads the same config and reports a broken one itself
            }
        }
    }

    static void yaml() {
        YamlDocs.parseAll("kind: Workload\nspec:\n  containers: [{name: app, image: \"a/b:1\"}]\n---\nx: 1\n",
                "warm-up");
    }
}
