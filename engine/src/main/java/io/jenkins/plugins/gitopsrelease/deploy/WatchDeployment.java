package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.jenkins.plugins.gitopsrelease.core.DurationText;
import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits until the cluster runs exactly the new release, or fails as soon as it cannot. Reads the target once (it
 * may already be ready), asks GitOps controllers to act now, then follows a watch from that resourceVersion; when the
 * watch expires (410 Gone) or cannot reconnect it re-reads and watches again. One overall timeout. Progress gets one
 * line per change of the observed state.
 *
 * <pre>{@code
 * WatchResult r = WatchDeployment.create()
 *         .setAccess(KubeAccess.defaults())
 *         .setTarget(Target.of(TargetKind.DEPLOYMENT, "shop-dev", "api"))
 *         .setImage("registry.example.com/shop/api@sha256:...")
 *         .setTimeout(Duration.ofMinutes(10))
 *         .call();
 * }</pre>
 *
 * <p>Failures to reach the API server or a missing object throw {@link OperationFailedException}; a failed or timed
 * out rollout is a {@link WatchResult} with its reason, so callers can report the final state.
 */
public final class WatchDeployment {
    private KubeAccess access = KubeAccess.defaults();
    private Target target;
    private String image;
    private List<String> containers = List.of();
    private String revision;
    private String release;
    private Duration timeout = Duration.ofMinutes(10);
    private Progress progress = Progress.NONE;
    private Clock clock = Clock.systemUTC();

    private WatchDeployment() {
    }

    public static WatchDeployment create() {
        return new WatchDeployment();
    }

    public WatchDeployment setAccess(KubeAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        return this;
    }

    public WatchDeployment setTarget(Target target) {
        this.target = target;
        return this;
    }

    /** Expected image for workloads: a digest reference is matched by digest, a tag exactly (never by substring). */
    public WatchDeployment setImage(String image) {
        this.image = blankToNull(image);
        return this;
    }

    /** Containers that must run the image; empty (the default): any container of the pod template. */
    public WatchDeployment setContainers(List<String> containers) {
        this.containers = containers == null ? List.of() : List.copyOf(containers);
        return this;
    }

    /** The merge commit SHA Flux or Argo CD must have applied. */
    public WatchDeployment setRevision(String revision) {
        this.revision = blankToNull(revision);
        return this;
    }

    /** The OpenChoreo release (ComponentRelease name) the ReleaseBinding must name. */
    public WatchDeployment setRelease(String release) {
        this.release = blankToNull(release);
        return this;
    }

    public WatchDeployment setTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public WatchDeployment setProgress(Progress progress) {
        this.progress = progress == null ? Progress.NONE : progress;
        return this;
    }

    /** Source of the timestamps in the result (waiting itself uses the monotonic clock). */
    public WatchDeployment setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public WatchResult call() {
        if (target == null) {
            throw new InvalidInputException("target: missing: say which object to watch (kind, namespace and name)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw InvalidInputException.invalid("--timeout", timeout, "give a positive duration such as 10m");
        }
        DurationText.checkMax("--timeout", format(timeout), timeout);
        if (image != null && !target.kind().isWorkload()) {
            throw InvalidInputException.invalid("--image", image, target.kind().kind() + " has no pod template;"
                    + " give --revision (Flux, Argo CD) or --release (ReleaseBinding) instead");
        }
        if (!containers.isEmpty() && image == null) {
            throw InvalidInputException.invalid("--container", String.join(",", containers),
                    "give --image too: containers name where the image must run");
        }
        if (revision != null && !Revisions.SHA.matcher(revision).matches()) {
            throw InvalidInputException.invalid("--revision", revision, "give the merge commit SHA (7 to 40 hex"
                    + " characters)");
        }
        if (release != null && target.kind() != TargetKind.RELEASEBINDING) {
            throw InvalidInputException.invalid("--release", release, "only a ReleaseBinding names a release;"
                    + " use --image or --revision for " + target.kind().kind());
        }
        TargetRules rules = rules();
        AtomicInteger requests = new AtomicInteger();
        Interceptor counter = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                requests.incrementAndGet();
            }
        };
        try (KubernetesClient client = access.connect(counter)) {
            return new Session(client, rules, requests).run();
        }
    }

    private TargetRules rules() {
        return switch (target.kind()) {
            case DEPLOYMENT, STATEFULSET, DAEMONSET -> new WorkloadRules(target,
                    image == null ? null : ImageMatch.expecting("--image", image), containers);
            case HELMRELEASE, KUSTOMIZATION -> new FluxRules(target, revision, clock);
            case APPLICATION -> new ArgoRules(target, revision);
            case RELEASEBINDING -> new ReleaseBindingRules(target, release);
        };
    }

    /** What the watch thread hands to the waiting thread. */
    private sealed interface Event permits Seen, Deleted, Closed {
    }

    private record Seen(GenericKubernetesResource object) implements Event {
    }

    private record Deleted() implements Event {
    }

    private record Closed(WatcherException cause) implements Event {
    }

    private record Rewatch(Watch watch, Evaluation evaluation) {
    }

    /** Stands in for a watch that was not opened because the re-read state was already final. */
    private enum Watchless implements Watch {
        INSTANCE;

        @Override
        public void close() {
        }
    }

    private final class Session {
        private final KubernetesClient client;
        private final TargetRules rules;
        private final AtomicInteger requests;
        private final Resource<GenericKubernetesResource> resource;
        private final long deadline;
        private final Instant started;
        private String lastSummary;

        Session(KubernetesClient client, TargetRules rules, AtomicInteger requests) {
            this.client = client;
            this.rules = rules;
            this.requests = requests;
            this.resource = client.genericKubernetesResources(target.kind().context())
                    .inNamespace(target.namespace()).withName(target.name());
            this.started = clock.instant();
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        WatchResult run() {
            progress.step("watching " + target + " (timeout " + format(timeout) + ")");
            GenericKubernetesResource first = read();
            GenericKubernetesResource current = api(() -> rules.prepare(client, first, progress));
            Evaluation ev = observe(current);
            if (ev.terminal()) {
                return finish(ev);
            }
            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            Watch watch = startWatch(current, events);
            try {
                while (true) {
                    long remaining = deadline - System.nanoTime();
                    Event e = remaining <= 0 ? null : events.poll(remaining, TimeUnit.NANOSECONDS);
                    if (e == null) {
                        return timedOut();
                    }
                    if (e instanceof Seen s) {
                        ev = observe(s.object());
                    } else if (e instanceof Deleted) {
                        ev = Evaluation.failed(target + " was deleted while waiting for it");
                    } else if (e instanceof Closed c) {
                        // 410 Gone (resourceVersion too old) or reconnects exhausted: re-list, then watch again.
                        watch.close();
                        progress.detail("watch of " + target + " closed (" + describe(c.cause())
                                + "); reading it again");
                        events.clear();
                        Rewatch next = relistAndRewatch(events);
                        if (next == null) {
                            return timedOut();
                        }
                        watch = next.watch();
                        ev = next.evaluation();
                    }
                    if (ev.terminal()) {
                        return finish(ev);
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while watching " + target, ie);
            } finally {
                watch.close();
            }
        }

        /** GET the target; a missing object or an unreachable server is an error with a clear message. */
        private GenericKubernetesResource read() {
            GenericKubernetesResource o = api(resource::get);
            if (o == null) {
                throw new OperationFailedException(target + " not found: check the namespace and the name (kubectl -n "
                        + target.namespace() + " get " + target.kind().cliName() + " " + target.name() + ")");
            }
            return o;
        }

        private Watch startWatch(GenericKubernetesResource from, BlockingQueue<Event> events) {
            String rv = from.getMetadata().getResourceVersion();
            return api(() -> resource.watch(rv, new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource object) {
                    switch (action) {
                        case ADDED, MODIFIED -> events.add(new Seen(object));
                        case DELETED -> events.add(new Deleted());
                        default -> {
                            // BOOKMARK, ERROR: nothing to evaluate
                        }
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    events.add(new Closed(cause));
                }
            }));
        }

        /**
         * Reads the object again and opens a new watch from its resourceVersion. An API server that answers 5xx or
         * 429 (restarting, overloaded) gets retries with backoff until the deadline; one that cannot be reached at
         * all fails the read with a clear error. Returns null when the deadline passed while retrying.
         */
        private Rewatch relistAndRewatch(BlockingQueue<Event> events) throws InterruptedException {
            long backoffMs = 250;
            while (true) {
                GenericKubernetesResource again = read();
                Evaluation ev = observe(again);
                if (ev.terminal()) {
                    return new Rewatch(Watchless.INSTANCE, ev);
                }
                try {
                    return new Rewatch(startWatch(again, events), ev);
                } catch (OperationFailedException e) {
                    int code = e.getCause() instanceof KubernetesClientException k ? k.getCode() : 0;
                    if (code < 500 && code != 429) {
                        throw e;
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return null;
                    }
                    progress.detail("watch of " + target + " refused (HTTP " + code + "); retrying in "
                            + backoffMs + " ms");
                    Thread.sleep(Math.min(backoffMs, left));
                    backoffMs = Math.min(backoffMs * 2, 4000);
                }
            }
        }

        private Evaluation observe(GenericKubernetesResource o) {
            Evaluation ev = rules.evaluate(o);
            if (!ev.summary().equals(lastSummary)) {
                lastSummary = ev.summary();
                if (ev.phase() == Evaluation.Phase.WAITING) {
                    progress.step(target + ": " + ev.summary());
                }
            }
            return ev;
        }

        private WatchResult finish(Evaluation ev) {
            Instant now = clock.instant();
            if (ev.phase() == Evaluation.Phase.READY) {
                Duration took = Duration.between(started, now);
                progress.step(target + " ready after " + format(took) + ": " + ev.summary());
                return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                        WatchResult.State.READY, null, started, now, took, ev.summary(), requests.get());
            }
            progress.step(target + " failed: " + ev.summary());
            return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                    WatchResult.State.FAILED, ev.summary(), started, null, null, ev.summary(), requests.get());
        }

        private WatchResult timedOut() {
            String last = lastSummary == null ? "no state observed" : lastSummary;
            String reason = "timed out after " + format(timeout) + " waiting for " + target + ": " + last;
            progress.step(reason);
            return new WatchResult(target.toString(), target.kind(), target.namespace(), target.name(),
                    WatchResult.State.TIMED_OUT, reason, started, null, null, last, requests.get());
        }

        /** Runs an API call, turning client errors into one-line messages that name the server and the target. */
        private <T> T api(java.util.function.Supplier<T> call) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                throw translate(e);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // The HTTP client refusing what the configuration gave it (a header, a port): name the server.
                throw new OperationFailedException("the Kubernetes client refused the request to "
                        + access.serverUrl(client) + " for " + target + ": " + Failures.describe(e)
                        + " (check --server/--kubeconfig)", e);
            }
        }

        private OperationFailedException translate(KubernetesClientException e) {
            return WatchDeployment.translate(access, client, target, e);
        }
    }

    /** A client error as one line that names the server and the target (shared with {@link DeployedGate}). */
    static OperationFailedException translate(KubeAccess access, KubernetesClient client, Target target,
            KubernetesClientException e) {
        String server = access.serverUrl(client);
        int code = e.getCode();
        if (code == 401) {
            return new OperationFailedException("the Kubernetes API server " + server + " rejected the"
                    + " credentials (401 Unauthorized): check the token or kubeconfig user", e);
        }
        if (code == 403) {
            return new OperationFailedException("not allowed to read or watch " + target + " on " + server
                    + " (403 Forbidden): grant get, watch (and patch for Flux/Argo CD) on "
                    + target.kind().context().getPlural() + "." + target.kind().context().getGroup(), e);
        }
        if (code == 404) {
            return new OperationFailedException(target + " not found on " + server + ": is the "
                    + target.kind().kind() + " API (" + target.kind().context().getGroup() + "/"
                    + target.kind().context().getVersion() + ") installed in this cluster?", e);
        }
        if (code <= 0 && hasIoCause(e)) {
            return new OperationFailedException("cannot reach the Kubernetes API server at " + server + ": "
                    + rootMessage(e) + " (check --server/--kubeconfig, the network and that the cluster is up)",
                    e);
        }
        return new OperationFailedException("Kubernetes API error on " + server + " for " + target + ": "
                + (code > 0 ? "HTTP " + code + ": " : "") + rootMessage(e), e);
    }

    private static boolean hasIoCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return (m == null || m.isBlank() ? root.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    private static String describe(WatcherException e) {
        if (e == null) {
            return "closed by the server";
        }
        return e.isHttpGone() ? "410 Gone" : rootMessage(e);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
