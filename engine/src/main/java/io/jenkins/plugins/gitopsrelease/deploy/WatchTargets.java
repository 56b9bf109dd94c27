package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;

/**
 * op's form {@code --component C --environment E}: the environment's entry in the settings (gitops-release.yaml, or
 * the Jenkins global configuration, same keys) says where to look: {@code namespace} (required), {@code watchKind}
 * (default deployment), {@code watchName} (default: the component; a ReleaseBinding is named
 * {@code <component>-<env>} as occ names it) and optionally {@code kubeServerUrl}.
 */
public final class WatchTargets {

    /** The target and, when the environment names one, the API server URL to use. */
    public record Resolved(Target target, String kubeServerUrl) {
    }

    private WatchTargets() {
    }

    public static Resolved resolve(ReleaseSettings settings, String component, String environment) {
        ReleaseSettings.Environment env = settings.environment(environment).orElseThrow(() ->
                InvalidInputException.invalid("environment", environment, "no such entry under environments: in the"
                        + " settings (known: " + settings.environments().stream().map(ReleaseSettings.Environment::name)
                        .toList() + "); add one with name, namespace and watchKind"));
        String namespace = env.namespace();
        if (namespace == null || namespace.isBlank()) {
            throw new InvalidInputException("environment '" + environment + "' is not configured for watching: set"
                    + " its namespace (and watchKind if not deployment)");
        }
        TargetKind kind = TargetKind.parse("environments[" + environment + "].watchKind", env.watchKind());
        String name = env.watchName() != null && !env.watchName().isBlank() ? env.watchName()
                : kind == TargetKind.RELEASEBINDING ? component + "-" + environment : component;
        String server = env.kubeServerUrl();
        return new Resolved(Target.of(kind, namespace, name), server == null || server.isBlank() ? null : server);
    }
}
