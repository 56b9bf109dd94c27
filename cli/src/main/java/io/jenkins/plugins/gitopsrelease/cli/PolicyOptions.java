package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.policy.CheckPolicy;
import io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The target environment's promotion policy for {@code generate} and {@code open-pr}, as {@code openReleasePr} and
 * {@code generateGitopsResources} apply it in Jenkins: from {@code --config} when the file exists, judged on the
 * build's record before anything is written; the registry options say how to read the record (e.g.
 * {@code --insecure-registry} for a plain-HTTP registry).
 */
final class PolicyOptions {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "gitops-release.yaml",
            description = "Settings whose --target-env policy must hold for --image, applied when the file exists"
                    + " (default: ${DEFAULT-VALUE}).")
    Path config;

    @Mixin
    RegistryOptions.WithCaFile registry;

    /**
     * Refuses ({@link PolicyRefusedException}, exit 1, every unmet rule listed) unless {@code targetEnv}'s policy holds
     * for {@code image}; null when there is no policy to apply (no settings file, no target, no rules).
     */
    PolicyResult enforce(String image, String targetEnv, Output output) {
        if (image == null || targetEnv == null || config == null || !Files.isRegularFile(config)) {
            return null;
        }
        ReleaseSettings settings = ReleaseSettings.load(config);
        if (settings.environment(targetEnv).map(e -> e.policy().isEmpty()).orElse(true)) {
            return null;
        }
        CheckPolicy.Evaluation e = CheckPolicy.image(image).field("--image").targetEnv(targetEnv).settings(settings)
                .insecure(registry.insecure).caFile(registry.caFile()).auth(registry.auth(image)).call();
        if (!e.result().allowed()) {
            throw new PolicyRefusedException(e.result(), e.record());
        }
        output.say("policy of " + targetEnv + ": " + e.result().rules().size() + " rule"
                + (e.result().rules().size() == 1 ? "" : "s") + " met for " + e.result().image());
        return e.result();
    }
}
