package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.util.List;
import java.util.Set;

/**
 * Argo CD Application: ready when {@code status.sync.revision} is the merge commit, {@code sync.status} is Synced and
 * {@code health.status} is Healthy. Degraded at that revision, or a failed sync operation of that revision, fails
 * at once (Codefresh's argocd-sync once reported success on a Degraded app).
 */
final class ArgoRules implements TargetRules {
    static final String REFRESH = "argocd.argoproj.io/refresh";
    private static final Set<String> FAILED_PHASES = Set.of("Failed", "Error");

    private final Target target;
    private final String revision;

    ArgoRules(Target target, String revision) {
        this.target = target;
        this.revision = revision;
    }

    @Override
    public GenericKubernetesResource prepare(KubernetesClient client, GenericKubernetesResource object,
            Progress progress) {
        // Like `argocd app get --refresh`: the controller fetches Git now instead of at its next poll (3 min).
        try {
            GenericKubernetesResource patched = client.genericKubernetesResources(target.kind().context())
                    .inNamespace(target.namespace()).withName(target.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + REFRESH + "\":\"normal\"}}}");
            progress.step("requested refresh of " + target);
            return patched;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                progress.step("no permission to request a refresh of " + target + "; waiting for Argo CD's poll");
                return object;
            }
            throw e;
        }
    }

    @Override
    public Evaluation evaluate(GenericKubernetesResource o) {
        String sync = Fields.string(o, "status", "sync", "status");
        String syncRevision = Fields.string(o, "status", "sync", "revision");
        String health = Fields.string(o, "status", "health", "status");
        String healthMessage = Fields.string(o, "status", "health", "message");
        boolean atRevision = revision == null || Revisions.matches(syncRevision, revision)
                || anyMatches(Fields.at(o, "status", "sync", "revisions"));
        String opPhase = Fields.string(o, "status", "operationState", "phase");
        String opRevision = Fields.string(o, "status", "operationState", "syncResult", "revision");
        if (opRevision == null) {
            opRevision = Fields.string(o, "status", "operationState", "operation", "sync", "revision");
        }
        if (opPhase != null && FAILED_PHASES.contains(opPhase) && (revision == null ? atRevision : Revisions.matches(opRevision, revision))) {
            String msg = Fields.string(o, "status", "operationState", "message");
            return Evaluation.failed(target + " sync of revision " + Revisions.shortForm(opRevision) + " "
                    + opPhase.toLowerCase(java.util.Locale.ROOT) + (msg == null ? "" : ": " + msg));
        }
        if (atRevision && "Synced".equals(sync) && "Degraded".equals(health)) {
            return Evaluation.failed(target + " is Degraded at revision " + Revisions.shortForm(syncRevision)
                    + (healthMessage == null ? "" : ": " + healthMessage));
        }
        if (atRevision && "Synced".equals(sync) && "Healthy".equals(health)) {
            return Evaluation.ready("Application Synced and Healthy at revision " + Revisions.shortForm(syncRevision));
        }
        return Evaluation.waiting("Application " + (sync == null ? "sync unknown" : sync) + " at revision "
                + Revisions.shortForm(syncRevision) + ", health " + (health == null ? "unknown" : health)
                + (revision == null || atRevision ? "" : ", waiting for " + Revisions.shortForm(revision)));
    }

    private boolean anyMatches(Object revisions) {
        if (revision != null && revisions instanceof List<?> l) {
            return l.stream().anyMatch(r -> r != null && Revisions.matches(r.toString(), revision));
        }
        return false;
    }
}
