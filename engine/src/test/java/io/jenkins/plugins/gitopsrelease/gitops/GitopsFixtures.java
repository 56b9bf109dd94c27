package io.jenkins.plugins.gitopsrelease.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test repositories: the shared OpenChoreo sample (copied into a temp dir at test time) and small hand-written ones. */
public final class GitopsFixtures {
    /** 2026-08-23 10:00 UTC: auto names are {@code <component>-20260823-<n>}. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-23T10:00:00Z"), ZoneOffset.UTC);

    private GitopsFixtures() {
    }

    public static Path shared() {
        String prop = System.getProperty("gitopsrelease.shared");
        Path p = prop != null ? Paths.get(prop) : Paths.get("../../shared");
        if (!Files.isDirectory(p.resolve("fixtures"))) {
            p = Paths.get("../../shared");
        }
        return p.toAbsolutePath().normalize();
    }

    /**
     * The shared sample; a test that needs it is reported skipped (with this reason) where {@code ../shared} does
     * not exist, e.g. in a clone outside the workplace.
     */
    public static Path sample() {
        Path p = shared().resolve("fixtures/openchoreo-sample-gitops");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(p), "needs the shared OpenChoreo sample"
                + " repository at " + p + " (../shared of the workplace); it is absent here");
        return p;
    }

    /** Copies the sample GitOps repository into {@code dir} and returns dir. */
    public static Path copySample(Path dir) {
        Path src = sample();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static void write(Path root, String rel, String content) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path root, String rel) {
        try {
            return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under root with its content: compare before and after to prove nothing was written. */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
                } else if (Files.isDirectory(p)) {
                    m.put(root.relativize(p) + "/", "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** The component type deployment/service (a Deployment, allowing trait "storage") under {@code prefix}. */
    public static void serviceComponentType(Path root, String prefix) {
        write(root, prefix + "platform/component-types/service.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: ComponentType
                metadata:
                  name: service
                  namespace: default
                spec:
                  workloadType: deployment
                  allowedTraits:
                    - name: storage
                  resources:
                    - id: deployment
                      template:
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: ${metadata.name}
                """);
    }

    /**
     * A small repository: namespace default, project shop (pipeline dev → stage → prod), component type
     * deployment/service allowing trait "storage", trait "storage", component "api" with a Workload.
     */
    public static Path small(Path root) {
        write(root, "namespaces/default/platform/infra/deployment-pipelines/std.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: DeploymentPipeline
                metadata:
                  name: std
                  namespace: default
                spec:
                  promotionPaths:
                    - sourceEnvironmentRef:
                        name: dev
                      targetEnvironmentRefs:
                        - name: stage
                    - sourceEnvironmentRef:
                        name: stage
                      targetEnvironmentRefs:
                        - name: prod
                """);
        serviceComponentType(root, "namespaces/default/");
        write(root, "namespaces/default/platform/traits/storage.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Trait
                metadata:
                  name: storage
                  namespace: default
                spec:
                  parameters:
                    openAPIV3Schema:
                      type: object
                  creates:
                    - template:
                        kind: PersistentVolumeClaim
                """);
        write(root, "namespaces/default/projects/shop/project.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Project
                metadata:
                  name: shop
                  namespace: default
                spec:
                  deploymentPipelineRef:
                    name: std
                """);
        write(root, "namespaces/default/projects/shop/components/api/component.yaml", """
                apiVersion: openchoreo.dev/v1alpha1
                kind: Component
                metadata:
                  name: api
                  namespace: default
                spec:
                  owner:
                    projectName: shop
                  componentType:
                    name: deployment/service
                  parameters:
                    replicas: 2
                """);
        write(root, "namespaces/default/projects/shop/components/api/workload.yaml", """
                # the API's workload
                apiVersion: openchoreo.dev/v1alpha1
                kind: Workload
                metadata:
                  name: api-workload
                  namespace: default
                  labels:
                    team: a
                spec:
                  owner:
                    projectName: shop
                    componentName: api
                  container:
                    image: reg.example/api:1
                    env:
                      - key: MODE
                        value: "8080"
                  endpoints:
                    http:
                      type: HTTP
                      port: 8080
                """);
        return root;
    }
}
