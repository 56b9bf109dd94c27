package io.jenkins.plugins.gitopsrelease.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.forge.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Watches an OpenChoreo ReleaseBinding by polling some other source than the Kubernetes API — the OpenChoreo API's
 * {@code releasebindings/{name}} (for users without a kubeconfig for the control plane) — with the same readiness
 * rules as the Kubernetes watch ({@code spec.releaseName} is the expected release and {@code Ready=True} at the
 * current generation; controller failure reasons fail at once).
 */
public final class ReleaseBindingPoll {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final Supplier<Optional<JsonNode>> read;
    private String release;
    private Duration timeout = Duration.ofMinutes(10);
    private Duration interval = Duration.ofSeconds(2);
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private Progress progress = Progress.NONE;

    private ReleaseBindingPoll(Target target, Supplier<Optional<JsonNode>> read) {
        this.target = target;
        this.read = read;
    }

    /** {@code read}: the binding as the source has it now (empty: not there yet). */
    public static ReleaseBindingPoll of(String namespace, String name, Supplier<Optional<JsonNode>> read) {
        return new ReleaseBindingPoll(Target.of(TargetKind.RELEASEBINDING, namespace, name), read);
    }

    public ReleaseBindingPoll release(String release) {
        this.release = release;
        return this;
    }

    public ReleaseBindingPoll timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public ReleaseBindingPoll interval(Duration interval, Sleeper sleeper, Clock clock) {
        this.interval = interval;
        this.sleeper = sleeper;
        this.clock = clock;
        return this;
    }

    public ReleaseBindingPoll progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    public WatchResult call() {
        ReleaseBindingRules rules = new ReleaseBindingRules(target, release);
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        String last = "not found yet";
        int requests = 0;
        while (true) {
            Optional<JsonNode> o = read.get();
            requests++;
            if (o.isPresent()) {
                Evaluation e = rules.evaluate(JSON.convertValue(o.get(), GenericKubernetesResource.class));
                if (!e.summary().equals(last)) {
                    progress.step(target + ": " + e.summary());
                }
                last = e.summary();
                if (e.phase() == Evaluation.Phase.READY) {
                    Instant now = clock.instant();
                    return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                            WatchResult.State.READY, null, start, now, Duration.between(start, now), last, requests);
                }
                if (e.phase() == Evaluation.Phase.FAILED) {
                    return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                            WatchResult.State.FAILED, e.summary(), start, null, null, last, requests);
                }
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                        WatchResult.State.TIMED_OUT, "not ready within " + timeout.toMinutes() + " min: " + last, start,
                        null, null, last, requests);
            }
            sleeper.sleep(interval);
        }
    }
}
