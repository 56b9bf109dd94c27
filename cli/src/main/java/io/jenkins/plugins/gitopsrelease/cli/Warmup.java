package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.gitops.YamlDocs;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Start-up on the second core. For its first ~0.1 s a CLI process builds picocli's model of the verb (annotation
 * reflection, on one thread); meanwhile this daemon thread initialises the classes the verb needs next — the image
 * reference parser, SHA-256, the JSON and YAML parsers, the HTTP connection classes — by running them on constant
 * input. Nothing is read or written and no connection is made, so it cannot change what the verb does; if the verb
 * gets there first, the JVM lets it wait for (or share) the class initialisation in progress. Only {@link Main#main}
 * starts it: tests and Jenkins never do.
 */
final class Warmup {
    private Warmup() {
    }

    static void start(String verb) {
        String mode = System.getProperty("gitopsrelease.warmup", "true");
        if (verb == null || !Main.VERBS.containsKey(verb) || mode.equals("false")) {
            return; // -Dgitopsrelease.warmup=false (GITOPS_RELEASE_JAVA_OPTS): no second thread, e.g. on one core
        }
        Runnable next = switch (verb) {
            case "promote-image", "annotate", "record", "policy" -> Warmup::registry;
            case "generate", "workload", "componentrelease", "releasebinding", "set-image", "open-pr" -> Warmup::yaml;
            default -> () -> { };
        };
        Thread t = new Thread(() -> {
            try {
                // First the verb's annotations: the JDK parses each member's once and caches it (proxy classes
                // too), so picocli, a few milliseconds behind on the main thread, finds most of them ready.
                annotations(Main.verbClass(verb), 0);
                next.run();
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the verb meets any real problem itself, with its own error
            }
        }, "gitops-release-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Parses the annotations of {@code c}, its members, and the classes its mixins and argument groups name. */
    static void annotations(Class<?> c, int depth) {
        for (Class<?> k = c; k != null && k != Object.class && depth < 4; k = k.getSuperclass()) {
            k.getAnnotations();
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                f.getAnnotations();
                if (f.isAnnotationPresent(picocli.CommandLine.Mixin.class)
                        || f.isAnnotationPresent(picocli.CommandLine.ArgGroup.class)) {
                    annotations(f.getType(), depth + 1);
                }
            }
            for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                m.getAnnotations();
            }
            for (Class<?> inner : k.getDeclaredClasses()) { // subcommands of a command group
                if (inner.isAnnotationPresent(picocli.CommandLine.Command.class)) {
                    annotations(inner, depth + 1);
                }
            }
        }
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

    static void yaml() {
        YamlDocs.parseAll("kind: Workload\nspec:\n  containers: [{name: app, image: \"a/b:1\"}]\n---\nx: 1\n",
                "warm-up");
    }
}
