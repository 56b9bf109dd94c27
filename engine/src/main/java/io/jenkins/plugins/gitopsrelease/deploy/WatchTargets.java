package io.jenkins.plugins.gitopsrelease.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * op's form {@code --component C --environment E}: finds what to watch in {@code gitops-release.yaml}, whose
 * {@code environments:} entries are the Jenkins global configuration's environments (same keys):
 *
 * <pre>
 * environments:
 *   - name: development
 *     namespace: shop-dev          # required for watching
 *     watchKind: deployment        # deployment (default), statefulset, daemonset, helmrelease, kustomization,
 *                                  # application or releasebinding
 *     kubeServerUrl: https://...   # optional; otherwise the kubeconfig
 * </pre>
 *
 * The object is named after the component, except a ReleaseBinding, which occ names {@code <component>-<env>}.
 */
public final class WatchTargets {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The target and, when the environment names one, the API server URL to use. */
    public record Resolved(Target target, String kubeServerUrl) {
    }

    private WatchTargets() {
    }

    public static Resolved resolve(Path config, String component, String environment) {
        if (!Files.isRegularFile(config)) {
            throw InvalidInputException.invalid("--config", config, "not found: --component/--environment read the"
                    + " environments from gitops-release.yaml; create it or give --deployment ... --namespace");
        }
        JsonNode root;
        try {
            root = YAML.readTree(config.toFile());
        } catch (IOException e) {
            throw InvalidInputException.invalid("--config", config, "not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode envs = root == null ? null : root.get("environments");
        JsonNode env = null;
        if (envs != null && envs.isArray()) {
            for (JsonNode e : envs) {
                if (environment.equals(e.path("name").asText(null))) {
                    env = e;
                }
            }
        }
        if (env == null) {
            throw InvalidInputException.invalid("--environment", environment, "no such entry under environments: in "
                    + config + " (add one with name, namespace and watchKind)");
        }
        String namespace = env.path("namespace").asText(null);
        if (namespace == null || namespace.isBlank()) {
            throw new InvalidInputException("environment '" + environment + "' in " + config + " is not configured"
                    + " for watching: set its namespace (and watchKind if not deployment)");
        }
        TargetKind kind = env.hasNonNull("watchKind")
                ? TargetKind.parse("environments[" + environment + "].watchKind", env.get("watchKind").asText())
                : TargetKind.DEPLOYMENT;
        String name = kind == TargetKind.RELEASEBINDING ? component + "-" + environment : component;
        String server = env.path("kubeServerUrl").asText(null);
        return new Resolved(Target.of(kind, namespace, name), server == null || server.isBlank() ? null : server);
    }
}
