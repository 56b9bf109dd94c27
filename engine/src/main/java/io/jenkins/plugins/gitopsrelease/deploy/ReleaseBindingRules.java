package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;
import java.util.Set;

/**
 * OpenChoreo ReleaseBinding: ready when {@code spec.releaseName} is the expected release and condition
 * {@code Ready=True} (observed at the current generation). The failure reasons of the ReleaseBinding controller
 * (openchoreo-fs-mode.md §6) on any of its conditions fail at once, but only once the binding names the expected
 * release: a failure of the previous release is what this one may fix.
 */
final class ReleaseBindingRules implements TargetRules {
    static final Set<String> FAILURE_REASONS = Set.of(
            // missing references
            "ComponentReleaseNotFound", "EnvironmentNotFound", "DataPlaneNotFound", "DataPlaneNotConfigured",
            "ComponentNotFound", "ProjectNotFound",
            // failures
            "InvalidReleaseConfiguration", "RenderingFailed", "ResourceApplyFailed",
            // the rendered resources are broken (Argo CD's Degraded)
            "ResourcesDegraded");

    private final Target target;
    private final String release;

    ReleaseBindingRules(Target target, String release) {
        this.target = target;
        this.release = release;
    }

    @Override
    public Evaluation evaluate(GenericKubernetesResource o) {
        String releaseName = Fields.string(o, "spec", "releaseName");
        if (release != null && !release.equals(releaseName)) {
            return Evaluation.waiting("ReleaseBinding at release " + (releaseName == null ? "none" : releaseName)
                    + ", waiting for " + release);
        }
        long generation = Fields.generation(o);
        long statusGeneration = Fields.observedGeneration(o);
        for (Fields.Condition c : Fields.conditions(o)) {
            if (c.isFalse() && c.reason() != null && FAILURE_REASONS.contains(c.reason())
                    && current(c, statusGeneration, generation)) {
                return Evaluation.failed(target + " (release " + releaseName + ") " + c.type() + ": " + c.explain());
            }
        }
        Optional<Fields.Condition> ready = Fields.condition(o, "Ready");
        if (ready.isPresent() && ready.get().isTrue() && current(ready.get(), statusGeneration, generation)) {
            return Evaluation.ready("ReleaseBinding Ready at release " + releaseName
                    + (ready.get().reason() == null ? "" : " (" + ready.get().reason() + ")"));
        }
        return Evaluation.waiting("ReleaseBinding at release " + releaseName + ", "
                + ready.map(c -> "Ready=" + c.status() + (c.reason() == null ? "" : " (" + c.reason() + ")")
                        + (current(c, statusGeneration, generation) ? "" : " for an older generation"))
                        .orElse("not reconciled yet"));
    }

    /**
     * A condition observed at an older generation than the object's describes an older spec (e.g. the previous
     * release). The condition's own observedGeneration counts, else status.observedGeneration; with neither, trust it.
     */
    private static boolean current(Fields.Condition c, long statusGeneration, long generation) {
        Long observed = c.observedGeneration() != null ? c.observedGeneration()
                : statusGeneration >= 0 ? Long.valueOf(statusGeneration) : null;
        return observed == null || generation == 0 || observed >= generation;
    }
}
