package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitopsrelease.core.Progress;

/** Readiness and failure rules of one target kind. */
interface TargetRules {

    /** What an observed state of the target means. Pure: no API calls. */
    Evaluation evaluate(GenericKubernetesResource object);

    /**
     * Called once before watching, with the object as first read: ask the controller to act now (Flux reconcile
     * request, Argo CD refresh). Returns the object as it is afterwards (or the same one).
     */
    default GenericKubernetesResource prepare(KubernetesClient client, GenericKubernetesResource object,
            Progress progress) {
        return object;
    }
}
