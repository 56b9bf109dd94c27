package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.gitopsrelease.gitops.Names;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The parameters that name a release, shared by {@code generateGitopsResources} (into a checkout) and
 * {@code openReleasePr} (onto the repository's base branch): project, component, image, descriptor, release name and
 * target environment, with the engine's validation behind the form checks.
 */
public abstract class ReleaseStepBase extends GitOpsStepBase {
    final String project;
    final String component;
    final String image;
    /** Public for the same reason as {@link BuildImageStep#descriptor}: {@code getDescriptor()} is Describable's. */
    @SuppressFBWarnings(value = "PA_PUBLIC_PRIMITIVE_ATTRIBUTE", justification = "see BuildImageStep.descriptor")
    public String descriptor;
    String releaseName;
    String targetEnv;
    /** Registry hosts reached over plain HTTP when targetEnv's policy reads the build's record. */
    String insecureRegistries;

    protected ReleaseStepBase(String project, String component, String image) {
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

    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
    }

    /** Form checks of the shared parameters. */
    public abstract static class ReleaseDescriptorBase extends GitOpsStepBase.DescriptorBase {
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
    }
}
