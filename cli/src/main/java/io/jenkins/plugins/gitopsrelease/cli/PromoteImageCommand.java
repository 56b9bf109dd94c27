package io.jenkins.plugins.gitopsrelease.cli;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.deploy.DeployedGate;
import io.jenkins.plugins.gitopsrelease.deploy.Target;
import io.jenkins.plugins.gitopsrelease.deploy.TargetKind;
import io.jenkins.plugins.gitopsrelease.deploy.WatchTargets;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.Environments;
import io.jenkins.plugins.gitopsrelease.image.Environments.Role;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.PromoteImage;
import io.jenkins.plugins.gitopsrelease.image.PromotionRefs;
import io.jenkins.plugins.gitopsrelease.image.PromoteResult;
import io.jenkins.plugins.gitopsrelease.image.PromotionGate;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Copies a released image to the next environment's registry, digest for digest, tag last, verified. */
@Command(name = "promote-image", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy an image between registries without rebuilding: same digest, tag moved last, verified.",
            "Either --from/--to, or --source/--destination environments with --build-result or --image."})
final class PromoteImageCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "SRC_REF", description = "Source image, REGISTRY/REPO:TAG or @sha256:DIGEST.")
    String from;

    @Option(names = "--to", paramLabel = "DEST_REF", description = "Destination REGISTRY/REPO[:TAG] (the source tag if none).")
    String to;

    @Option(names = "--build-result", paramLabel = "FILE", description = "build_result.json (Skaffold shape) naming the image.")
    Path buildResult;

    @Option(names = "--image-name", paramLabel = "NAME", description = "Which build in build_result.json (default: the last).")
    String imageName;

    @Option(names = "--image", paramLabel = "REF", description = "Image to promote between environments (full, or relative to the source repository).")
    String image;

    @Option(names = "--source", paramLabel = "ENV", description = "Source environment name (e.g. dev).")
    String source;

    @Option(names = "--destination", paramLabel = "ENV", description = "Destination environment name (e.g. prod).")
    String destination;

    @Option(names = "--source-repository", paramLabel = "REPO", description = "Repository of the source environment (overrides env vars and files).")
    String sourceRepository;

    @Option(names = "--destination-repository", paramLabel = "REPO", description = "Repository of the destination environment.")
    String destinationRepository;

    @Option(names = "--environment", paramLabel = "NAME=REPO", description = "Repository of a named environment (repeatable).")
    Map<String, String> environments = Map.of();

    @Option(names = "--pipeline-properties", paramLabel = "FILE", description = "key=value file with GOOGLE_GKE_IMAGE_*_REPOSITORY keys (default ./pipeline.properties).")
    Path pipelineProperties;

    @Option(names = "--all-platforms", description = "Copy every platform of a multi-platform index (keeps the index digest).")
    boolean allPlatforms;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Copy only this platform of an index.")
    String platform;

    @Option(names = "--with-referrers", description = "Also copy signatures, attestations and SBOMs attached to the digest.")
    boolean withReferrers;

    @Option(names = "--src-insecure", description = "Source registry over plain HTTP.")
    boolean srcInsecure;

    @Option(names = "--dest-insecure", description = "Destination registry over plain HTTP.")
    boolean destInsecure;

    @Option(names = "--src-ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust for the source registry.")
    Path srcCaFile;

    @Option(names = "--dest-ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust for the destination registry.")
    Path destCaFile;

    @Option(names = "--src-creds-env", paramLabel = "VAR", description = "Environment variable holding user:password for the source registry.")
    String srcCredsEnv;

    @Option(names = "--dest-creds-env", paramLabel = "VAR", description = "Environment variable holding user:password for the destination registry.")
    String destCredsEnv;

    @Option(names = "--registry-auth-file", paramLabel = "FILE", description = "docker config.json / containers auth.json to read (default: the usual files).")
    Path registryAuthFile;

    @Option(names = "--require-annotation", paramLabel = "KEY=VALUE", description = "Gate: the source manifest must carry this annotation (repeatable).")
    Map<String, String> requireAnnotations = Map.of();

    @Option(names = "--require-referrer", paramLabel = "TYPE", description = "Gate: a referrer of this artifactType (or cosign/sig, cosign/att, cosign/sbom) must exist (repeatable).")
    List<String> requireReferrers = List.of();

    @Option(names = "--require-deployed", paramLabel = "KIND/NAMESPACE/NAME", description = "Gate: this workload (deployment, statefulset or daemonset) must run the promoted digest and be ready, e.g. deployment/shop-dev/hello-web.")
    String requireDeployed;

    @Option(names = "--require-source-deployed", paramLabel = "COMPONENT", description = "Gate, op's form with --source: the workload the source environment's entry in --config names for COMPONENT must run the promoted digest and be ready.")
    String requireSourceDeployed;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "gitops-release.yaml", description = "Settings for --require-source-deployed and the destination environment's promotion policy, applied when the file exists (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--require-container", paramLabel = "NAME", description = "With --require-deployed: the container that must run the digest (repeatable; default: any).")
    List<String> requireContainers = List.of();

    @Mixin
    KubeAccessOptions kube;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Blobs copied at the same time (default ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        boolean direct = from != null || to != null;
        boolean byEnv = source != null || destination != null || buildResult != null || image != null;
        if (direct == byEnv) {
            throw new InvalidInputException("promote-image: give either --from SRC_REF --to DEST_REF, or --source ENV"
                    + " --destination ENV with --build-result FILE or --image REF");
        }
        String src = from;
        String dest = to;
        String expectDigest = null;
        if (direct) {
            require(from, "--from");
            require(to, "--to");
        } else {
            require(source, "--source");
            require(destination, "--destination");
            if ((buildResult == null) == (image == null)) {
                throw new InvalidInputException("promote-image: give exactly one of --build-result FILE or --image REF");
            }
            Environments envs = Environments.fromProcess().pipelineProperties(pipelineProperties)
                    .explicit(Role.SOURCE, sourceRepository).explicit(Role.DESTINATION, destinationRepository);
            environments.forEach(envs::explicit);
            PromotionRefs refs = PromotionRefs.byEnvironment(envs, source, destination,
                    buildResult == null ? null : BuildResult.read(buildResult).select(imageName), image);
            output.say("source      " + refs.from().name() + " = " + refs.from().repository() + " ("
                    + refs.from().origin() + ")");
            output.say("destination " + refs.to().name() + " = " + refs.to().repository() + " ("
                    + refs.to().origin() + ")");
            src = refs.source();
            dest = refs.destination();
            expectDigest = refs.expectDigest();
        }

        RegistryAuth auth = registryAuthFile != null ? RegistryAuth.fromFile(registryAuthFile) : RegistryAuth.fromEnvironment();
        auth = withCreds(auth, srcCredsEnv, "--src-creds-env", ImageRefs.parse(direct ? "--from" : "source", src).getRegistry());
        auth = withCreds(auth, destCredsEnv, "--dest-creds-env", ImageRefs.parse(direct ? "--to" : "destination", dest).getRegistry());

        PromoteImage p = PromoteImage.from(src).to(dest).fields(direct ? "--from" : "source image",
                        direct ? "--to" : "destination image")
                .auth(auth).srcInsecure(srcInsecure).destInsecure(destInsecure).srcCaFile(srcCaFile)
                .destCaFile(destCaFile).allPlatforms(allPlatforms).platform(platform).withReferrers(withReferrers)
                .parallelism(parallel).expectDigest(expectDigest).progress(output.progress());
        requireAnnotations.forEach((k, v) -> p.gate(PromotionGate.annotation(k, v)));
        requireReferrers.forEach(t -> p.gate(PromotionGate.referrer(t)));
        DeployedGate deployed = deployedGate();
        if (deployed != null) {
            p.gate(deployed);
        }
        // the destination environment's policy (gitops-release.yaml), checked on the source build before any copy
        String policyEnv = null;
        if (java.nio.file.Files.isRegularFile(config)) {
            ReleaseSettings settings = ReleaseSettings.load(config);
            String destRef = dest;
            policyEnv = destination != null ? destination : settings.environments().stream()
                    .filter(e -> e.registry() != null && destRef.startsWith(e.registry() + "/"))
                    .map(ReleaseSettings.Environment::name).findFirst().orElse(null);
            if (policyEnv != null) {
                p.withReferrers(true); // an environment of the settings: the build's record travels with it
            }
            if (policyEnv != null && settings.environment(policyEnv).map(e -> !e.policy().isEmpty()).orElse(false)) {
                String checked = expectDigest != null ? ImageRefs.withoutDigest(ImageRefs.parse("source", src)) + "@"
                        + expectDigest : src;
                String srcHost = ImageRefs.parse("source", src).getRegistry();
                io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy = io.jenkins.plugins.gitopsrelease.policy
                        .CheckPolicy.image(checked).field(direct ? "--from" : "source image").targetEnv(policyEnv)
                        .settings(settings).auth(auth).insecure(srcInsecure ? List.of(srcHost) : List.of())
                        .caFile(srcCaFile).call().result();
                if (!policy.allowed()) {
                    throw new io.jenkins.plugins.gitopsrelease.core.OperationFailedException(policy.refusal());
                }
                output.say("policy of " + policyEnv + ": " + policy.rules().size() + " rules met");
                if (expectDigest == null) {
                    p.expectDigest(policy.image().substring(policy.image().indexOf('@') + 1)); // promote what was checked
                }
            }
        }
        PromoteResult r = p.call();
        if (policyEnv != null) {
            try {
                io.jenkins.plugins.gitopsrelease.buildrecord.Annotate.image(r.destination())
                        .annotation("promoted." + policyEnv, r.destination()).writer("cli:promote-image")
                        .runUrl(System.getenv("BUILD_URL")).auth(auth)
                        .insecure(destInsecure ? List.of(ImageRefs.parse("destination", dest).getRegistry()) : List.of())
                        .caFile(destCaFile).call();
            } catch (io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException e) {
                output.say("WARNING: could not record promoted." + policyEnv + ": " + e.getMessage());
            }
        }
        output.say("source      " + r.source());
        output.say("destination " + r.destination());
        output.say(String.format("%d blobs copied (%.1f MB), %d already present, %d mounted; %d manifests; %s",
                r.blobsCopied(), r.bytesCopied() / 1e6, r.blobsSkipped(), r.blobsMounted(), r.manifestsPushed(),
                r.duration().toMillis() + " ms"));
        output.result(r);
        return ExitCodes.OK;
    }

    /** The "source environment runs it and is healthy" gate, or null when not asked for. */
    private DeployedGate deployedGate() {
        if (requireDeployed != null && requireSourceDeployed != null) {
            throw new InvalidInputException("--require-deployed and --require-source-deployed: give one of them");
        }
        if (!requireContainers.isEmpty() && requireDeployed == null && requireSourceDeployed == null) {
            throw InvalidInputException.invalid("--require-container", String.join(",", requireContainers),
                    "give --require-deployed KIND/NAMESPACE/NAME too");
        }
        String serverUrl = kube.server;
        Target target;
        if (requireDeployed != null) {
            String[] parts = requireDeployed.split("/", -1);
            if (parts.length != 3) {
                throw InvalidInputException.invalid("--require-deployed", requireDeployed,
                        "give KIND/NAMESPACE/NAME, e.g. deployment/shop-dev/hello-web");
            }
            target = Target.of(TargetKind.parse("--require-deployed kind", parts[0]), parts[1], parts[2]);
        } else if (requireSourceDeployed != null) {
            if (source == null) {
                throw InvalidInputException.invalid("--require-source-deployed", requireSourceDeployed,
                        "give --source ENV too (the environment whose workload must run the image)");
            }
            WatchTargets.Resolved resolved = WatchTargets.resolve(ReleaseSettings.load(config),
                    requireSourceDeployed, source);
            target = resolved.target();
            if (serverUrl == null && !kube.kubeconfigGiven()) {
                serverUrl = resolved.kubeServerUrl();
            }
        } else {
            return null;
        }
        return DeployedGate.of(kube.access(serverUrl), target, requireContainers);
    }

    private static void require(String v, String option) {
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(option + " is required here (see promote-image --help)");
        }
    }

    /** Docker's rule: the first path component is a registry if it has a dot or a port, or is localhost. */
    private static RegistryAuth withCreds(RegistryAuth auth, String variable, String option, String host) {
        if (variable == null) {
            return auth;
        }
        String v = System.getenv(variable);
        if (v == null || v.isEmpty()) {
            throw InvalidInputException.invalid(option, variable, "the environment variable is not set; export it as"
                    + " user:password");
        }
        int colon = v.indexOf(':');
        if (colon <= 0) {
            // the value is the secret: never echo it
            throw InvalidInputException.invalid(option, variable, "its value must be user:password");
        }
        return auth.with(host, v.substring(0, colon), Secret.of(v.substring(colon + 1)));
    }
}
