package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.DurationText;
import io.jenkins.plugins.gitopsrelease.deploy.Target;
import io.jenkins.plugins.gitopsrelease.deploy.TargetKind;
import io.jenkins.plugins.gitopsrelease.deploy.WatchDeployment;
import io.jenkins.plugins.gitopsrelease.deploy.WatchResult;
import io.jenkins.plugins.gitopsrelease.deploy.WatchTargets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Waits until the cluster runs the release; exit 0 ready, 1 failed or timed out, 2 bad usage. */
@Command(name = "watch-deployment", mixinStandardHelpOptions = true,
        description = {"Wait until the cluster runs exactly the new release, or fail as soon as it cannot.",
            "Deployments, StatefulSets and DaemonSets must run --image and finish their rollout; Flux and Argo CD",
            "objects must apply --revision and be ready; a ReleaseBinding must name --release and be Ready."})
final class WatchDeploymentCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    static final class Kinds {
        @Option(names = "--deployment", paramLabel = "NAME") String deployment;
        @Option(names = "--statefulset", paramLabel = "NAME") String statefulset;
        @Option(names = "--daemonset", paramLabel = "NAME") String daemonset;
        @Option(names = "--helmrelease", paramLabel = "NAME") String helmrelease;
        @Option(names = "--kustomization", paramLabel = "NAME") String kustomization;
        @Option(names = "--application", paramLabel = "NAME", description = "Argo CD Application") String application;
        @Option(names = "--releasebinding", paramLabel = "NAME", description = "OpenChoreo ReleaseBinding")
        String releasebinding;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Kinds kinds;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace of the object.")
    String namespace;

    @Option(names = "--component", paramLabel = "C", description = "op's form: resolve the object from --config.")
    String component;

    @Option(names = "--environment", paramLabel = "E", description = {"With --component: the environment entry.",
        "With --record-image: the environment recorded as deployed.E (with --component: the same)."})
    String environment;

    @Option(names = "--record-image", paramLabel = "REPO@sha256:...", description = {"When the rollout is ready,"
        + " record deployed.<--environment> (value: the time to ready) on this build's record in its registry, as"
        + " the Jenkins watchDeployment step does. By digest: a tag could have moved. A failed write is a warning,"
        + " never a failed watch."})
    String recordImage;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "gitops-release.yaml",
            description = "Configuration for --component/--environment (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--image", paramLabel = "REF",
            description = "Image the workload must run: repo@sha256:... (digest match) or repo:tag (exact).")
    String image;

    @Option(names = "--container", paramLabel = "NAME",
            description = "Container that must run --image (repeatable; default: any container).")
    List<String> containers = new ArrayList<>();

    @Option(names = "--revision", paramLabel = "SHA", description = "Merge commit Flux or Argo CD must have applied.")
    String revision;

    @Option(names = "--release", paramLabel = "R", description = "Release the ReleaseBinding must name.")
    String release;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "Overall timeout, e.g. 10m, 30s, 1h (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    KubeAccessOptions kube;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        String serverUrl = kube.server;
        Target target;
        io.jenkins.plugins.gitopsrelease.image.RegistryAuth recordAuth = null;
        if (recordImage != null) { // checked before the watch: nothing to find out after a 10-minute wait
            if (environment == null) {
                throw new InvalidInputException("--record-image needs --environment: the environment E it records"
                        + " deployed.E for");
            }
            if (!recordImage.contains("@sha256:")) {
                throw io.jenkins.plugins.gitopsrelease.core.InvalidInputException.invalid("--record-image", recordImage,
                        "give the build by digest (REPO@sha256:...): a record belongs to a digest, a tag can move");
            }
            io.jenkins.plugins.gitopsrelease.image.ImageRefs.parse("--record-image", recordImage);
            io.jenkins.plugins.gitopsrelease.release.RecordWriter.checkEnvironment(environment);
            recordAuth = registry.auth(recordImage);
        }
        if (component != null || (environment != null && recordImage == null)) {
            if (kinds != null || namespace != null) {
                throw new InvalidInputException("--component/--environment resolve the object and namespace from"
                        + " --config: do not combine them with --deployment ... or --namespace");
            }
            if (component == null || environment == null) {
                throw new InvalidInputException("--component and --environment go together: give both");
            }
            WatchTargets.Resolved resolved = WatchTargets.resolve(
                    io.jenkins.plugins.gitopsrelease.release.ReleaseSettings.load(config), component, environment);
            target = resolved.target();
            if (serverUrl == null && !kube.kubeconfigGiven()) {
                serverUrl = resolved.kubeServerUrl();
            }
        } else {
            if (kinds == null) {
                throw new InvalidInputException("say what to watch: one of --deployment, --statefulset, --daemonset,"
                        + " --helmrelease, --kustomization, --application, --releasebinding (with --namespace),"
                        + " or --component with --environment");
            }
            if (namespace == null) {
                throw new InvalidInputException("--namespace: missing: give the namespace of the object to watch");
            }
            target = Target.of(kind(), namespace, name());
        }
        WatchResult result = WatchDeployment.create()
                .setAccess(kube.access(serverUrl))
                .setTarget(target)
                .setImage(image)
                .setContainers(containers)
                .setRevision(revision)
                .setRelease(release)
                .setTimeout(DurationText.parse("--timeout", timeout))
                .setProgress(output.progress())
                .call();
        if (recordImage != null) {
            // the Jenkins step's path: RecordWriter (writer cli:watch-deployment, run $BUILD_URL when set)
            io.jenkins.plugins.gitopsrelease.release.RecordWriter.Recorded recorded = io.jenkins.plugins.gitopsrelease
                    .release.RecordWriter.deployed(recordImage, environment, result, "cli:watch-deployment",
                            System.getenv(), registry.insecure, registry.caFile(), recordAuth,
                            output.progress());
            if (recorded != null && !recorded.written()) {
                output.err().println("warning: deployed." + environment + " was not recorded on " + recordImage);
            }
        }
        output.result(result);
        if (result.ready()) {
            output.say(result.target() + " ready after " + seconds(result) + ": " + result.finalState());
            return ExitCodes.OK;
        }
        output.err().println("error: " + result.reason());
        return ExitCodes.FAILED;
    }

    private TargetKind kind() {
        if (kinds.deployment != null) {
            return TargetKind.DEPLOYMENT;
        } else if (kinds.statefulset != null) {
            return TargetKind.STATEFULSET;
        } else if (kinds.daemonset != null) {
            return TargetKind.DAEMONSET;
        } else if (kinds.helmrelease != null) {
            return TargetKind.HELMRELEASE;
        } else if (kinds.kustomization != null) {
            return TargetKind.KUSTOMIZATION;
        } else if (kinds.application != null) {
            return TargetKind.APPLICATION;
        }
        return TargetKind.RELEASEBINDING;
    }

    private String name() {
        for (String n : new String[] {kinds.deployment, kinds.statefulset, kinds.daemonset, kinds.helmrelease,
            kinds.kustomization, kinds.application, kinds.releasebinding}) {
            if (n != null) {
                return n;
            }
        }
        throw new IllegalStateException("no kind option");
    }

    private static String seconds(WatchResult r) {
        return String.format(java.util.Locale.ROOT, "%.1f s", r.durationToReady().toMillis() / 1000.0);
    }
}
