package io.jenkins.plugins.gitopsrelease;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.deploy.TargetKind;
import io.jenkins.plugins.gitopsrelease.gitops.Names;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import io.jenkins.plugins.gitopsrelease.release.WatchDeploymentRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code watchDeployment component: 'hello-web', environment: 'development', timeout: 10} (or {@code kind:},
 * {@code name:}, {@code namespace:}): waits until the cluster runs the release, or fails the build with why it does
 * not. Returns {@code [state, reason, target, environment, component, release, digest, millisToReady, secondsToReady,
 * readyAt]}.
 */
public class WatchDeploymentStep extends GitOpsStepBase {
    static final int DEFAULT_TIMEOUT = 10;

    private String component;
    private String environment;
    private String kind;
    private String name;
    private String namespace;
    private String image;
    private String revision;
    private String release;
    private int timeout = DEFAULT_TIMEOUT;
    private String kubeCredentialsId;
    private String context;

    @DataBoundConstructor
    public WatchDeploymentStep() {
    }

    public String getComponent() {
        return component;
    }

    @DataBoundSetter
    public void setComponent(String component) {
        this.component = Util.fixEmptyAndTrim(component);
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = Util.fixEmptyAndTrim(environment);
    }

    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String kind) {
        this.kind = Util.fixEmptyAndTrim(kind);
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getRevision() {
        return revision;
    }

    @DataBoundSetter
    public void setRevision(String revision) {
        this.revision = Util.fixEmptyAndTrim(revision);
    }

    public String getRelease() {
        return release;
    }

    @DataBoundSetter
    public void setRelease(String release) {
        this.release = Util.fixEmptyAndTrim(release);
    }

    public int getTimeout() {
        return timeout;
    }

    /** Minutes to wait for the release to become ready. */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public String getKubeCredentialsId() {
        return kubeCredentialsId;
    }

    @DataBoundSetter
    public void setKubeCredentialsId(String kubeCredentialsId) {
        this.kubeCredentialsId = Util.fixEmptyAndTrim(kubeCredentialsId);
    }

    public String getContext() {
        return context;
    }

    /** The kubeconfig context to use (with a secret-file kubeconfig). */
    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        ReleaseSettings settings = config.toSettings();
        EnvironmentConfig envConfig = environment == null ? null : config.environment(environment);
        String credentialsId = kubeCredentialsId != null ? kubeCredentialsId
                : envConfig == null ? null : envConfig.getKubeCredentialsId();
        CredentialsLookup.KubeAuth auth = new CredentialsLookup(run).kube(credentialsId, "kubeCredentialsId");
        String serverUrl = envConfig == null ? null : envConfig.getKubeServerUrl();
        if (auth != null && auth.token() != null && serverUrl == null) {
            throw new AbortException(Messages.WatchDeploymentStep_TokenNeedsServer(credentialsId));
        }
        boolean explicit = kind != null || name != null || namespace != null;
        WatchDeploymentRequest request = Parameters.map(() -> {
            WatchDeploymentRequest r = WatchDeploymentRequest.create();
            if (auth != null && auth.kubeconfig() != null) {
                r.kubeconfig(auth.kubeconfig(), context);
            } else if (auth != null) {
                r.server(serverUrl, auth.token(), null);
            }
            if (explicit) {
                r.target(kind, name, namespace).environment(environment);
            } else if (component != null || environment != null) {
                r.componentIn(component, environment, settings);
            }
            return r.expect(env.expand(image), env.expand(revision), env.expand(release)).timeoutMinutes(timeout);
        });
        // No project of its own: the watch joins the report an earlier step of this run started for the component.
        return StepRunner.run(run, workspace, env, listener, request,
                new StepRunner.Subject(component, null, settings.namespace()));
    }

    @Extension
    public static final class DescriptorImpl extends GitOpsStepBase.DescriptorBase {
        @Override
        public String getFunctionName() {
            return "watchDeployment";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WatchDeploymentStep_DisplayName();
        }

        public ListBoxModel doFillKindItems() {
            return Parameters.choices(Messages.WatchDeploymentStep_KindFromEnvironment(),
                    List.copyOf(EnvironmentConfig.WATCH_KINDS));
        }

        @POST
        public ListBoxModel doFillKubeCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String kubeCredentialsId) {
            return Parameters.anyItems(item, kubeCredentialsId);
        }

        @POST
        public FormValidation doCheckComponent(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    Names.label("component", v);
                }
            });
        }

        /** The engine's own resolution: the environment must be configured for watching. */
        @POST
        public FormValidation doCheckEnvironment(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    WatchDeploymentRequest.create().componentIn("component", v,
                            GitOpsReleaseConfiguration.get().toSettings());
                }
            });
        }

        @POST
        public FormValidation doCheckKind(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    TargetKind.parse("kind", v);
                }
            });
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> WatchDeploymentRequest.create()
                    .timeoutMinutes(Parameters.minutes("timeout", v)));
        }
    }
}
