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
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.release.AnnotateBuildRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code annotateBuild image: env.IMAGE, annotations: [smoke: 'passed']}: adds annotation events to the build's
 * record in the registry (a test stage, a manual approval after {@code input}). The writer is this job and run, the
 * run URL this build's. Returns {@code [image, digest, keys]}.
 */
public class AnnotateBuildStep extends GitOpsStepBase {
    private final String image;
    /** {@code KEY=VALUE} lines (the form's field); {@code annotations:} in a Pipeline fills it too. */
    private String annotationLines;
    private String insecureRegistries;
    private String credentialsId;

    @DataBoundConstructor
    public AnnotateBuildStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImage() {
        return image;
    }

    public String getAnnotationLines() {
        return annotationLines;
    }

    @DataBoundSetter
    public void setAnnotationLines(String annotationLines) {
        this.annotationLines = Util.fixEmptyAndTrim(annotationLines);
    }

    /** The Pipeline form: a map, e.g. {@code [smoke: 'passed', 'approved-by': 'alice']}. */
    public void setAnnotations(Map<?, ?> annotations) {
        StringBuilder sb = new StringBuilder();
        annotations.forEach((k, v) -> sb.append(k).append('=').append(v == null ? "" : v).append('\n'));
        this.annotationLines = sb.toString().trim();
    }

    public String getInsecureRegistries() {
        return insecureRegistries;
    }

    @DataBoundSetter
    public void setInsecureRegistries(String insecureRegistries) {
        this.insecureRegistries = Util.fixEmptyAndTrim(insecureRegistries);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** Username/password for the image's registry (default: the credentials of the environment that holds it). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    static Map<String, String> parse(String lines) {
        Map<String, String> out = new LinkedHashMap<>();
        if (lines != null) {
            for (String line : lines.split("\n")) {
                if (!line.isBlank()) {
                    String[] kv = Annotation.parsePair("annotations", line.trim());
                    out.put(kv[0], kv[1]);
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        String ref = env.expand(image);
        AnnotateBuildRequest request = Parameters.map(() -> AnnotateBuildRequest.create().image(ref)
                .annotations(parse(env.expand(annotationLines))).insecureRegistries(Parameters.list(insecureRegistries)));
        String id = credentialsId != null ? credentialsId
                : GitOpsReleaseConfiguration.get().registryCredentialsFor(ref);
        CredentialsLookup.UserPass creds = new CredentialsLookup(run).usernamePassword(id, "credentialsId");
        if (creds != null) {
            request.credentials(creds.username(), creds.password());
        }
        return StepRunner.run(run, workspace, env, listener, request, new StepRunner.Subject(null, null, null));
    }

    @Extension
    public static final class DescriptorImpl extends GitOpsStepBase.DescriptorBase {
        @Override
        public String getFunctionName() {
            return "annotateBuild";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.AnnotateBuildStep_DisplayName();
        }

        /** {@code annotations:} is a map, which the data-binding model does not bind: taken out here. */
        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            Map<String, Object> rest = new HashMap<>(arguments);
            Object map = rest.remove("annotations");
            AnnotateBuildStep step = (AnnotateBuildStep) super.newInstance(rest);
            if (map instanceof Map<?, ?> m) {
                step.setAnnotations(m);
            } else if (map != null) {
                throw new IllegalArgumentException("annotateBuild: annotations must be a map, e.g."
                        + " annotations: [smoke: 'passed']");
            }
            return step;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return Parameters.usernamePasswordItems(item, credentialsId);
        }

        @POST
        public FormValidation doCheckImage(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, v -> {
                if (v != null) {
                    ImageRefs.parse("image", v);
                }
            });
        }

        @POST
        public FormValidation doCheckAnnotationLines(@AncestorInPath Item item, @QueryParameter String value) {
            return Parameters.checkValue(item, value, AnnotateBuildStep::parse);
        }
    }
}
