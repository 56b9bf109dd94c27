package io.jenkins.plugins.gitopsrelease.policy;

import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The policy check verb: may this build enter that environment? Reads the build's record and evaluates the target
 * environment's policy from the settings. {@code CheckPolicy.image(ref).targetEnv("production").settings(s).call()}.
 */
public final class CheckPolicy {
    private final String image;
    private String field = "image";
    private String targetEnv;
    private ReleaseSettings settings = ReleaseSettings.defaults();
    private RegistryAuth auth = RegistryAuth.fromEnvironment();
    private final List<String> insecure = new ArrayList<>();
    private Path caFile;
    private Clock clock = Clock.systemUTC();

    private CheckPolicy(String image) {
        this.image = image;
    }

    public static CheckPolicy image(String ref) {
        return new CheckPolicy(ref);
    }

    public CheckPolicy field(String name) {
        this.field = name;
        return this;
    }

    public CheckPolicy targetEnv(String env) {
        this.targetEnv = env;
        return this;
    }

    public CheckPolicy settings(ReleaseSettings s) {
        this.settings = s == null ? ReleaseSettings.defaults() : s;
        return this;
    }

    public CheckPolicy auth(RegistryAuth a) {
        this.auth = a == null ? RegistryAuth.anonymous() : a;
        return this;
    }

    public CheckPolicy insecure(Collection<String> hosts) {
        if (hosts != null) {
            insecure.addAll(hosts);
        }
        return this;
    }

    public CheckPolicy caFile(Path f) {
        this.caFile = f;
        return this;
    }

    public CheckPolicy clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** The record read and the policy's verdict on it. */
    public record Evaluation(BuildRecord record, PolicyResult result) {
    }

    public Evaluation call() {
        ReleaseSettings.Environment env = settings.environment(targetEnv == null ? "" : targetEnv).orElseThrow(() ->
                InvalidInputException.invalid("--target-env", targetEnv, settings.environments().isEmpty()
                        ? "the settings define no environments; give --config gitops-release.yaml"
                        : "use one of " + settings.environments().stream().map(ReleaseSettings.Environment::name).toList()));
        BuildRecord record = ReadRecord.image(field, image).auth(auth).insecure(insecure).caFile(caFile).call();
        return new Evaluation(record, evaluate(record, settings, env.name(), clock));
    }

    /** The verdict of {@code environment}'s policy on a record already read. */
    public static PolicyResult evaluate(BuildRecord record, ReleaseSettings settings, String environment, Clock clock) {
        ReleaseSettings.Environment env = settings.environment(environment).orElseThrow();
        return Policies.evaluate(record, environment, env.policy(),
                settings.previous(environment).map(ReleaseSettings.Environment::name).orElse(null), clock.instant());
    }
}
