package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.release.PromoteImageRequest;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code promoteImage buildResult: 'build_result.json', source: 'development', destination: 'staging'} (or
 * {@code from:}/{@code to:} image references): copies the built image between registries by digest, never
 * rebuilding it. Returns {@code [source, destination, digest, sourceEnvironment, destinationEnvironment, blobsCopied,
 * blobsSkipped, bytesCopied]}.
 */
public class PromoteImageStep extends GitOpsStepBase {
    private String buildResult;
    private String source;
    private String destination;
    private String from;
    private String to;
    private String image;
    private String imageName;
    private String sourceCredentialsId;
    private String destinationCredentialsId;
    private String insecureRegistries;
    private boolean withReferrers = true;
    private String requireDeployed;

    @DataBoundConstructor
    public PromoteImageStep() {
    }

    public String getBuildResult() {
        return buildResult;
    }

    @DataBoundSetter
    public void setBuildResult(String buildResult) {
        this.buildResult = Util.fixEmptyAndTrim(buildResult);
    }

    public String getSource() {
        return source;
    }

    @DataBoundSetter
    public void setSource(String source) {
        this.source = Util.fixEmptyAndTrim(source);
    }

    public String getDestination() {
        return destination;
    }

    @DataBoundSetter
    public void setDestination(String destination) {
        this.destination = Util.fixEmptyAndTrim(destination);
    }

    public String getFrom() {
        return from;
    }

    @DataBoundSetter
    public void setFrom(String from) {
        this.from = Util.fixEmptyAndTrim(from);
    }

    public String getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(String to) {
        this.to = Util.fixEmptyAndTrim(to);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImageName() {
        return imageName;
    }

    /** Which entry of a build_result.json holding several builds. */
    @DataBoundSetter
    public void setImageName(String imageName) {
        this.imageName = Util.fixEmptyAndTrim(imageName);
    }

    public String getSourceCredentialsId() {
        return sourceCredentialsId;
    }

    @DataBoundSetter
    public void setSourceCredentialsId(String sourceCredentialsId) {
        this.sourceCredentialsId = Util.fixEmptyAndTrim(sourceCredentialsId);
    }

    public String getDestinationCredentialsId() {
        return destinationCredentialsId;
    }

    @DataBoundSetter
    public void setDestinationCredentialsId(String destinationCredentialsId) {
        this.destinationCredentialsId = Util.fixEmptyAndTrim(destinationCredentialsId);
    }

    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    /** Comma-separated registry hosts reached over plain HTTP. */
    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
    }

    public boolean isWithReferrers() {
        return withReferrers;
    }

    /** Also copy signatures, SBOMs and attestations attached to the image. */
    @DataBoundSetter
    public void setWithReferrers(boolean withReferrers) {
        this.withReferrers = withReferrers;
    }

    public String getRequireDeployed() {
        return requireDeployed;
    }

    /**
     * Gate: the component whose workload in the source environment must be ready and run exactly the promoted
     * digest (resolved like {@code watchDeployment component: .., environment: source}); cluster access from the
     * source environment's Kubernetes credentials.
     */
    @DataBoundSetter
    public void setRequireDeployed(String requireDeployed) {
        this.requireDeployed = Util.fixEmptyAndTrim(requireDeployed);
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        ReleaseSettings settings = config.toSettings();
        String fromRef = env.expand(from);
        String toRef = env.expand(to);
        PromoteImageRequest request = Parameters.map(() -> PromoteImageRequest.create().direct(fromRef, toRef)
                .environments(source, destination, settings).buildResult(buildResult, imageName)
                .image(env.expand(image)).withReferrers(withReferrers)
                .insecureRegistries(Parameters.list(insecureRegistries)));
        CredentialsLookup lookup = new CredentialsLookup(run);
        CredentialsLookup.UserPass src = lookup.usernamePassword(sourceCredentialsId != null ? sourceCredentialsId
                : defaultCredentials(config, source, fromRef), "sourceCredentialsId");
        if (src != null) {
            request.sourceCredentials(src.username(), src.password());
        }
        CredentialsLookup.UserPass dest = lookup.usernamePassword(destinationCredentialsId != null
                ? destinationCredentialsId : defaultCredentials(config, destination, toRef), "destinationCredentialsId");
        if (dest != null) {
            request.destinationCredentials(dest.username(), dest.password());
        }
        if (requireDeployed != null) {
            EnvironmentConfig sourceEnv = source == null ? null : config.environment(source);
            CredentialsLookup.KubeAuth kube = lookup.kube(sourceEnv == null ? null : sourceEnv.getKubeCredentialsId(),
                    "environments[" + source + "].kubeCredentialsId");
            Parameters.map(() -> {
                request.requireSourceDeployed(requireDeployed, settings);
                if (kube != null && kube.kubeconfig() != null) {
                    request.kubeconfig(kube.kubeconfig(), null);
                } else if (kube != null) {
                    request.kubeServer(sourceEnv.getKubeServerUrl(), kube.token(), null);
                }
                return request;
            });
        }
        // No component of its own: the promotion joins the report an earlier step of this run started.
        return StepRunner.run(run, workspace, env, listener, request, new StepRunner.Subject(null, null, null));
    }

    /** The registry credentials of the named environment, or of the environment whose registry holds the image. */
    @CheckForNull
    static String defaultCredentials(GitOpsReleaseConfiguration config, String environment, String reference) {
        if (environment != null) {
            EnvironmentConfig e = config.environment(environment);
            return e == null ? null : e.getRegistryCredentialsId();
        }
        return reference == null ? null : config.registryCredentialsFor(reference);
    }

    @Extension
    public static final class DescriptorImpl extends GitOpsStepBase.DescriptorBase {
        @Override
        public String getFunctionName() {
            return "promoteImage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PromoteImageStep_DisplayName();
        }

        @POST
        public ListBoxModel doFillSourceCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String sourceCredentialsId) {
            return Parameters.usernamePasswordItems(item, sourceCredentialsId);
        }

        @POST
        public ListBoxModel doFillDestinationCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String destinationCredentialsId) {
            return Parameters.usernamePasswordItems(item, destinationCredentialsId);
        }

        @POST
        public FormValidation doCheckSource(@AncestorInPath Item item, @QueryParameter String value) {
            return environmentKnown(item, value);
        }

        @POST
        public FormValidation doCheckDestination(@AncestorInPath Item item, @QueryParameter String value) {
            return environmentKnown(item, value);
        }

        @POST
        public FormValidation doCheckFrom(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    ImageRefs.parse("from", v);
                }
            });
        }

        @POST
        public FormValidation doCheckTo(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    ImageRefs.parse("to", v);
                }
            });
        }

        @POST
        public FormValidation doCheckImage(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    ImageRefs.parse("image", v);
                }
            });
        }

        /**
         * An environment missing from the global configuration may still come from op's variables
         * ({@code PROMOTE_<ENV>_REPOSITORY}) at run time, so this only warns.
         */
        private static FormValidation environmentKnown(Item item, String value) {
            FormValidation syntax = Parameters.checkValue(item, value, v -> { });
            String v = Util.fixEmptyAndTrim(value);
            if (syntax.kind != FormValidation.Kind.OK || v == null || v.contains("${")
                    || GitOpsReleaseConfiguration.get().environment(v) != null) {
                return syntax;
            }
            return FormValidation.warning(Messages.PromoteImageStep_UnknownEnvironment(v));
        }
    }
}
