package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.image.PromotionGate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Promotion gate "the previous environment reported healthy": the source environment's workload must run exactly
 * the digest being promoted and have finished its rollout ({@code kubectl rollout status} semantics, the same rules
 * as {@link WatchDeployment}). Reads the object once, never waits: a promotion is a decision about the state now.
 *
 * <pre>{@code
 * PromoteImage.from(dev).to(prod)
 *         .gate(DeployedGate.of(KubeAccess.defaults(), Target.of(TargetKind.DEPLOYMENT, "shop-dev", "api")))
 *         .call();
 * }</pre>
 *
 * <p>The digest compared is the promoted manifest's (the index digest for a multi-platform image), in any repository:
 * the source cluster may pull through a mirror. An unreachable API server or refused credentials throw (nothing is
 * copied either way); a missing object, another image or an unfinished rollout refuse with the reason.
 */
public final class DeployedGate implements PromotionGate {
    private final KubeAccess access;
    private final Target target;
    private final List<String> containers;

    private DeployedGate(KubeAccess access, Target target, List<String> containers) {
        this.access = Objects.requireNonNull(access, "access");
        this.target = Objects.requireNonNull(target, "target");
        this.containers = containers == null ? List.of() : List.copyOf(containers);
        if (!target.kind().isWorkload()) {
            throw InvalidInputException.invalid("--require-deployed", target, "only a Deployment, StatefulSet or"
                    + " DaemonSet runs an image; name the workload of the source environment");
        }
    }

    /** Any container of the pod template may run the promoted digest. */
    public static DeployedGate of(KubeAccess access, Target target) {
        return new DeployedGate(access, target, List.of());
    }

    /** These containers (by name) must each run the promoted digest. */
    public static DeployedGate of(KubeAccess access, Target target, List<String> containers) {
        return new DeployedGate(access, target, containers);
    }

    public Target target() {
        return target;
    }

    @Override
    public Optional<String> check(Context context) {
        String digest = context.manifest().digest();
        WorkloadRules rules = new WorkloadRules(target, ImageMatch.expecting("digest", digest), containers);
        GenericKubernetesResource object;
        try (KubernetesClient client = access.connect(null)) {
            try {
                object = client.genericKubernetesResources(target.kind().context())
                        .inNamespace(target.namespace()).withName(target.name()).get();
            } catch (KubernetesClientException e) {
                throw WatchDeployment.translate(access, client, target, e);
            }
        }
        if (object == null) {
            return Optional.of(target + " not found, so the source environment does not run " + digest
                    + " (kubectl -n " + target.namespace() + " get " + target.kind().cliName() + " " + target.name()
                    + ")");
        }
        Optional<String> wrongImage = rules.imageProblem(object);
        if (wrongImage.isPresent()) {
            return Optional.of(target + " does not run the promoted " + digest + ": " + wrongImage.get());
        }
        Evaluation ev = rules.evaluate(object);
        if (ev.phase() != Evaluation.Phase.READY) {
            return Optional.of(target + " runs " + digest + " but is not ready: " + ev.summary());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "deployed in " + target;
    }
}
