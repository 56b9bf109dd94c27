package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.CANARY;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.afterWatchOpens;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.namespace;
import static io.jenkins.plugins.gitopsrelease.deploy.KubeTestSupport.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Argo CD Application, OpenChoreo ReleaseBinding and Flux HelmRelease/Kustomization as registered CRDs. */
class GitOpsKindsWatchTest {
    static final String SHA = "4f2a9c1be07d3e5a6b8c9d0e1f2a3b4c5d6e7f80";
    static final String OLD_SHA = "1111111be07d3e5a6b8c9d0e1f2a3b4c5d6e7f80";

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    private final RecordingProgress lines = new RecordingProgress();

    static Resource<GenericKubernetesResource> create(ResourceDefinitionContext ctx, String ns, String name,
            Map<String, Object> spec, Map<String, Object> status) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion(ctx.getGroup() + "/" + ctx.getVersion()).withKind(ctx.getKind())
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withAdditionalProperties(new LinkedHashMap<>(Map.of("spec", spec))).build();
        var res = kube.client().genericKubernetesResources(ctx).inNamespace(ns).withName(name);
        kube.client().genericKubernetesResources(ctx).inNamespace(ns).resource(r).create();
        if (status != null) {
            setStatus(res, status).run();
        }
        return res;
    }

    static Runnable setStatus(Resource<GenericKubernetesResource> res, Map<String, Object> status) {
        return () -> res.editStatus(x -> {
            Map<String, Object> s = new LinkedHashMap<>(status);
            s.putIfAbsent("observedGeneration", x.getMetadata().getGeneration());
            x.setAdditionalProperty("status", s);
            return x;
        });
    }

    static Map<String, Object> cond(String type, String status, String reason, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("reason", reason);
        if (message != null) {
            c.put("message", message);
        }
        return c;
    }

    // ---- Argo CD ----

    static Map<String, Object> argo(String sync, String revision, String health, String healthMessage) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", health);
        if (healthMessage != null) {
            h.put("message", healthMessage);
        }
        return Map.of("sync", Map.of("status", sync, "revision", revision), "health", h);
    }

    @Test
    void argoApplicationReadyWhenSyncedAndHealthyAtTheMergeCommit() {
        String ns = namespace();
        var app = create(KubeMockFixture.APPLICATION, ns, "shop", Map.of("project", "default"),
                argo("Synced", OLD_SHA, "Healthy", null));
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(app, argo("OutOfSync", SHA, "Healthy", null)),
                setStatus(app, argo("Synced", SHA, "Progressing", null)),
                setStatus(app, argo("Synced", SHA, "Healthy", null)));
        WatchResult r = watch(kube, Target.of(TargetKind.APPLICATION, ns, "shop"), lines).setRevision(SHA).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).isEqualTo("Application Synced and Healthy at revision 4f2a9c1be07d");
        assertThat(lines.lines).contains("requested refresh of Application " + ns + "/shop",
                "Application " + ns + "/shop: Application Synced at revision 1111111be07d, health Healthy,"
                        + " waiting for 4f2a9c1be07d",
                "Application " + ns + "/shop: Application Synced at revision 4f2a9c1be07d, health Progressing");
        // The refresh request really reached the object.
        assertThat(app.get().getMetadata().getAnnotations()).containsEntry(ArgoRules.REFRESH, "normal");
    }

    @Test
    void argoDegradedAtTheMergeCommitFailsAtOnce() {
        String ns = namespace();
        var app = create(KubeMockFixture.APPLICATION, ns, "shop", Map.of("project", "default"),
                argo("Synced", OLD_SHA, "Degraded", "old release was broken"));
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(app, argo("Synced", SHA, "Progressing", null)),
                setStatus(app, argo("Synced", SHA, "Degraded", "Deployment \"api\" exceeded its progress deadline")));
        WatchResult r = watch(kube, Target.of(TargetKind.APPLICATION, ns, "shop"), lines)
                .setRevision(SHA.substring(0, 10)).setTimeout(Duration.ofMinutes(5)).call();
        driver.join();
        // The old revision's Degraded did not fail the watch; the new one's did.
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("Application " + ns + "/shop is Degraded at revision 4f2a9c1be07d:"
                + " Deployment \"api\" exceeded its progress deadline");
    }

    // ---- OpenChoreo ReleaseBinding ----

    @Test
    void releaseBindingReadyWhenItNamesTheReleaseAndIsReady() {
        String ns = namespace();
        var rb = create(KubeMockFixture.RELEASE_BINDING, ns, "api-development",
                Map.of("environment", "development", "releaseName", "api-5d8f7c9b4",
                        "owner", Map.of("projectName", "shop", "componentName", "api")),
                Map.of("conditions", List.of(cond("Ready", "True", "Ready", null))));
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                () -> rb.edit(x -> {
                    ((Map<String, Object>) x.getAdditionalProperties().get("spec")).put("releaseName", "api-6c1e2a3f5");
                    return x;
                }),
                setStatus(rb, Map.of("conditions", List.of(
                        cond("Ready", "False", "ResourcesProgressing", "waiting for 1 resource")))),
                setStatus(rb, Map.of("conditions", List.of(cond("Ready", "True", "Ready", null)))));
        WatchResult r = watch(kube, Target.of(TargetKind.RELEASEBINDING, ns, "api-development"), lines)
                .setRelease("api-6c1e2a3f5").call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).isEqualTo("ReleaseBinding Ready at release api-6c1e2a3f5 (Ready)");
        assertThat(lines.text()).contains("ReleaseBinding at release api-5d8f7c9b4, waiting for api-6c1e2a3f5")
                .contains("ReleaseBinding at release api-6c1e2a3f5, Ready=False (ResourcesProgressing)");
    }

    @Test
    void releaseBindingRenderingFailedFailsWithTheReason() {
        String ns = namespace();
        var rb = create(KubeMockFixture.RELEASE_BINDING, ns, "api-staging",
                Map.of("environment", "staging", "releaseName", "api-6c1e2a3f5"), null);
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(rb, Map.of("conditions", List.of(
                        cond("ReleaseSynced", "False", "RenderingFailed",
                                "template error: .spec.replicas: expected integer"),
                        cond("Ready", "False", "RenderingFailed", "rendering failed")))));
        WatchResult r = watch(kube, Target.of(TargetKind.RELEASEBINDING, ns, "api-staging"), lines)
                .setRelease("api-6c1e2a3f5").setTimeout(Duration.ofMinutes(5)).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("ReleaseBinding " + ns + "/api-staging (release api-6c1e2a3f5)"
                + " ReleaseSynced: RenderingFailed: template error: .spec.replicas: expected integer");
    }

    @Test
    void releaseBindingFailureOfThePreviousReleaseDoesNotFail() {
        String ns = namespace();
        create(KubeMockFixture.RELEASE_BINDING, ns, "api-prod",
                Map.of("environment", "prod", "releaseName", "api-old"),
                Map.of("conditions", List.of(cond("Ready", "False", "ResourceApplyFailed", "quota exceeded"))));
        WatchResult r = watch(kube, Target.of(TargetKind.RELEASEBINDING, ns, "api-prod"), lines)
                .setRelease("api-new").setTimeout(Duration.ofMillis(400)).call();
        assertThat(r.state()).isEqualTo(WatchResult.State.TIMED_OUT);
        assertThat(r.finalState()).isEqualTo("ReleaseBinding at release api-old, waiting for api-new");
    }

    // ---- Flux ----

    @Test
    void helmReleaseRequestsReconcileOfSourceAndObjectThenWaitsForTheRevision() {
        String ns = namespace();
        var repo = create(KubeMockFixture.GIT_REPOSITORY, ns, "shop-gitops",
                Map.of("url", "https://git.example.com/shop/gitops.git"), null);
        var hr = create(KubeMockFixture.HELM_RELEASE, ns, "api",
                Map.of("chart", Map.of("spec", Map.of("chart", "./charts/api",
                        "sourceRef", Map.of("kind", "GitRepository", "name", "shop-gitops")))),
                Map.of("lastAppliedRevision", "main@sha1:" + OLD_SHA,
                        "conditions", List.of(cond("Ready", "True", "UpgradeSucceeded", null))));
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(hr, Map.of("lastAppliedRevision", "main@sha1:" + OLD_SHA,
                        "lastAttemptedRevision", "main@sha1:" + SHA,
                        "conditions", List.of(cond("Ready", "Unknown", "Progressing", "running upgrade")))),
                setStatus(hr, Map.of("lastAppliedRevision", "main@sha1:" + SHA,
                        "lastAttemptedRevision", "main@sha1:" + SHA,
                        "conditions", List.of(cond("Ready", "True", "UpgradeSucceeded", "upgrade succeeded")))));
        WatchResult r = watch(kube, Target.of(TargetKind.HELMRELEASE, ns, "api"), lines).setRevision(SHA).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).isEqualTo("HelmRelease ready at revision main@sha1:4f2a9c1be07d (UpgradeSucceeded)");
        assertThat(lines.text()).contains("HelmRelease reconciling revision main@sha1:4f2a9c1be07d, Ready=Unknown");
        assertThat(repo.get().getMetadata().getAnnotations()).containsKey(FluxRules.REQUESTED_AT);
        assertThat(hr.get().getMetadata().getAnnotations()).containsKey(FluxRules.REQUESTED_AT);
        assertThat(lines.lines).containsSubsequence("requested reconcile of GitRepository " + ns + "/shop-gitops",
                "requested reconcile of HelmRelease " + ns + "/api");
    }

    @Test
    void helmReleaseStalledFailsWithTheReason() {
        String ns = namespace();
        var hr = create(KubeMockFixture.HELM_RELEASE, ns, "api", Map.of("interval", "5m"), null);
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(hr, Map.of("lastAttemptedRevision", "main@sha1:" + SHA, "conditions", List.of(
                        cond("Ready", "False", "UpgradeFailed", "context deadline exceeded"),
                        cond("Stalled", "True", "RetriesExceeded", "Failed to upgrade after 3 attempts")))));
        WatchResult r = watch(kube, Target.of(TargetKind.HELMRELEASE, ns, "api"), lines).setRevision(SHA)
                .setTimeout(Duration.ofMinutes(5)).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("HelmRelease " + ns + "/api is stalled: RetriesExceeded: Failed to upgrade"
                + " after 3 attempts");
    }

    @Test
    void kustomizationBuildFailureAtTheRevisionFailsButNotAtAnOldOne() {
        String ns = namespace();
        var ks = create(KubeMockFixture.KUSTOMIZATION, ns, "apps",
                Map.of("path", "./apps", "sourceRef", Map.of("kind", "GitRepository", "name", "missing-repo")),
                Map.of("lastAttemptedRevision", "main@sha1:" + OLD_SHA,
                        "conditions", List.of(cond("Ready", "False", "BuildFailed", "old breakage"))));
        CompletableFuture<Void> driver = afterWatchOpens(kube,
                setStatus(ks, Map.of("lastAttemptedRevision", "main@sha1:" + SHA, "conditions", List.of(
                        cond("Ready", "False", "BuildFailed", "kustomize build failed: accumulating resources")))));
        WatchResult r = watch(kube, Target.of(TargetKind.KUSTOMIZATION, ns, "apps"), lines).setRevision(SHA)
                .setTimeout(Duration.ofMinutes(5)).call();
        driver.join();
        assertThat(r.state()).isEqualTo(WatchResult.State.FAILED);
        assertThat(r.reason()).isEqualTo("Kustomization " + ns + "/apps failed at revision main@sha1:4f2a9c1be07d:"
                + " BuildFailed: kustomize build failed: accumulating resources");
        // The source does not exist: the reconcile request for it is reported, not fatal.
        assertThat(lines.text()).contains("could not request reconcile of GitRepository " + ns + "/missing-repo");
        assertThat(lines.text()).doesNotContain(CANARY);
    }

    @Test
    void kustomizationWithoutRevisionWaitsForOurReconcileRequestToBeHandled() {
        String ns = namespace();
        var ks = create(KubeMockFixture.KUSTOMIZATION, ns, "infra", Map.of("path", "./infra"),
                Map.of("lastAppliedRevision", "main@sha1:" + OLD_SHA,
                        "conditions", List.of(cond("Ready", "True", "ReconciliationSucceeded", null))));
        CompletableFuture<Void> driver = afterWatchOpens(kube, () -> {
            String requested = ks.get().getMetadata().getAnnotations().get(FluxRules.REQUESTED_AT);
            setStatus(ks, Map.of("lastAppliedRevision", "main@sha1:" + SHA, "lastHandledReconcileAt", requested,
                    "conditions", List.of(cond("Ready", "True", "ReconciliationSucceeded", null)))).run();
        });
        WatchResult r = watch(kube, Target.of(TargetKind.KUSTOMIZATION, ns, "infra"), lines).call();
        driver.join();
        assertThat(r.state()).as(lines.text()).isEqualTo(WatchResult.State.READY);
        assertThat(r.finalState()).contains("main@sha1:4f2a9c1be07d");
    }
}
