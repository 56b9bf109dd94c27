package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Flux HelmRelease and Kustomization. Asks the source and then the object to reconcile now (what {@code flux
 * reconcile --with-source} does: the {@code reconcile.fluxcd.io/requestedAt} annotation), then waits for
 * {@code Ready=True} at the merge commit. {@code Stalled=True} fails at once; {@code Ready=False} with a terminal
 * reason fails only when it concerns the expected revision (an old revision's failure is what the release may fix).
 */
final class FluxRules implements TargetRules {
    static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
    private static final Set<String> HELM_TERMINAL = Set.of(
            "InstallFailed", "UpgradeFailed", "TestFailed", "RollbackFailed", "UninstallFailed", "InitFailed");
    private static final Set<String> KUSTOMIZE_TERMINAL = Set.of(
            "BuildFailed", "HealthCheckFailed", "ReconciliationFailed", "PruneFailed");
    private static final Map<String, String> SOURCE_PLURALS = Map.of(
            "GitRepository", "gitrepositories",
            "OCIRepository", "ocirepositories",
            "Bucket", "buckets",
            "HelmRepository", "helmrepositories",
            "HelmChart", "helmcharts");

    private final Target target;
    private final String revision;
    private final Clock clock;
    private String token;

    FluxRules(Target target, String revision, Clock clock) {
        this.target = target;
        this.revision = revision;
        this.clock = clock;
    }

    @Override
    public GenericKubernetesResource prepare(KubernetesClient client, GenericKubernetesResource object,
            Progress progress) {
        token = clock.instant().toString();
        String patch = "{\"metadata\":{\"annotations\":{\"" + REQUESTED_AT + "\":\"" + token + "\"}}}";
        sourceRef(object).ifPresent(ref -> {
            String kind = Fields.str(ref, "kind");
            String name = Fields.str(ref, "name");
            String ns = Optional.ofNullable(Fields.str(ref, "namespace")).orElse(target.namespace());
            String plural = SOURCE_PLURALS.get(kind);
            if (plural == null || name == null) {
                return;
            }
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder()
                    .withGroup("source.toolkit.fluxcd.io").withVersion("v1").withKind(kind).withPlural(plural)
                    .withNamespaced(true).build();
            try {
                client.genericKubernetesResources(ctx).inNamespace(ns).withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                progress.step("requested reconcile of " + kind + " " + ns + "/" + name);
            } catch (KubernetesClientException e) {
                // Not fatal: the source reconciles on its interval anyway; say so and go on.
                progress.step("could not request reconcile of " + kind + " " + ns + "/" + name + " (HTTP "
                        + e.getCode() + "); waiting for its interval");
            }
        });
        GenericKubernetesResource patched = client.genericKubernetesResources(target.kind().context())
                .inNamespace(target.namespace()).withName(target.name())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        progress.step("requested reconcile of " + target);
        return patched;
    }

    /** Kustomization: spec.sourceRef; HelmRelease: spec.chart.spec.sourceRef or spec.chartRef. */
    private Optional<Map<?, ?>> sourceRef(GenericKubernetesResource o) {
        Object ref = target.kind() == TargetKind.KUSTOMIZATION ? Fields.at(o, "spec", "sourceRef")
                : Optional.ofNullable(Fields.at(o, "spec", "chart", "spec", "sourceRef"))
                        .orElse(Fields.at(o, "spec", "chartRef"));
        return ref instanceof Map<?, ?> m ? Optional.of(m) : Optional.empty();
    }

    @Override
    public Evaluation evaluate(GenericKubernetesResource o) {
        Optional<Fields.Condition> stalled = Fields.condition(o, "Stalled");
        if (stalled.isPresent() && stalled.get().isTrue()) {
            return Evaluation.failed(target + " is stalled: " + stalled.get().explain());
        }
        Optional<Fields.Condition> ready = Fields.condition(o, "Ready");
        String applied = appliedRevision(o);
        String attempted = Fields.string(o, "status", "lastAttemptedRevision");
        String handled = Fields.string(o, "status", "lastHandledReconcileAt");
        boolean observed = Fields.observedGeneration(o) >= Fields.generation(o);
        boolean atRevision = revision == null ? token != null && token.equals(handled)
                : Revisions.matches(applied, revision);
        if (ready.isPresent() && ready.get().isTrue() && observed && atRevision) {
            return Evaluation.ready(target.kind().kind() + " ready at revision " + Revisions.shortForm(applied)
                    + reasonNote(ready.get()));
        }
        if (ready.isPresent() && ready.get().isFalse() && ready.get().reason() != null
                && terminal().contains(ready.get().reason())) {
            boolean concernsUs = revision == null ? token != null && token.equals(handled)
                    : Revisions.matches(attempted, revision) || Revisions.matches(applied, revision);
            if (concernsUs) {
                return Evaluation.failed(target + " failed at revision " + Revisions.shortForm(
                        attempted != null ? attempted : applied) + ": " + ready.get().explain());
            }
        }
        String state = ready.map(c -> "Ready=" + c.status() + (c.reason() == null ? "" : " (" + c.reason() + ")"))
                .orElse("not reconciled yet");
        String rev = attempted != null && !attempted.equals(applied)
                ? "reconciling revision " + Revisions.shortForm(attempted)
                : "at revision " + Revisions.shortForm(applied);
        return Evaluation.waiting(target.kind().kind() + " " + rev + ", " + state
                + (revision == null ? "" : ", waiting for " + Revisions.shortForm(revision)));
    }

    /** lastAppliedRevision (Kustomization, HelmRelease v2beta), else the newest Helm history entry's chart version. */
    private static String appliedRevision(GenericKubernetesResource o) {
        String applied = Fields.string(o, "status", "lastAppliedRevision");
        if (applied == null && Fields.at(o, "status", "history") instanceof java.util.List<?> h && !h.isEmpty()) {
            applied = Fields.str(Fields.map(h.get(0)), "chartVersion");
        }
        return applied;
    }

    private Set<String> terminal() {
        return target.kind() == TargetKind.HELMRELEASE ? HELM_TERMINAL : KUSTOMIZE_TERMINAL;
    }

    private static String reasonNote(Fields.Condition c) {
        return c.reason() == null ? "" : " (" + c.reason() + ")";
    }
}
