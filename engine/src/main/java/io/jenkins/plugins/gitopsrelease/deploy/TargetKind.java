package io.jenkins.plugins.gitopsrelease.deploy;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of object a release watch can follow, each with the API coordinates to reach it without discovery. */
public enum TargetKind {
    DEPLOYMENT("apps", "v1", "Deployment", "deployments"),
    STATEFULSET("apps", "v1", "StatefulSet", "statefulsets"),
    DAEMONSET("apps", "v1", "DaemonSet", "daemonsets"),
    HELMRELEASE("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"),
    KUSTOMIZATION("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations"),
    APPLICATION("argoproj.io", "v1alpha1", "Application", "applications"),
    RELEASEBINDING("openchoreo.dev", "v1alpha1", "ReleaseBinding", "releasebindings");

    private final ResourceDefinitionContext context;

    TargetKind(String group, String version, String kind, String plural) {
        // An explicit context avoids an API discovery round trip per watch.
        this.context = new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
    }

    public ResourceDefinitionContext context() {
        return context;
    }

    /** The Kubernetes kind, e.g. {@code HelmRelease}. */
    public String kind() {
        return context.getKind();
    }

    /** The lower-case name used on the command line and in configuration, e.g. {@code helmrelease}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isWorkload() {
        return this == DEPLOYMENT || this == STATEFULSET || this == DAEMONSET;
    }

    /** Accepts the kind in any case ({@code Deployment}, {@code deployment}, {@code HelmRelease}...). */
    public static TargetKind parse(String field, String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (TargetKind k : values()) {
                if (k.cliName().equals(t)) {
                    return k;
                }
            }
        }
        throw InvalidInputException.invalid(field, text, "use one of " + Arrays.stream(values())
                .map(TargetKind::cliName).collect(Collectors.joining(", ")));
    }
}
