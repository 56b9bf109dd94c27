package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.deploy.KubeAccess;
import io.jenkins.plugins.gitopsrelease.deploy.Target;
import io.jenkins.plugins.gitopsrelease.deploy.TargetKind;
import io.jenkins.plugins.gitopsrelease.deploy.WatchDeployment;
import io.jenkins.plugins.gitopsrelease.deploy.WatchResult;
import io.jenkins.plugins.gitopsrelease.deploy.WatchTargets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code watchDeployment} step: op's form (component + environment, resolved through the settings) or an
 * explicit kind/name/namespace. Kubernetes access: a kubeconfig given as content (a secret file), a server URL with a
 * token, or the agent's default kubeconfig. A release that does not become ready fails the step — after the run has
 * recorded why.
 */
public final class WatchDeploymentRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String kind;
    private String name;
    private String namespace;
    private String component;
    private String environment;
    private String image;
    private String revision;
    private String release;
    private long timeoutMinutes = 10;
    private String serverUrl;
    private Secret token;
    private Secret kubeconfig;
    private String context;
    private String caPem;
    private boolean record = true;
    private final ArrayList<String> recordInsecure = new ArrayList<>();
    private String apiServer;
    private io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth apiAuth;
    private long pollMillis = 2000;

    @Override
    public String verb() {
        return Verbs.WATCH_DEPLOYMENT;
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        return call(workspace, env, progress);
    }

    public static WatchDeploymentRequest create() {
        return new WatchDeploymentRequest();
    }

    /**
     * The environment an explicit target ({@link #target}) belongs to, so that the run's report records the deployment
     * there; the component form sets it itself.
     */
    public WatchDeploymentRequest environment(String environment) {
        this.environment = BuildImageRequest.blank(environment) ? null : environment;
        return this;
    }

    /** op's form: what to watch comes from the environment's settings. */
    public WatchDeploymentRequest componentIn(String component, String environment, ReleaseSettings settings) {
        if (BuildImageRequest.blank(component) || BuildImageRequest.blank(environment)) {
            throw new InvalidInputException("component and environment go together: give both, or kind, name and"
                    + " namespace");
        }
        WatchTargets.Resolved r = WatchTargets.resolve(settings, component, environment);
        this.component = component;
        this.environment = environment;
        this.kind = r.target().kind().cliName();
        this.name = r.target().name();
        this.namespace = r.target().namespace();
        if (serverUrl == null) {
            this.serverUrl = r.kubeServerUrl();
        }
        return this;
    }

    public WatchDeploymentRequest target(String kind, String name, String namespace) {
        TargetKind.parse("kind", kind);
        GenerateRequest.require(name, "name");
        GenerateRequest.require(namespace, "namespace");
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
        return this;
    }

    public WatchDeploymentRequest expect(String image, String revision, String release) {
        this.image = BuildImageRequest.blank(image) ? null : image;
        this.revision = BuildImageRequest.blank(revision) ? null : revision;
        this.release = BuildImageRequest.blank(release) ? null : release;
        return this;
    }

    /**
     * Whether a ready rollout of an image given by digest records {@code deployed.<environment>} (value: the time to
     * ready, ISO-8601) on the build (default on); {@code asEnvironment} names the environment when the target was
     * given by kind/name/namespace; {@code insecureRegistries} are reached over plain HTTP for it.
     */
    public WatchDeploymentRequest record(boolean on, String asEnvironment, List<String> insecureRegistries) {
        this.record = on;
        if (!BuildImageRequest.blank(asEnvironment)) {
            RecordWriter.checkEnvironment(asEnvironment.trim());
            this.environment = asEnvironment.trim();
        }
        if (insecureRegistries != null) {
            this.recordInsecure.addAll(insecureRegistries);
        }
        return this;
    }

    public WatchDeploymentRequest timeoutMinutes(long minutes) {
        if (minutes <= 0) {
            throw InvalidInputException.invalid("timeout", minutes, "give the minutes to wait, e.g. 10");
        }
        this.timeoutMinutes = minutes;
        return this;
    }

    public WatchDeploymentRequest server(String url, Secret token, String caPem) {
        if (!BuildImageRequest.blank(url)) {
            this.serverUrl = url;
        }
        this.token = token;
        this.caPem = BuildImageRequest.blank(caPem) ? null : caPem;
        return this;
    }

    /**
     * Read a ReleaseBinding's status from the OpenChoreo API ({@code releasebindings/{name}}) instead of the
     * Kubernetes API: for users with no kubeconfig for the control plane. Only for kind releasebinding.
     */
    public WatchDeploymentRequest openChoreoApi(String server,
            io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth auth) {
        this.apiServer = BuildImageRequest.blank(server) ? null : server.trim();
        this.apiAuth = auth;
        return this;
    }

    /** How often the OpenChoreo API is asked (default 2 s). */
    public WatchDeploymentRequest pollInterval(Duration interval) {
        this.pollMillis = Math.max(10, interval.toMillis());
        return this;
    }

    public WatchDeploymentRequest kubeconfig(Secret content, String context) {
        this.kubeconfig = content;
        this.context = BuildImageRequest.blank(context) ? null : context;
        return this;
    }

    @Override
    public List<Secret> secrets() {
        List<Secret> s = new ArrayList<>();
        if (token != null) {
            s.add(token);
        }
        if (kubeconfig != null) {
            s.add(kubeconfig);
        }
        if (apiAuth instanceof io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.Token t) {
            s.add(t.token());
        } else if (apiAuth instanceof io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.ClientCredentials c) {
            s.add(c.clientSecret());
        }
        return s;
    }

    KubeAccess access() {
        return access(kubeconfig, context, serverUrl, token, caPem);
    }

    /** Step credentials to cluster access: a kubeconfig secret, else a server URL (+ token, CA), else defaults. */
    static KubeAccess access(Secret kubeconfig, String context, String serverUrl, Secret token, String caPem) {
        if (kubeconfig != null) {
            return KubeAccess.kubeconfigContent(kubeconfig, context);
        }
        if (serverUrl != null) {
            return KubeAccess.server(serverUrl, token, null, caPem);
        }
        return KubeAccess.defaults();
    }

    public StepResult call(Path workspace, Progress progress) {
        return call(workspace, Map.of(), progress);
    }

    public StepResult call(Path workspace, Map<String, String> env, Progress progress) {
        if (kind == null) {
            throw new InvalidInputException("watchDeployment: say what to watch: component and environment, or kind,"
                    + " name and namespace");
        }
        Target target = Target.of(TargetKind.parse("kind", kind), namespace, name);
        WatchResult r;
        if (apiServer != null) {
            if (target.kind() != TargetKind.RELEASEBINDING) {
                throw InvalidInputException.invalid("kind", kind, "the OpenChoreo API serves ReleaseBindings only:"
                        + " watch kind releasebinding, or drop the OpenChoreo API to watch through Kubernetes");
            }
            if (apiAuth == null) {
                throw new InvalidInputException("watching through the OpenChoreo API needs its credentials (global"
                        + " configuration: OpenChoreo credentials id)");
            }
            var api = io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoApi.builder(apiServer).auth(apiAuth).build();
            r = io.jenkins.plugins.gitopsrelease.deploy.ReleaseBindingPoll
                    .of(namespace, name, () -> api.releaseBinding(namespace, name).map(o -> (com.fasterxml.jackson
                            .databind.JsonNode) o))
                    .release(release).timeout(Duration.ofMinutes(timeoutMinutes))
                    .interval(Duration.ofMillis(pollMillis), io.jenkins.plugins.gitopsrelease.forge.Sleeper.REAL,
                            java.time.Clock.systemUTC())
                    .progress(progress).call();
        } else {
            r = WatchDeployment.create().setAccess(access()).setTarget(target).setImage(image)
                    .setRevision(revision).setRelease(release).setTimeout(Duration.ofMinutes(timeoutMinutes))
                    .setProgress(progress).call();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        RecordWriter.Recorded recorded = !record ? null : RecordWriter.deployed(image, environment, r,
                "watchDeployment", env, recordInsecure, null,
                io.jenkins.plugins.gitopsrelease.image.RegistryAuth.fromEnvironment(), progress);
        if (recorded != null) {
            values.put("recorded", recorded.written());
        }
        values.put("state", r.state().name());
        values.put("reason", r.reason());
        values.put("target", target.toString());
        values.put("environment", environment);
        values.put("component", component);
        values.put("release", release);
        values.put("digest", image != null && image.contains("@") ? image.substring(image.indexOf('@') + 1) : null);
        values.put("millisToReady", r.durationToReady() == null ? null : r.durationToReady().toMillis());
        values.put("secondsToReady", r.durationToReady() == null ? null : r.durationToReady().toMillis() / 1000.0);
        values.put("readyAt", r.readyAt() == null ? null : r.readyAt().toString());
        String failure = r.ready() ? null : r.reason() != null && r.reason().contains(target.toString()) ? r.reason()
                : target + " " + r.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + r.reason();
        Duration took = r.durationToReady() != null ? r.durationToReady()
                : Duration.between(r.watchStartedAt(), java.time.Instant.now());
        return new StepResult(Verbs.WATCH_DEPLOYMENT, values, failure, took)
                .withRecord(recorded == null ? null : recorded.record());
    }
}
