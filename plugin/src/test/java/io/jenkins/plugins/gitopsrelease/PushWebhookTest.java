package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Job;
import hudson.model.Run;
import hudson.tasks.Shell;
import hudson.util.Secret;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The webhook endpoint over real HTTP: a signed push schedules exactly the jobs of the touched components with the
 * push cause and GITOPS_COMMIT/GITOPS_BRANCH; forged, malformed, oversized and repeated deliveries schedule nothing;
 * the crumb exemption covers the webhook only.
 */
@WithJenkins
class PushWebhookTest {
    static final String GITHUB_SECRET = "canary-gh-webhook-5e1d";
    static final String GITLAB_SECRET = "canary-gl-webhook-77ac";

    @TempDir
    Path dir;
    JenkinsRule r;
    HttpClient http = HttpClient.newHttpClient();
    FreeStyleProject frontend;
    WorkflowJob orders;
    FreeStyleProject payments;

    @BeforeEach
    void setUp(JenkinsRule r) throws Exception {
        this.r = r;
        Path work = WebhookFixtures.shop(Files.createDirectories(dir.resolve("gitops")));
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("components").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .call();
        }
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        config.setRepositoryUrl(work.resolve(".git").toUri().toString());
        config.setBaseBranch("main");
        config.setGithubWebhookCredentialsId("gh-hook");
        config.setGitlabWebhookCredentialsId("gl-hook");
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "gh-hook", "", Secret.fromString(GITHUB_SECRET)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "gl-hook", "", Secret.fromString(GITLAB_SECRET)));
        SystemCredentialsProvider.getInstance().save();

        frontend = r.createFreeStyleProject("frontend-build");
        frontend.addTrigger(new GitOpsReleasePushTrigger("frontend", "shop"));
        frontend.getBuildersList().add(new Shell("echo \"commit=$GITOPS_COMMIT branch=$GITOPS_BRANCH\""));
        orders = r.createProject(WorkflowJob.class, "orders-pipeline");
        orders.addProperty(new PipelineTriggersJobProperty(List.of(new GitOpsReleasePushTrigger("orders", "shop"))));
        orders.setDefinition(new CpsFlowDefinition(
                "echo \"commit=${env.GITOPS_COMMIT} branch=${env.GITOPS_BRANCH}\"", true));
        payments = r.createFreeStyleProject("payments-build");
        payments.addTrigger(new GitOpsReleasePushTrigger("payments", "shop"));
    }

    private HttpResponse<String> post(String provider, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.getURL() + "gitops-release-webhook/" + provider))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("User-Agent") && !k.equalsIgnoreCase("Content-Length")) {
                b.header(k, v);
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] shopPush(String... paths) {
        return Payloads.bytes(Payloads.github("acme/shop", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                List.of(Commit.modified(paths))));
    }

    private static int builds(Job<?, ?> job) {
        return job.getBuilds().size();
    }

    @Test
    void signedPushSchedulesTheTouchedComponentsJobsWithThePushCause() throws Exception {
        byte[] body = shopPush("apps/frontend/src/App.tsx", "apps/orders/main.go", "docs/readme.md");
        HttpResponse<String> rsp = post("github", Payloads.githubHeaders("push", GITHUB_SECRET, body), body);
        assertThat(rsp.body(), rsp.statusCode(), is(202));
        JsonNode scheduled = new ObjectMapper().readTree(rsp.body());
        List<String> jobs = new ArrayList<>();
        scheduled.forEach(n -> jobs.add(n.get("job").asText()));
        assertThat(jobs, containsInAnyOrder("frontend-build", "orders-pipeline"));
        r.waitUntilNoActivity();

        FreeStyleBuild fb = frontend.getLastBuild();
        assertThat(fb, notNullValue());
        r.assertBuildStatusSuccess(fb);
        r.assertLogContains("commit=" + Payloads.AFTER + " branch=main", fb);
        GitOpsPushCause cause = fb.getCause(GitOpsPushCause.class);
        assertThat(cause, notNullValue());
        assertThat(cause.getProvider(), is("github"));
        assertThat(cause.getRepository(), is("acme/shop"));
        assertThat(cause.getBranch(), is("main"));
        assertThat(cause.getCommit(), is(Payloads.AFTER));
        assertThat(cause.getPaths(), containsInAnyOrder("apps/frontend/src/App.tsx"));
        assertThat(cause.getShortDescription(), containsString("apps/frontend/src/App.tsx"));
        // The build page shows the cause with the commit linked.
        String page = r.createWebClient().getPage(fb).getWebResponse().getContentAsString();
        assertThat(page, containsString("https://github.com/acme/shop/commit/" + Payloads.AFTER));
        assertThat(page, containsString("apps/frontend/src/App.tsx"));

        WorkflowRun ob = orders.getLastBuild();
        r.assertBuildStatusSuccess(ob);
        r.assertLogContains("commit=" + Payloads.AFTER + " branch=main", ob);
        assertThat(ob.getCause(GitOpsPushCause.class).getPaths(), containsInAnyOrder("apps/orders/main.go"));
        assertThat(builds(payments), is(0));

        // A run that also records a release links back to the push.
        GitOpsReleaseAction release = GitOpsReleaseAction.of(fb);
        assertThat(release.getPushCommitUrl(), is("https://github.com/acme/shop/commit/" + Payloads.AFTER));
        assertThat(r.createWebClient().getPage(fb).getWebResponse().getContentAsString(),
                containsString("Started by push"));

        // GitHub redelivers the same delivery id: acknowledged, nothing scheduled again.
        HttpResponse<String> again = post("github", Payloads.githubHeaders("push", GITHUB_SECRET, body), body);
        assertThat(again.statusCode(), is(200));
        r.waitUntilNoActivity();
        assertThat(builds(frontend), is(1));
        assertThat(builds(orders), is(1));
        for (Run<?, ?> run : List.<Run<?, ?>>of(fb, ob)) {
            r.assertLogNotContains(GITHUB_SECRET, run);
        }
    }

    @Test
    void gitlabPushWithTheTokenSchedulesPayments() throws Exception {
        byte[] body = Payloads.bytes(Payloads.gitlab("acme/shop", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                List.of(Commit.modified("services/payments/pom.xml")), 1));
        // The shop components name the GitHub URL; a GitLab push of the same path is another repository.
        HttpResponse<String> rsp = post("gitlab", Payloads.gitlabHeaders("Push Hook", GITLAB_SECRET), body);
        assertThat(rsp.statusCode(), is(202));
        assertThat(new ObjectMapper().readTree(rsp.body()).size(), is(0));
        HttpResponse<String> forged = post("gitlab", Payloads.gitlabHeaders("Push Hook", GITHUB_SECRET), body);
        assertThat(forged.statusCode(), is(403));
        r.waitUntilNoActivity();
        assertThat(builds(payments), is(0));
    }

    @Test
    void forgedMissingMalformedAndOversizedDeliveriesScheduleNothing() throws Exception {
        byte[] body = shopPush("apps/frontend/a", "apps/orders/b", "services/payments/c");
        HttpResponse<String> forged = post("github", Payloads.githubHeaders("push", "not-the-secret", body), body);
        assertThat(forged.statusCode(), is(403));
        assertThat(forged.body(), is(emptyString()));

        Map<String, String> unsigned = new java.util.HashMap<>(Payloads.githubHeaders("push", GITHUB_SECRET, body));
        unsigned.remove("X-Hub-Signature-256");
        assertThat(post("github", unsigned, body).statusCode(), is(403));

        byte[] garbage = "{\"ref\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> malformed = post("github", Payloads.githubHeaders("push", GITHUB_SECRET, garbage),
                garbage);
        assertThat(malformed.statusCode(), is(400));
        assertThat(malformed.body(), not(containsString(GITHUB_SECRET)));

        byte[] huge = new byte[1024 * 1024 + 10];
        assertThat(post("bitbucket", Payloads.bitbucketHeaders("repo:push", GITHUB_SECRET, huge), huge).statusCode(),
                is(413));

        // No Bitbucket secret is configured: every Bitbucket delivery is refused.
        byte[] bb = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", Payloads.BEFORE,
                Payloads.AFTER));
        assertThat(post("bitbucket", Payloads.bitbucketHeaders("repo:push", GITHUB_SECRET, bb), bb).statusCode(),
                is(403));

        byte[] ping = "{\"zen\":\"Design for failure.\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(post("github", Payloads.githubHeaders("ping", GITHUB_SECRET, ping), ping).statusCode(), is(200));

        r.waitUntilNoActivity();
        assertThat(r.jenkins.getQueue().getItems().length, is(0));
        assertThat(builds(frontend) + builds(orders) + builds(payments), is(0));
    }

    @Test
    void crumbExemptionCoversTheWebhookOnly() throws Exception {
        assertThat(r.jenkins.getCrumbIssuer(), notNullValue());
        HttpResponse<String> build = http.send(HttpRequest.newBuilder(URI.create(r.getURL() + "job/frontend-build/build"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(build.statusCode(), is(403));
        assertThat(build.body(), containsString("No valid crumb"));
        r.waitUntilNoActivity();
        assertThat(builds(frontend), is(0));
        // GET is not a delivery.
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(r.getURL()
                + "gitops-release-webhook/github")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode(), not(is(202)));
        assertThat(get.statusCode(), not(is(200)));
    }

    @Test
    void triggerConfigRoundTrip() throws Exception {
        // A job without the shell step: its CodeMirror editor does not load in HtmlUnit here.
        FreeStyleProject p = r.createFreeStyleProject("round-trip");
        p.addTrigger(new GitOpsReleasePushTrigger("frontend", "shop"));
        r.configRoundtrip(p);
        GitOpsReleasePushTrigger t = p.getTrigger(GitOpsReleasePushTrigger.class);
        r.assertEqualDataBoundBeans(new GitOpsReleasePushTrigger("frontend", "shop"), t);
        assertThat(new GitOpsReleasePushTrigger(" ", "shop").matches("shop", null), is(false));
        assertThat(GitOpsPushAction.safeUrl("javascript:alert(1)"), nullValue());
        assertThat(frontend.getBuilds(), empty());
    }
}
