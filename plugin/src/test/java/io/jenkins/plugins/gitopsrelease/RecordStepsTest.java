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
        // the refusal is on the run's page: the staging verdict with its unmet rule, and the record it judged
        GitOpsReleaseAction refusedAction = refused.getAction(GitOpsReleaseAction.class);
        assertThat(refusedAction.getPolicies().size(), is(1));
        RecordViews.PolicyView verdict = refusedAction.getPolicies().get(0);
        assertThat(verdict.getEnvironment(), is("staging"));
        assertThat(verdict.isAllowed(), is(false));
        assertThat(verdict.getRules().stream().map(r -> r.getRule() + "=" + r.isMet()).toList(),
                contains("smoke=passed=false", "branch in [main]=true"));

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

    /**
     * On a real agent: every step captures the record (and each policy verdict) where the registry is and hands it
     * back through the remoting class filter; the run page, the job's Deployments page and /api/json show them
     * without the controller reading the registry (it is stopped before the pages are read), user-written values
     * escaped; the action keeps them in build.xml (reloaded from disk).
     */
    @Test
    void recordsAndVerdictsComeBackFromTheAgentAndShowOnThePagesAndTheApi() throws Exception {
        hudson.slaves.DumbSlave agent = j.createOnlineSlave(hudson.model.Label.get("remote"));
        String insecure = dev.host() + "," + staging.host();
        String xss = "<script>alert('gra')</script>";
        WorkflowJob job = pipeline("shop-agent", "node('remote') {\n"
                + "  withEnv(['BRANCH_NAME=main']) {\n"
                + "    def built = buildImage image: 'hello-web:2.0', context: 'app', builder: 'jib',"
                + " insecureRegistries: '" + dev.host() + "'\n"
                + "    annotateBuild image: built.image, annotations: [smoke: 'passed', note: \"" + xss + "\"],"
                + " insecureRegistries: '" + dev.host() + "'\n"
                + "    generateGitopsResources project: 'shop', component: 'hello-web', image: built.image,"
                + " descriptor: 'workload.yaml', targetEnv: 'development', root: 'gitops'\n"
                + "    promoteImage source: 'development', destination: 'staging', image: built.image,"
                + " insecureRegistries: '" + insecure + "'\n"
                // staging's policy read over plain HTTP: the step's insecureRegistries parameter
                + "    generateGitopsResources project: 'shop', component: 'hello-web', image: built.image,"
                + " descriptor: 'workload.yaml', targetEnv: 'staging', root: 'gitops', insecureRegistries: '"
                + dev.host() + "'\n"
                + "  }\n"
                + "}");
        FilePath ws = agent.getWorkspaceFor(job);
        new FilePath(Path.of(System.getProperty("user.dir")).resolve("../examples/hello-web").normalize().toFile())
                .copyRecursiveTo(ws.child("app"));
        StepsTest.example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        StepsTest.example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        StepsTest.example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));

        WorkflowRun run = j.buildAndAssertSuccess(job);
        GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
        String digest = action.getDigest();
        // generate for staging passed staging's policy, read over plain HTTP (else TLS to the registry fails the build)
        assertThat(ws.child("gitops/namespaces/default/projects/shop/components/hello-web/release-bindings/"
                + "hello-web-staging.yaml").exists(), is(true));
        List<String> images = action.getRecords().stream().map(RecordViews.RecordView::getImage).toList();
        // the latest capture last: generate's policy read the dev record after promoteImage wrote staging's
        assertThat(images, contains(staging.host() + "/staging/hello-web@" + digest, dev.host() + "/dev/hello-web@"
                + digest));
        RecordViews.RecordView atDev = action.getRecords().get(1);
        assertThat(atDev.getAttributes().get("io.jenkins.gitops-release.run-url"), is(j.getURL() + run.getUrl()));
        assertThat(atDev.getAnnotations().stream().map(a -> a.getKey() + "=" + a.getValue()).toList(),
                org.hamcrest.Matchers.hasItems("smoke=passed", "note=" + xss));
        RecordViews.RecordView atStaging = action.getRecords().get(0);
        assertThat(atStaging.getAnnotations().stream().map(RecordViews.AnnotationView::getKey).toList(),
                org.hamcrest.Matchers.hasItem("promoted.staging"));
        assertThat(atStaging.getAnnotations().get(0).getRunLink(), is(j.getURL() + run.getUrl()));
        assertThat(action.getPolicies().size(), is(1));
        assertThat(action.getPolicies().get(0).isAllowed(), is(true));

        dev.stop();
        staging.stop(); // the pages must not need the registry: everything came back with the steps
        try {
            JenkinsRule.WebClient wc = j.createWebClient();
            wc.getOptions().setJavaScriptEnabled(false);
            String page = wc.goTo(run.getUrl() + "gitops-release/").getWebResponse().getContentAsString();
            assertThat(page, containsString("promoted.staging"));
            assertThat(page, containsString("&lt;script>alert("));
            assertThat(page, not(containsString(xss)));
            assertThat(page, containsString("href=\"" + j.getURL() + run.getUrl() + "\""));
            assertThat(page, containsString("smoke=passed"));
            String jobPage = wc.goTo(job.getUrl() + "gitops-deployments/").getWebResponse().getContentAsString();
            assertThat(jobPage, containsString("promoted.staging"));
            assertThat(jobPage, containsString("&lt;script>alert(")); // carried to staging with the image
            assertThat(jobPage, not(containsString(xss)));

            net.sf.json.JSONObject api = net.sf.json.JSONObject.fromObject(wc.goTo(run.getUrl() + "gitops-release/api/json"
                    + "?depth=2", "application/json").getWebResponse().getContentAsString());
            net.sf.json.JSONObject policy = api.getJSONArray("policies").getJSONObject(0);
            assertThat(policy.getString("environment"), is("staging"));
            assertThat(policy.getBoolean("allowed"), is(true));
            assertThat(policy.getJSONArray("rules").getJSONObject(0).getString("rule"), is("smoke=passed"));
            assertThat(policy.getJSONArray("rules").getJSONObject(0).getBoolean("met"), is(true));
            net.sf.json.JSONObject rec = api.getJSONArray("records").getJSONObject(0);
            assertThat(rec.getString("digest"), is(digest));
            assertThat(rec.getJSONObject("attributes").getString("io.jenkins.gitops-release.branch"), is("main"));
            assertThat(rec.getJSONArray("annotations").toString(), containsString("promoted.staging"));
            net.sf.json.JSONObject deployments = net.sf.json.JSONObject.fromObject(wc.goTo(job.getUrl()
                    + "gitops-deployments/api/json?depth=2", "application/json").getWebResponse().getContentAsString());
            net.sf.json.JSONObject row = deployments.getJSONArray("environments").getJSONObject(0);
            assertThat(row.getString("name"), is("staging"));
            assertThat(row.getJSONObject("policy").getBoolean("allowed"), is(true));
            assertThat(row.getJSONObject("record").getString("image"), is(staging.host() + "/staging/hello-web@"
                    + digest)); // the environment's own copy of the record
        } finally {
            dev.start();
            staging.start();
        }

        run.reload(); // from build.xml
        GitOpsReleaseAction reloaded = run.getAction(GitOpsReleaseAction.class);
        assertThat(reloaded, not(org.hamcrest.Matchers.sameInstance(action)));
        assertThat(reloaded.getRecords().stream().map(RecordViews.RecordView::getImage).toList(), is(images));
        assertThat(reloaded.getPolicies().get(0).getRules().size(), is(2));
    }
}
