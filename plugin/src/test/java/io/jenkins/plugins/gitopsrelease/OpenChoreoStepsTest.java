package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate;
import io.jenkins.plugins.gitopsrelease.testinfra.OpenChoreoApiStub;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** generateGitopsResources(mode: 'api-server') and bulk promotion against the validating OpenChoreo API stub. */
@WithJenkins
class OpenChoreoStepsTest {
    static final String CANARY = "canary-openchoreo-PLUGIN-7d2e";

    JenkinsRule j;
    OpenChoreoApiStub stub;

    @BeforeEach
    void setUp(JenkinsRule j) throws Exception {
        this.j = j;
        stub = new OpenChoreoApiStub(OpenChoreoApiStub.specOrSkip(), CANARY);
        stub.pipeline("default", "std", "development", "staging");
        stub.project("default", "shop", "std");
        stub.component("default", "shop", "web");
        List<Credentials> store = SystemCredentialsProvider.getInstance().getCredentials();
        store.add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "openchoreo-ci", "",
                OpenChoreoApiStub.CLIENT_ID, CANARY));
        SystemCredentialsProvider.getInstance().save();
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        config.setOpenChoreoApiUrl(stub.url());
        config.setOpenChoreoCredentialsId("openchoreo-ci");
    }

    @AfterEach
    void tearDown() {
        if (stub != null) {
            List<String> v = stub.violations();
            stub.close();
            assertThat(v, empty());
        }
    }

    @Test
    void generateInApiServerModePublishesTheWorkloadAndPromotes() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "external-ci");
        job.setDefinition(new CpsFlowDefinition("node {\n"
                + "  def r = generateGitopsResources mode: 'api-server', project: 'shop', component: 'web',"
                + " image: 'reg.example.com/web:1.0'\n"
                + "  echo \"env=${r.environment} binding=${r.bindingUrl}\"\n"
                + "  def p = openReleasePr mode: 'api-server', project: 'shop', all: true, targetEnv: 'staging'\n"
                + "  echo \"promoted=${p.components}\"\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);
        j.assertLogContains("env=development binding=" + stub.url()
                + "/api/v1/namespaces/default/releasebindings/web-development", run);
        j.assertLogContains("promoted=[shop/web created", run);
        assertThat(stub.object("workloads", "default", "web-workload").orElseThrow().at("/metadata/annotations")
                .get(WorkloadCreate.ANNOTATION_BUILD_URL).asText(), is(j.getURL() + run.getUrl()));
        assertThat(stub.object("releasebindings", "default", "web-staging").isPresent(), is(true));
        j.assertLogNotContains(CANARY, run);
    }
}
