package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.sameInstance;

import hudson.FilePath;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A finished run's release record lives in build.xml: after a controller restart the page and the API still show it. */
class RestartTest {
    static final String DIGEST = "sha256:" + "b".repeat(64);

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aFinishedRunKeepsItsReleaseAcrossARestart() throws Throwable {
        sessions.then(j -> {
            WorkflowJob job = j.createProject(WorkflowJob.class, "restart");
            job.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  generateGitopsResources project: 'shop', component: 'hello-web',"
                    + " image: 'reg.example.com/hello-web:1.0@" + DIGEST + "', descriptor: 'workload.yaml',"
                    + " releaseName: 'hello-web-20260101-9', targetEnv: 'development', root: 'gitops'\n"
                    + "}", true));
            FilePath ws = j.jenkins.getWorkspaceFor(job);
            StepsTest.example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
            StepsTest.example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
            StepsTest.example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));
            WorkflowRun run = j.buildAndAssertSuccess(job);
            // a record and a refused verdict as a step brings them back from the agent
            io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord record = new io.jenkins.plugins.gitopsrelease
                    .buildrecord.BuildRecord("reg.example.com/hello-web@" + DIGEST, DIGEST, java.util.Map.of(
                            "io.jenkins.gitops-release.branch", "main"), java.util.List.of(new io.jenkins.plugins
                            .gitopsrelease.buildrecord.Annotation("smoke", "failed", "qa", java.time.Instant.parse(
                                    "2026-01-01T10:00:00Z"), null)), "tag-schema", java.util.List.of());
            io.jenkins.plugins.gitopsrelease.policy.PolicyResult verdict = new io.jenkins.plugins.gitopsrelease.policy
                    .PolicyResult("production", record.image(), java.util.List.of(new io.jenkins.plugins.gitopsrelease
                            .policy.PolicyResult.Rule("smoke=passed", false, "latest is smoke=failed")));
            run.getAction(GitOpsReleaseAction.class).recordFacts(io.jenkins.plugins.gitopsrelease.release.StepResult
                    .refused("promoteImage", new io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException(verdict,
                            record), verdict.refusal(), java.time.Duration.ZERO));
        });
        sessions.then(j -> {
            WorkflowRun run = j.jenkins.getItemByFullName("restart", WorkflowJob.class).getBuildByNumber(1);
            GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
            assertThat(action, notNullValue());
            assertThat(action.getRun(), sameInstance(run));
            assertThat(action.getReleaseName(), is("hello-web-20260101-9"));
            assertThat(action.getComponent(), is("hello-web"));
            assertThat(action.getOutcome(), is("SUCCESS"));
            JenkinsRule.WebClient wc = j.createWebClient();
            assertThat(wc.goTo(run.getUrl() + "gitops-release/").getWebResponse().getContentAsString(),
                    containsString("hello-web-20260101-9"));
            assertThat(wc.goTo(run.getUrl() + "api/json?tree=actions[releaseName]", "application/json").getWebResponse()
                    .getContentAsString(), containsString("\"releaseName\":\"hello-web-20260101-9\""));
            assertThat(action.getRecords().get(0).getAnnotations().get(0).getValue(), is("failed"));
            assertThat(action.getPolicies().get(0).getRules().get(0).getDetail(), is("latest is smoke=failed"));
            assertThat(wc.goTo(run.getUrl() + "gitops-release/").getWebResponse().getContentAsString(),
                    containsString("latest is smoke=failed"));
        });
    }
}
