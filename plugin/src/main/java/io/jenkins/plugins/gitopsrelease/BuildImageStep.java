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
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.release.BuildImageRequest;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code buildImage image: 'hello-web'}: builds the workspace's app into an image without a Docker daemon (buildah,
 * Jib, an SPA build or buildpacks), pushes it and records it in build_result.json. Returns
 * {@code [image, repository, tag, digest, builder, descriptor]}.
 */
public class BuildImageStep extends GitOpsStepBase {
    static final String[] BUILDERS = {"auto", "dockerfile", "jib", "spa", "buildpacks"};

    private final String image;
    private String context;
    private String dockerfile;
    private String builder;
    private String registryCredentialsId;
    private String buildResult;
    private String base;
    private String platform;
    /**
     * Public because {@code getDescriptor()} belongs to Describable: Pipeline's structs reads a public field of the
     * parameter's name before looking for a getter, and the form reads {@link #getWorkloadDescriptor()}.
     */
    @SuppressFBWarnings(value = "PA_PUBLIC_PRIMITIVE_ATTRIBUTE", justification = "see above")
    public String descriptor;
    private String buildArgs;
    private String insecureRegistries;

    @DataBoundConstructor
    public BuildImageStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImage() {
        return image;
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = Util.fixEmptyAndTrim(dockerfile);
    }

    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = Util.fixEmptyAndTrim(builder);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    public String getBuildResult() {
        return buildResult;
    }

    @DataBoundSetter
    public void setBuildResult(String buildResult) {
        this.buildResult = Util.fixEmptyAndTrim(buildResult);
    }

    public String getBase() {
        return base;
    }

    @DataBoundSetter
    public void setBase(String base) {
        this.base = Util.fixEmptyAndTrim(base);
    }

    public String getPlatform() {
        return platform;
    }

    @DataBoundSetter
    public void setPlatform(String platform) {
        this.platform = Util.fixEmptyAndTrim(platform);
    }

    public String getWorkloadDescriptor() {
        return descriptor;
    }

    @DataBoundSetter
    public void setDescriptor(String descriptor) {
        this.descriptor = Util.fixEmptyAndTrim(descriptor);
    }

    public String getBuildArgs() {
        return buildArgs;
    }

    /** One {@code KEY=VALUE} per line. */
    @DataBoundSetter
    public void setBuildArgs(String buildArgs) {
        this.buildArgs = Util.fixEmptyAndTrim(buildArgs);
    }

    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    /** Comma-separated registry hosts reached over plain HTTP. */
    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        ReleaseSettings settings = config.toSettings();
        BuildImageRequest request = Parameters.map(() -> BuildImageRequest.create()
                .image(env.expand(image), settings).context(context).dockerfile(dockerfile).builder(builder)
                .buildResult(buildResult).base(base).platform(platform).descriptor(descriptor)
                .buildArgs(Parameters.keyValues("buildArgs", buildArgs)).insecureRegistries(Parameters.list(insecureRegistries)));
        String credentialsId = registryCredentialsId != null ? registryCredentialsId
                : config.registryCredentialsFor(request.image());
        CredentialsLookup.UserPass creds = new CredentialsLookup(run).usernamePassword(credentialsId,
                "registryCredentialsId");
        if (creds != null) {
            request.registryCredentials(creds.username(), creds.password());
        }
        return StepRunner.run(run, workspace, env, listener, request, new StepRunner.Subject(null, null, null));
    }

    @Extension
    public static final class DescriptorImpl extends GitOpsStepBase.DescriptorBase {
        @Override
        public String getFunctionName() {
            return "buildImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BuildImageStep_DisplayName();
        }

        public ListBoxModel doFillBuilderItems() {
            ListBoxModel m = new ListBoxModel();
            for (String b : BUILDERS) {
                m.add(b, b);
            }
            return m;
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String registryCredentialsId) {
            return Parameters.usernamePasswordItems(item, registryCredentialsId);
        }

        @POST
        public FormValidation doCheckImage(@AncestorInPath Item item, @QueryParameter String value) {
            if (item != null) {
                item.checkPermission(Item.CONFIGURE);
            }
            return Parameters.check(() -> BuildImageRequest.create().image(value,
                    GitOpsReleaseConfiguration.get().toSettings()));
        }
    }
}
