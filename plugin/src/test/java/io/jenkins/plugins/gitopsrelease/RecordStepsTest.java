package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Build records in a real Pipeline: buildImage fixes the run URL and job in the image, the staging policy from the
 * global configuration refuses a promotion the record does not justify (the Jenkinsfile names no gate), annotateBuild
 * adds what it needs, and the promotion then records itself.
 */
@WithJenkins
class RecordStepsTest {
    static final String CANARY = "canary-s3cr3t-RECORDSTEPS";

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.withAuth("stager", CANARY);

    JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule j) throws Exception {
        this.j = j;
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "registry-staging", "", "stager", CANARY));
        SystemCredentialsProvider.getInstance().save();
        EnvironmentConfig development = new EnvironmentConfig("development");
        development.setRegistry(dev.host() + "/dev");
        EnvironmentConfig stagingEnv = new EnvironmentConfig("staging");
        stagingEnv.setRegistry(staging.host() + "/staging");
        stagingEnv.setRegistryCredentialsId("registry-staging");
        stagingEnv.setRequiredAnnotations("smoke=passed");
        stagingEnv.setAllowedBranches("main");
        GitOpsReleaseConfiguration.get().setEnvironments(List.of(development, stagingEnv));
    }

    WorkflowJob pipeline(String name, String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    @Test
    void policyFromTheGlobalConfigurationGatesPromotionAndAnnotateBuildSatisfiesIt() throws Exception {
        String insecure = dev.host() + "," + staging.host();
        WorkflowJob job = pipeline("shop", "node {\n"
                + "  withEnv(['BRANCH_NAME=main']) {\n"
                + "    def built = buildImage image: 'hello-web:1.0', context: 'app', builder: 'jib',"
                + " insecureRegistries: '" + dev.host() + "'\n"
                + "    if (params.SMOKE) { annotateBuild image: built.image, annotations: [smoke: 'passed'],"
                + " insecureRegistries: '" + dev.host() + "' }\n"
                + "    promoteImage source: 'development', destination: 'staging', insecureRegistries: '" + insecure + "'\n"
                + "  }\n"
                + "}");
        job.addProperty(new hudson.model.ParametersDefinitionProperty(
                new hudson.model.BooleanParameterDefinition("SMOKE", false, "")));
        new FilePath(Path.of(System.getProperty("user.dir")).resolve("../examples/hello-web").normalize().toFile())
                .copyRecursiveTo(j.jenkins.getWorkspaceFor(job).child("app"));

        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("policy of environment 'staging' refuses", refused);
        j.assertLogContains("1) smoke=passed — no annotation smoke", refused);
        assertThat(TestImages.client(staging).tags("staging/hello-web"), is(empty()));

        BuildRecord atDev = ReadRecord.image(dev.host() + "/dev/hello-web:1.0").insecure(List.of(dev.host()))
                .auth(RegistryAuth.anonymous()).call();
        assertThat(atDev.attributes().get("io.jenkins.gitops-release.run-url"), is(j.getURL() + refused.getUrl()));
        assertThat(atDev.attributes().get("io.jenkins.gitops-release.job"), is("shop"));
        assertThat(atDev.attributes().get("io.jenkins.gitops-release.branch"), is("main"));

        WorkflowRun ok = j.assertBuildStatusSuccess(job.scheduleBuild2(0, new hudson.model.ParametersAction(
                new hudson.model.BooleanParameterValue("SMOKE", true))));
        j.assertLogContains("policy of staging: 2 rules met", ok);
        BuildRecord atStaging = ReadRecord.image(staging.host() + "/staging/hello-web:1.0")
                .insecure(List.of(staging.host())).auth(RegistryAuth.anonymous().with(staging.host(), "stager",
                        io.jenkins.plugins.gitopsrelease.core.Secret.of(CANARY))).call();
        assertThat(atStaging.annotations().stream().map(a -> a.key()).toList(), contains("smoke", "promoted.staging"));
        assertThat(atStaging.latest("smoke").orElseThrow().writer(), is("jenkins:shop #2"));
        assertThat(atStaging.latest("smoke").orElseThrow().runUrl(), is(j.getURL() + ok.getUrl()));
        assertThat(JenkinsRule.getLog(ok) + JenkinsRule.getLog(refused), not(containsString(CANARY)));
    }
}
