package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures;
import java.nio.file.Path;

/** OpenChoreo Component files with auto-build settings, written the way the sample GitOps repository lays them out. */
public final class WebhookFixtures {
    public static final String MONOREPO = "https://github.com/acme/shop.git";

    private WebhookFixtures() {
    }

    /** Writes namespaces/default/projects/{project}/components/{name}/component.yaml; null branch/appPath are left out. */
    public static void component(Path root, String project, String name, boolean autoBuild, String url, String branch,
            String appPath) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: openchoreo.dev/v1alpha1\nkind: Component\nmetadata:\n  name: ").append(name)
                .append("\n  namespace: default\nspec:\n  owner:\n    projectName: ").append(project)
                .append("\n  componentType:\n    name: deployment/service\n  autoBuild: ").append(autoBuild)
                .append("\n  workflow:\n    name: docker-gitops-release\n    kind: Workflow\n    parameters:\n")
                .append("      repository:\n        url: \"").append(url).append("\"\n");
        if (branch != null) {
            y.append("        revision:\n          branch: \"").append(branch).append("\"\n");
        }
        if (appPath != null) {
            y.append("        appPath: \"").append(appPath).append("\"\n");
        }
        GitopsFixtures.write(root, "namespaces/default/projects/" + project + "/components/" + name + "/component.yaml",
                y.toString());
    }

    /** The monorepo used across tests: three auto-build components of acme/shop under different appPaths, one without. */
    public static Path shop(Path root) {
        component(root, "shop", "frontend", true, MONOREPO, "main", "/apps/frontend");
        component(root, "shop", "orders", true, MONOREPO, null, "apps/orders/");
        component(root, "shop", "payments", true, MONOREPO, "main", "./services/payments");
        component(root, "shop", "legacy", false, MONOREPO, "main", "/apps/legacy");
        component(root, "blog", "web", true, "https://github.com/acme/blog", "main", "/");
        return root;
    }
}
