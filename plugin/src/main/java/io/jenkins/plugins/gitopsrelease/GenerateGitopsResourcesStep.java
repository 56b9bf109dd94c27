package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.gitopsrelease.gitops.Names;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
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
public class GenerateGitopsResourcesStep extends GitOpsStepBase {
    private final String project;
    private final String component;
    private final String image;
    /** Public for the same reason as {@link BuildImageStep#descriptor}: {@code getDescriptor()} is Describable's. */
    @SuppressFBWarnings(value = "PA_PUBLIC_PRIMITIVE_ATTRIBUTE", justification = "see BuildImageStep.descriptor")
    public String descriptor;
    private String releaseName;
    private String targetEnv;
    private String root;
    private String namespace;

    @DataBoundConstructor
    public GenerateGitopsResourcesStep(String project, String component, String image) {
        this.project = Util.fixEmptyAndTrim(project);
        this.component = Util.fixEmptyAndTrim(component);
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getProject() {
        return project;
    }

    public String getComponent() {
        return component;
    }

    public String getImage() {
        return image;
    }

    public String getWorkloadDescriptor() {
        return descriptor;
    }

    @DataBoundSetter
    public void setDescriptor(String descriptor) {
        this.descriptor = Util.fixEmptyAndTrim(descriptor);
    }

    public String getReleaseName() {
        return releaseName;
    }

    @DataBoundSetter
    public void setReleaseName(String releaseName) {
        this.releaseName = Util.fixEmptyAndTrim(releaseName);
    }

    public String getTargetEnv() {
        return targetEnv;
    }

    @DataBoundSetter
    public void setTargetEnv(String targetEnv) {
        this.targetEnv = Util.fixEmptyAndTrim(targetEnv);
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

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        ReleaseSettings settings = GitOpsReleaseConfiguration.get().toSettings();
        GenerateRequest request = Parameters.map(() -> GenerateRequest.create().root(root)
                .namespace(namespace, settings).project(project).component(component).image(env.expand(image))
                .descriptor(descriptor).releaseName(env.expand(releaseName)).targetEnv(targetEnv));
        String ns = namespace != null ? namespace : settings.namespace();
        return StepRunner.run(run, workspace, env, listener, request, new StepRunner.Subject(component, project, ns));
    }

    @Extension
    public static final class DescriptorImpl extends GitOpsStepBase.DescriptorBase {
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
        public FormValidation doCheckProject(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> Names.label("project", v));
        }

        @POST
        public FormValidation doCheckComponent(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> Names.label("component", v));
        }

        @POST
        public FormValidation doCheckImage(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> ImageRefs.parse("image", v));
        }

        @POST
        public FormValidation doCheckReleaseName(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    Names.subdomain("releaseName", v);
                }
            });
        }

        @POST
        public FormValidation doCheckTargetEnv(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    Names.label("targetEnv", v);
                }
            });
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
