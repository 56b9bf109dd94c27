package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.gitopsrelease.gitops.Names;
import io.jenkins.plugins.gitopsrelease.release.GenerateRequest;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code generateGitopsResources project: 'shop', component: 'hello-web', image: built.image}: occ's release step on a
 * GitOps repository checked out in the workspace (Workload, ComponentRelease, ReleaseBinding). Returns
 * {@code [releaseName, environment, files, created, updated]}.
 */
public class GenerateGitopsResourcesStep extends ReleaseStepBase {
    private String root;
    private String namespace;
    private String mode;

    @DataBoundConstructor
    public GenerateGitopsResourcesStep(String project, String component, String image) {
        super(project, component, image);
    }

    public String getRoot() {
        return root;
    }

    /** The GitOps repository's checkout, relative to the workspace (default: the workspace itself). */
    @DataBoundSetter
    public void setRoot(String root) {
        this.root = Util.fixEmptyAndTrim(root);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getMode() {
        return mode;
    }

    /** {@code file-system} (default: the checkout at root) or {@code api-server} (the configured OpenChoreo API). */
    @DataBoundSetter
    public void setMode(String mode) {
        this.mode = Util.fixEmptyAndTrim(mode);
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        ReleaseSettings settings = GitOpsReleaseConfiguration.get().toSettings();
        GenerateRequest request = Parameters.map(() -> GenerateRequest.create().root(root)
                .namespace(namespace, settings).project(project).component(component).image(env.expand(image))
                .descriptor(descriptor).releaseName(env.expand(releaseName)).targetEnv(targetEnv).mode(mode)
                .policySettings(settings, Parameters.list(insecureRegistries)));
        String img = env.expand(image);
        // The Workload records this run, its commit and the image digest: OpenChoreo and Backstage link back here.
        request.buildInfo(new io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate.BuildInfo(env.get("BUILD_URL"),
                env.get("GIT_COMMIT"), img != null && img.contains("@") ? img.substring(img.indexOf('@') + 1) : null));
        if (GenerateRequest.MODE_API_SERVER.equals(mode)) {
            GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
            request.api(config.getOpenChoreoApiUrl(), new CredentialsLookup(run).openChoreo(
                    config.getOpenChoreoCredentialsId(), "openChoreoCredentialsId"));
        }
        String ns = namespace != null ? namespace : settings.namespace();
        return StepRunner.run(run, workspace, env, listener, request, new StepRunner.Subject(component, project, ns));
    }

    @Extension
    public static final class DescriptorImpl extends ReleaseStepBase.ReleaseDescriptorBase {
        @Override
        public String getFunctionName() {
            return "generateGitopsResources";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.GenerateGitopsResourcesStep_DisplayName();
        }

        @POST
        public FormValidation doCheckNamespace(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    Names.label("namespace", v);
                }
            });
        }
    }
}
