package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.deploy.DeployedGate;
import io.jenkins.plugins.gitopsrelease.deploy.Target;
import io.jenkins.plugins.gitopsrelease.deploy.TargetKind;
import io.jenkins.plugins.gitopsrelease.deploy.WatchTargets;
import io.jenkins.plugins.gitopsrelease.image.BuildResult;
import io.jenkins.plugins.gitopsrelease.image.Environments;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.PromoteImage;
import io.jenkins.plugins.gitopsrelease.image.PromoteResult;
import io.jenkins.plugins.gitopsrelease.image.PromotionRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code promoteImage} step: either explicit references ({@code from}/{@code to}) or environment names
 * ({@code source}/{@code destination}) whose registries come from the settings, then from op's variables and files.
 * The image is the build recorded in build_result.json (its digest must be what the source registry holds) or an
 * explicit reference. Never rebuilds: the destination gets the same digest.
 */
public final class PromoteImageRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String from;
    private String to;
    private String source;
    private String destination;
    private String buildResult;
    private String imageName;
    private String image;
    private boolean withReferrers = true;
    private String gateAnnotationKey;
    private String gateAnnotationValue;
    private String deployedKind;
    private String deployedName;
    private String deployedNamespace;
    private String kubeServerUrl;
    private Secret kubeToken;
    private Secret kubeconfig;
    private String kubeContext;
    private String kubeCaPem;
    private String sourceCaFile;
    private String destinationCaFile;
    private final HashMap<String, String> environmentRepositories = new HashMap<>();
    private final ArrayList<String> insecureRegistries = new ArrayList<>();
    private String sourceUsername;
    private Secret sourcePassword;
    private String destinationUsername;
    private Secret destinationPassword;
    private ReleaseSettings policySettings;

    @Override
    public String verb() {
        return Verbs.PROMOTE_IMAGE;
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        return call(workspace, env, progress);
    }

    public static PromoteImageRequest create() {
        return new PromoteImageRequest();
    }

    public PromoteImageRequest direct(String from, String to) {
        this.from = BuildImageRequest.blank(from) ? null : from;
        this.to = BuildImageRequest.blank(to) ? null : to;
        return this;
    }

    /** Environment names; their registries come from {@code settings} first. */
    public PromoteImageRequest environments(String source, String destination, ReleaseSettings settings) {
        this.source = BuildImageRequest.blank(source) ? null : source;
        this.destination = BuildImageRequest.blank(destination) ? null : destination;
        this.policySettings = settings;
        for (ReleaseSettings.Environment e : settings.environments()) {
            if (e.registry() != null) {
                environmentRepositories.put(e.name(), e.registry());
            }
        }
        return this;
    }

    /**
     * The platform settings whose destination environment policy applies (set by {@link #environments} too; for
     * promotion by references the destination environment is the one whose registry prefix holds {@code to}).
     */
    public PromoteImageRequest policySettings(ReleaseSettings settings) {
        this.policySettings = settings;
        return this;
    }

    public PromoteImageRequest buildResult(String file, String imageName) {
        this.buildResult = BuildImageRequest.blank(file) ? null : file;
        this.imageName = BuildImageRequest.blank(imageName) ? null : imageName;
        return this;
    }

    public PromoteImageRequest image(String image) {
        this.image = BuildImageRequest.blank(image) ? null : image;
        return this;
    }

    public PromoteImageRequest withReferrers(boolean v) {
        this.withReferrers = v;
        return this;
    }

    /**
     * A promotion gate: the source manifest must carry annotation {@code key=value} (e.g. set by a test or scan
     * job), else nothing is copied. Kept as text so the request stays serializable.
     */
    public PromoteImageRequest requireAnnotation(String key, String value) {
        if (BuildImageRequest.blank(key)) {
            this.gateAnnotationKey = null;
            this.gateAnnotationValue = null;
            return this;
        }
        this.gateAnnotationKey = key.trim();
        this.gateAnnotationValue = value == null ? "" : value;
        return this;
    }

    /**
     * Gate "the previous environment is healthy": this workload must run the promoted digest and have finished its
     * rollout, read once when the promotion starts. Blank kind: no such gate.
     */
    public PromoteImageRequest requireDeployedIn(String kind, String name, String namespace) {
        if (BuildImageRequest.blank(kind)) {
            this.deployedKind = null;
            return this;
        }
        Target.of(TargetKind.parse("kind", kind), namespace, name);
        this.deployedKind = kind;
        this.deployedName = name;
        this.deployedNamespace = namespace;
        return this;
    }

    /**
     * The same gate, op's form: the workload the source environment's settings name for {@code component} (as
     * watchDeployment resolves {@code component + environment}). Call after {@link #environments}.
     */
    public PromoteImageRequest requireSourceDeployed(String component, ReleaseSettings settings) {
        if (BuildImageRequest.blank(component)) {
            return this;
        }
        if (source == null) {
            throw InvalidInputException.invalid("requireSourceDeployed", component, "give source and destination"
                    + " environments too: the gate looks at the source environment's workload");
        }
        WatchTargets.Resolved r = WatchTargets.resolve(settings, component, source);
        this.deployedKind = r.target().kind().cliName();
        this.deployedName = r.target().name();
        this.deployedNamespace = r.target().namespace();
        if (kubeServerUrl == null) {
            this.kubeServerUrl = r.kubeServerUrl();
        }
        return this;
    }

    /** Cluster access for the deployed gate: an API server with a token and CA (PEM text)... */
    public PromoteImageRequest kubeServer(String url, Secret token, String caPem) {
        if (!BuildImageRequest.blank(url)) {
            this.kubeServerUrl = url;
        }
        this.kubeToken = token;
        this.kubeCaPem = BuildImageRequest.blank(caPem) ? null : caPem;
        return this;
    }

    /** ...or a kubeconfig given as content (a secret file) and a context in it. */
    public PromoteImageRequest kubeconfig(Secret content, String context) {
        this.kubeconfig = content;
        this.kubeContext = BuildImageRequest.blank(context) ? null : context;
        return this;
    }

    /** PEM CA files (relative to the workspace) to trust for the source and destination registries. */
    public PromoteImageRequest caFiles(String source, String destination) {
        this.sourceCaFile = BuildImageRequest.blank(source) ? null : source;
        this.destinationCaFile = BuildImageRequest.blank(destination) ? null : destination;
        return this;
    }

    public PromoteImageRequest insecureRegistries(List<String> hosts) {
        if (hosts != null) {
            insecureRegistries.addAll(hosts);
        }
        return this;
    }

    public PromoteImageRequest sourceCredentials(String username, Secret password) {
        this.sourceUsername = username;
        this.sourcePassword = password;
        return this;
    }

    public PromoteImageRequest destinationCredentials(String username, Secret password) {
        this.destinationUsername = username;
        this.destinationPassword = password;
        return this;
    }

    @Override
    public List<Secret> secrets() {
        List<Secret> s = new ArrayList<>();
        if (sourcePassword != null) {
            s.add(sourcePassword);
        }
        if (destinationPassword != null) {
            s.add(destinationPassword);
        }
        if (kubeToken != null) {
            s.add(kubeToken);
        }
        if (kubeconfig != null) {
            s.add(kubeconfig);
        }
        return s;
    }

    /**
     * Runs the copy. {@code env} is the build's environment (op's {@code GOOGLE_GKE_IMAGE_*_REPOSITORY} and
     * {@code PROMOTE_*_REPOSITORY} variables are read from it, not from the agent process).
     */
    public StepResult call(Path workspace, Map<String, String> env, Progress progress) {
        boolean direct = from != null || to != null;
        boolean byEnv = source != null || destination != null;
        if (direct == byEnv) {
            throw new InvalidInputException("promoteImage: give either from and to (image references), or source"
                    + " and destination (environment names) with buildResult or image");
        }
        String src;
        String dest;
        String expectDigest = null;
        if (direct) {
            GenerateRequest.require(from, "from");
            GenerateRequest.require(to, "to");
            src = from;
            dest = to;
        } else {
            GenerateRequest.require(source, "source");
            GenerateRequest.require(destination, "destination");
            Environments envs = Environments.of(env, workspace);
            environmentRepositories.forEach(envs::explicit);
            BuildResult.Build build = image != null ? null
                    : BuildResult.read(workspace.resolve(buildResult == null ? "build_result.json" : buildResult))
                            .select(imageName);
            PromotionRefs refs = PromotionRefs.byEnvironment(envs, source, destination, build, image);
            progress.step("source " + refs.from().name() + " = " + refs.from().repository() + " (" + refs.from().origin() + ")");
            progress.step("destination " + refs.to().name() + " = " + refs.to().repository() + " (" + refs.to().origin() + ")");
            src = refs.source();
            dest = refs.destination();
            expectDigest = refs.expectDigest();
        }
        RegistryAuth auth = RegistryAuth.fromEnvironment();
        if (sourcePassword != null) {
            auth = auth.with(ImageRefs.parse("from", src).getRegistry(), sourceUsername, sourcePassword);
        }
        if (destinationPassword != null) {
            auth = auth.with(ImageRefs.parse("to", dest).getRegistry(), destinationUsername, destinationPassword);
        }
        String srcHost = ImageRefs.parse("from", src).getRegistry();
        String destHost = ImageRefs.parse("to", dest).getRegistry();
        // the destination's policy, from the settings: checked on the source build before anything is copied
        PolicyGuard guard = destination != null ? PolicyGuard.of(policySettings, destination)
                : PolicyGuard.forDestination(policySettings, dest);
        io.jenkins.plugins.gitopsrelease.policy.PolicyResult policy = null;
        if (guard != null) {
            guard.insecure(insecureRegistries);
            if (sourcePassword != null) {
                guard.credentials(srcHost, sourceUsername, sourcePassword);
            }
            policy = guard.check(expectDigest != null ? ImageRefs.withoutDigest(ImageRefs.parse("from", src)) + "@"
                    + expectDigest : src, env, progress).result();
            if (expectDigest == null) {
                expectDigest = policy.image().substring(policy.image().indexOf('@') + 1); // promote what was checked
            }
        }
        PromoteImage promote = PromoteImage.from(src).to(dest).fields(direct ? "from" : "source image",
                        direct ? "to" : "destination image")
                .auth(auth).srcInsecure(insecureRegistries.contains(srcHost))
                .destInsecure(insecureRegistries.contains(destHost))
                .insecureHints(insecureHint(srcHost), insecureHint(destHost)).allPlatforms(true).withReferrers(withReferrers)
                .expectDigest(expectDigest).progress(progress);
        if (gateAnnotationKey != null) {
            promote.gate(io.jenkins.plugins.gitopsrelease.image.PromotionGate.annotation(gateAnnotationKey,
                    gateAnnotationValue));
        }
        if (deployedKind != null) {
            promote.gate(DeployedGate.of(WatchDeploymentRequest.access(kubeconfig, kubeContext, kubeServerUrl,
                    kubeToken, kubeCaPem), Target.of(TargetKind.parse("kind", deployedKind), deployedNamespace,
                    deployedName)));
        }
        if (sourceCaFile != null) {
            promote.srcCaFile(workspace.resolve(sourceCaFile).normalize());
        }
        if (destinationCaFile != null) {
            promote.destCaFile(workspace.resolve(destinationCaFile).normalize());
        }
        PromoteResult r = promote.call();
        String destEnv = destination != null ? destination : guard != null ? guard.environment() : null;
        RecordWriter.Recorded recorded = RecordWriter.annotate(r.destination(), destEnv == null ? "promoted"
                : "promoted." + destEnv, r.destination(), "promoteImage", env, insecureRegistries, null, auth, progress);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("recorded", recorded.written());
        if (policy != null) {
            values.put("policy", policy.environment() + ": " + policy.rules().size() + " rules met");
        }
        values.put("source", r.source());
        values.put("destination", r.destination());
        values.put("digest", r.destinationDigest());
        values.put("sourceEnvironment", source);
        values.put("destinationEnvironment", destination);
        values.put("blobsCopied", r.blobsCopied());
        values.put("blobsSkipped", r.blobsSkipped());
        values.put("bytesCopied", r.bytesCopied());
        return new StepResult(Verbs.PROMOTE_IMAGE, values, null, r.duration()).withRecord(recorded.record())
                .withPolicy(policy);
    }

    /** The request's insecure registries are a list in both front ends (Jenkins and the CLI's release). */
    private static String insecureHint(String host) {
        return "list " + host + " in insecureRegistries (CLI: --insecure-registry " + host + ")";
    }
}
