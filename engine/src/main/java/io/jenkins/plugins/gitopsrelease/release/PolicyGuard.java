package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.policy.CheckPolicy;
import io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The target environment's policy as a step carries it: taken from the platform settings (so a Jenkinsfile cannot
 * leave it out), checked before the step writes anything, and refusing with every unmet rule. Serializable: it
 * travels to the agent with the step request. Registry access for reading the record: the agent's docker/containers
 * auth files, the settings' per-environment username + password variable, or explicit credentials.
 */
public final class PolicyGuard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ReleaseSettings settings;
    private final String environment;
    private final ArrayList<String> insecure = new ArrayList<>();
    private String username;
    private Secret password;
    private String credentialsHost;

    private PolicyGuard(ReleaseSettings settings, String environment) {
        this.settings = settings;
        this.environment = environment;
    }

    /** The guard of {@code targetEnv}, or null when the settings give that environment no policy. */
    public static PolicyGuard of(ReleaseSettings settings, String targetEnv) {
        if (settings == null || targetEnv == null || targetEnv.isBlank()) {
            return null;
        }
        return settings.environment(targetEnv.trim()).filter(e -> !e.policy().isEmpty())
                .map(e -> new PolicyGuard(settings, e.name())).orElse(null);
    }

    /** The guard of the environment whose registry prefix holds {@code reference} (promotion by references). */
    public static PolicyGuard forDestination(ReleaseSettings settings, String reference) {
        if (settings == null || reference == null) {
            return null;
        }
        return settings.environments().stream().filter(e -> e.registry() != null
                        && (reference.startsWith(e.registry() + "/") || reference.startsWith(e.registry() + ":")))
                .findFirst().map(e -> of(settings, e.name())).orElse(null);
    }

    public PolicyGuard insecure(List<String> hosts) {
        if (hosts != null) {
            insecure.addAll(hosts);
        }
        return this;
    }

    public PolicyGuard credentials(String host, String username, Secret password) {
        this.credentialsHost = host;
        this.username = username;
        this.password = password;
        return this;
    }

    public String environment() {
        return environment;
    }

    List<Secret> secrets() {
        return password == null ? List.of() : List.of(password);
    }

    /**
     * Reads the record of {@code image} and refuses ({@link PolicyRefusedException}, which carries the evaluation)
     * unless every rule is met.
     */
    public CheckPolicy.Evaluation check(String image, Map<String, String> env, Progress progress) {
        RegistryAuth auth = RegistryAuth.fromEnvironment();
        String host = ImageRefs.displayRegistry(ImageRefs.parse("image", image));
        for (ReleaseSettings.Environment e : settings.environments()) {
            if (e.registry() != null && e.registryUsername() != null && e.registryPasswordEnv() != null
                    && e.registry().startsWith(host) && env.get(e.registryPasswordEnv()) != null) {
                auth = auth.with(host, e.registryUsername(), Secret.of(env.get(e.registryPasswordEnv())));
            }
        }
        if (password != null) {
            auth = auth.with(credentialsHost == null ? host : credentialsHost, username, password);
        }
        CheckPolicy.Evaluation e = CheckPolicy.image(image).field("policy of " + environment + ": image")
                .targetEnv(environment).settings(settings).auth(auth).insecure(insecure).clock(Clock.systemUTC()).call();
        PolicyResult r = e.result();
        if (!r.allowed()) {
            throw new PolicyRefusedException(r, e.record());
        }
        progress.step("policy of " + environment + ": " + r.rules().size() + " rule" + (r.rules().size() == 1 ? "" : "s")
                + " met for " + r.image());
        return e;
    }
}
