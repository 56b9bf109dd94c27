package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Deployment, StatefulSet and DaemonSet: first the pod template must run the expected image, then the rollout must
 * be complete with {@code kubectl rollout status} semantics (kubectl's polymorphichelpers status viewers).
 */
final class WorkloadRules implements TargetRules {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Target target;
    private final ImageMatch image;
    private final List<String> containers;

    WorkloadRules(Target target, ImageMatch image, List<String> containers) {
        this.target = target;
        this.image = image;
        this.containers = List.copyOf(containers);
    }

    @Override
    public Evaluation evaluate(GenericKubernetesResource object) {
        return switch (target.kind()) {
            case DEPLOYMENT -> deployment(SERIALIZATION.convertValue(object, Deployment.class));
            case STATEFULSET -> statefulSet(SERIALIZATION.convertValue(object, StatefulSet.class));
            case DAEMONSET -> daemonSet(SERIALIZATION.convertValue(object, DaemonSet.class));
            default -> throw new IllegalStateException("not a workload: " + target.kind());
        };
    }

    /** Empty when the object's pod template runs the expected image where it should; else what it runs instead. */
    Optional<String> imageProblem(GenericKubernetesResource object) {
        PodTemplateSpec template = switch (target.kind()) {
            case DEPLOYMENT -> template(SERIALIZATION.convertValue(object, Deployment.class).getSpec());
            case STATEFULSET -> template(SERIALIZATION.convertValue(object, StatefulSet.class).getSpec());
            case DAEMONSET -> template(SERIALIZATION.convertValue(object, DaemonSet.class).getSpec());
            default -> throw new IllegalStateException("not a workload: " + target.kind());
        };
        return imageProblem(template);
    }

    private static PodTemplateSpec template(Object spec) {
        if (spec instanceof io.fabric8.kubernetes.api.model.apps.DeploymentSpec d) {
            return d.getTemplate();
        } else if (spec instanceof io.fabric8.kubernetes.api.model.apps.StatefulSetSpec s) {
            return s.getTemplate();
        } else if (spec instanceof io.fabric8.kubernetes.api.model.apps.DaemonSetSpec ds) {
            return ds.getTemplate();
        }
        return null;
    }

    private Evaluation deployment(Deployment d) {
        Optional<String> wrongImage = imageProblem(d.getSpec() == null ? null : d.getSpec().getTemplate());
        if (wrongImage.isPresent()) {
            return Evaluation.waiting(wrongImage.get());
        }
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        Optional<String> unobserved = unobserved(d, s.getObservedGeneration());
        if (unobserved.isPresent()) {
            return Evaluation.waiting(unobserved.get());
        }
        if (s.getConditions() != null) {
            for (DeploymentCondition c : s.getConditions()) {
                if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                    return Evaluation.failed(target + " exceeded its progress deadline: "
                            + (c.getMessage() == null ? "ProgressDeadlineExceeded" : c.getMessage()));
                }
            }
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = n(s.getUpdatedReplicas());
        int current = n(s.getReplicas());
        int available = n(s.getAvailableReplicas());
        if (updated < replicas) {
            return Evaluation.waiting(updated + "/" + replicas + " replicas updated");
        }
        if (current > updated) {
            return Evaluation.waiting((current - updated) + " old replicas pending termination");
        }
        if (available < updated) {
            return Evaluation.waiting(available + "/" + updated + " updated replicas available");
        }
        return Evaluation.ready(updated + "/" + replicas + " replicas updated and available" + imageNote());
    }

    private Evaluation statefulSet(StatefulSet sts) {
        Optional<String> wrongImage = imageProblem(sts.getSpec() == null ? null : sts.getSpec().getTemplate());
        if (wrongImage.isPresent()) {
            return Evaluation.waiting(wrongImage.get());
        }
        var strategy = sts.getSpec().getUpdateStrategy();
        if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
            return Evaluation.failed(target + " uses the " + strategy.getType() + " update strategy: its pods"
                    + " change only when deleted, so there is no rollout to watch (use RollingUpdate)");
        }
        StatefulSetStatus s = sts.getStatus() == null ? new StatefulSetStatus() : sts.getStatus();
        if (s.getObservedGeneration() == null || s.getObservedGeneration() == 0) {
            return Evaluation.waiting("waiting for the StatefulSet controller to observe the spec");
        }
        Optional<String> unobserved = unobserved(sts, s.getObservedGeneration());
        if (unobserved.isPresent()) {
            return Evaluation.waiting(unobserved.get());
        }
        Integer replicas = sts.getSpec().getReplicas();
        int want = replicas == null ? 1 : replicas;
        if (n(s.getReadyReplicas()) < want) {
            return Evaluation.waiting(n(s.getReadyReplicas()) + "/" + want + " pods ready");
        }
        Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getPartition();
        if (partition != null && partition > 0) {
            int needed = want - partition;
            if (n(s.getUpdatedReplicas()) < needed) {
                return Evaluation.waiting("partitioned rollout: " + n(s.getUpdatedReplicas()) + "/" + needed
                        + " new pods updated");
            }
            return Evaluation.ready("partitioned rollout complete: " + n(s.getUpdatedReplicas()) + " new pods"
                    + imageNote());
        }
        if (s.getUpdateRevision() != null && !s.getUpdateRevision().equals(s.getCurrentRevision())) {
            return Evaluation.waiting(n(s.getUpdatedReplicas()) + "/" + want + " pods at revision "
                    + s.getUpdateRevision());
        }
        return Evaluation.ready(want + "/" + want + " pods ready at revision " + s.getCurrentRevision() + imageNote());
    }

    private Evaluation daemonSet(DaemonSet ds) {
        Optional<String> wrongImage = imageProblem(ds.getSpec() == null ? null : ds.getSpec().getTemplate());
        if (wrongImage.isPresent()) {
            return Evaluation.waiting(wrongImage.get());
        }
        var strategy = ds.getSpec().getUpdateStrategy();
        if (strategy != null && strategy.getType() != null && !"RollingUpdate".equals(strategy.getType())) {
            return Evaluation.failed(target + " uses the " + strategy.getType() + " update strategy: its pods"
                    + " change only when deleted, so there is no rollout to watch (use RollingUpdate)");
        }
        DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
        Optional<String> unobserved = unobserved(ds, s.getObservedGeneration());
        if (unobserved.isPresent()) {
            return Evaluation.waiting(unobserved.get());
        }
        int desired = n(s.getDesiredNumberScheduled());
        if (n(s.getUpdatedNumberScheduled()) < desired) {
            return Evaluation.waiting(n(s.getUpdatedNumberScheduled()) + "/" + desired + " pods updated");
        }
        if (n(s.getNumberAvailable()) < desired) {
            return Evaluation.waiting(n(s.getNumberAvailable()) + "/" + desired + " updated pods available");
        }
        return Evaluation.ready(desired + "/" + desired + " pods updated and available" + imageNote());
    }

    /** kubectl: "Waiting for deployment spec update to be observed" while generation > observedGeneration. */
    private static Optional<String> unobserved(HasMetadata o, Long observedGeneration) {
        Long generation = o.getMetadata().getGeneration();
        if (generation != null && (observedGeneration == null || observedGeneration < generation)) {
            return Optional.of("waiting for the controller to observe generation " + generation
                    + " (observed " + (observedGeneration == null ? "none" : observedGeneration) + ")");
        }
        return Optional.empty();
    }

    /** Empty when the template runs the expected image where it should; otherwise what it runs instead. */
    private Optional<String> imageProblem(PodTemplateSpec template) {
        if (image == null) {
            return Optional.empty();
        }
        PodSpec pod = template == null ? null : template.getSpec();
        List<Container> all = pod == null || pod.getContainers() == null ? List.of() : pod.getContainers();
        if (containers.isEmpty()) {
            if (all.stream().anyMatch(c -> image.matches(c.getImage()))) {
                return Optional.empty();
            }
            return Optional.of("pod template runs " + describe(all) + ", expected " + image.expected());
        }
        for (String name : containers) {
            Optional<Container> c = all.stream().filter(x -> name.equals(x.getName())).findFirst();
            if (c.isEmpty()) {
                return Optional.of("pod template has no container named '" + name + "' (has "
                        + all.stream().map(Container::getName).collect(Collectors.joining(", ")) + ")");
            }
            if (!image.matches(c.get().getImage())) {
                return Optional.of("container " + name + " runs " + c.get().getImage() + ", expected "
                        + image.expected());
            }
        }
        return Optional.empty();
    }

    private String imageNote() {
        return image == null ? "" : ", running " + image.expected();
    }

    private static String describe(List<Container> all) {
        if (all.isEmpty()) {
            return "no containers";
        }
        return all.stream().map(c -> c.getImage() + " (" + c.getName() + ")").collect(Collectors.joining(", "));
    }

    private static int n(Integer v) {
        return v == null ? 0 : v;
    }
}
