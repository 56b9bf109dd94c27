package io.jenkins.plugins.gitopsrelease;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.github.tomakehurst.wiremock.WireMockServer;
import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.json.JSONObject;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Each step in a real Pipeline (and buildImage as a freestyle build step) against the engine's real fixtures: the
 * CNCF registry, JGit's HTTP server, GitHub's API on WireMock and the fabric8 Kubernetes mock. Every credential holds
 * the canary, which must never reach a build log.
 */
@WithJenkins
class StepsTest {
    static final String CANARY = "canary-s3cr3t-PLUGIN";
    static final String DIGEST = "sha256:" + "a".repeat(64);

    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.withAuth("stager", CANARY);

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", CANARY);

    @RegisterExtension
    static ForgeMock forge = new ForgeMock();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule j) throws Exception {
        this.j = j;
        List<Credentials> store = SystemCredentialsProvider.getInstance().getCredentials();
        store.add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry-staging", "", "stager", CANARY));
        store.add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "gitops-push", "", "bot", CANARY));
        store.add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "forge-token", "", Secret.fromString(CANARY)));
        store.add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "kube-token", "", Secret.fromString(CANARY)));
        SystemCredentialsProvider.getInstance().save();

        EnvironmentConfig development = new EnvironmentConfig("development");
        development.setRegistry(dev.host() + "/dev");
        development.setNamespace("shop-dev");
        development.setKubeServerUrl(kube.url());
        development.setKubeCredentialsId("kube-token");
        EnvironmentConfig stagingEnv = new EnvironmentConfig("staging");
        stagingEnv.setRegistry(staging.host() + "/staging");
        stagingEnv.setRegistryCredentialsId("registry-staging");
        stagingEnv.setNamespace("shop-staging");
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        config.setEnvironments(List.of(development, stagingEnv));
        config.setGitCredentialsId("gitops-push");
        config.setLabels("release");
    }

    static Path examples() {
        return Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
    }

    static FilePath example(String path) {
        return new FilePath(examples().resolve(path).toFile());
    }

    WorkflowJob pipeline(String name, String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    static String group(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        assertTrue(m.find(), "no match for " + regex + " in the log");
        return m.group(1);
    }

    @Test
    void buildImageThenPromoteImageKeepTheDigest() throws Exception {
        WorkflowJob job = pipeline("build-promote", "node {\n"
                + "  def built = buildImage image: 'hello-web:1.0', context: 'app', builder: 'jib',"
                + " insecureRegistries: '" + dev.host() + "'\n"
                + "  echo \"built=${built.image} digest=${built.digest}\"\n"
                + "  def promoted = promoteImage source: 'development', destination: 'staging',"
                + " insecureRegistries: '" + dev.host() + "," + staging.host() + "'\n"
                + "  echo \"promoted=${promoted.destination} digest=${promoted.digest} same=${promoted.digest == built.digest}\"\n"
                + "}");
        example("hello-web").copyRecursiveTo(j.jenkins.getWorkspaceFor(job).child("app"));

        WorkflowRun run = j.buildAndAssertSuccess(job);

        String log = JenkinsRule.getLog(run);
        String digest = group(log, "built=" + Pattern.quote(dev.host()) + "/dev/hello-web:1\\.0@(sha256:[0-9a-f]{64})");
        assertThat(dev.skopeoDigest("dev/hello-web:1.0"), is(digest));
        assertThat(log, containsString("promoted=" + staging.host() + "/staging/hello-web:1.0"));
        j.assertLogContains("same=true", run);
        assertThat(staging.skopeoDigest("staging/hello-web:1.0"), is(digest));
        // buildImage alone names no component: the run records the image.
        GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
        assertThat(action, notNullValue());
        assertThat(action.getDigest(), is(digest));
        j.assertLogNotContains(CANARY, run);
    }

    @Test
    void generateOnAnAgentWritesTheReleaseIntoTheCheckout() throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = pipeline("generate", "node('remote') {\n"
                + "  def gen = generateGitopsResources project: 'shop', component: 'hello-web',"
                + " image: 'reg.example.com/hello-web:1.0@" + DIGEST + "', descriptor: 'workload.yaml',"
                + " releaseName: 'hello-web-20260101-1', targetEnv: 'development', root: 'gitops'\n"
                + "  echo \"release=${gen.releaseName} environment=${gen.environment} created=${gen.created.size()}\"\n"
                + "}");
        FilePath ws = agent.getWorkspaceFor(job);
        assertThat(ws, notNullValue());
        example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));

        WorkflowRun run = j.buildAndAssertSuccess(job);

        j.assertLogContains("release=hello-web-20260101-1 environment=development", run);
        String dir = "gitops/namespaces/default/projects/shop/components/hello-web/";
        assertTrue(ws.child(dir + "releases/hello-web-20260101-1.yaml").exists());
        assertTrue(ws.child(dir + "release-bindings/hello-web-development.yaml").exists());
        assertThat(ws.child(dir + "workload.yaml").readToString(), containsString("openapi"));
        GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
        assertThat(action.getComponent(), is("hello-web"));
        assertThat(action.getProject(), is("shop"));
        assertThat(action.getReleaseName(), is("hello-web-20260101-1"));
        assertThat(action.getOutcome(), is("SUCCESS"));
    }

    @Test
    void generateFailsWithTheEnginesMessageAndRecordsTheFailure() throws Exception {
        WorkflowJob job = pipeline("generate-bad", "node {\n"
                + "  generateGitopsResources project: 'shop', component: 'hello-web', image: ''\n"
                + "}");

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("image: required", run);
        GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
        assertThat(action.getOutcome(), is("FAILED"));
        assertThat(action.report().errors().get(0).message(), is("image: required"));
    }

    @Test
    void openReleasePrWithoutForgePushesTheBranchWithTheGlobalGitCredentials() throws Exception {
        String url = git.createRepository("steps-branch", examples().resolve("gitops-repo"), "main");
        GitOpsReleaseConfiguration.get().setRepositoryUrl(url);
        WorkflowJob job = pipeline("release-branch", "node {\n"
                + "  def pr = openReleasePr project: 'shop', component: 'hello-web',"
                + " image: 'reg.example.com/hello-web:1.0@" + DIGEST + "', releaseName: 'hello-web-20260101-1',"
                + " revision: '0123456789abcdef', labels: ['hello']\n"
                + "  echo \"branch=${pr.branch} changed=${pr.changed} commit=${pr.commit}\"\n"
                + "}");

        WorkflowRun run = j.buildAndAssertSuccess(job);

        j.assertLogContains("branch=release/hello-web-20260101-1 changed=true", run);
        String commit = group(JenkinsRule.getLog(run), "commit=([0-9a-f]{40})");
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("steps-branch").toFile())) {
            assertThat(bare.resolve("refs/heads/release/hello-web-20260101-1").name(), is(commit));
        }
        ReleaseReport report = run.getAction(GitOpsReleaseAction.class).report();
        assertThat(report.pullRequest().state(), is(ReleaseReport.PullRequestState.BRANCH_PUSHED));
        assertThat(report.filesChanged().isEmpty(), is(false));
        j.assertLogNotContains(CANARY, run);
    }

    @Test
    void openReleasePrOpensTheGitHubPullRequestWithTheForgeToken() throws Exception {
        String url = git.createRepository("steps-gh", examples().resolve("gitops-repo"), "main");
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        config.setRepositoryUrl(url);
        config.setForge("github");
        config.setForgeUrl(forge.url());
        config.setForgeCredentialsId("forge-token");
        // The repository path of the clone URL (/git/steps-gh.git) is the GitHub repository git/steps-gh.
        WireMockServer s = forge.server();
        s.stubFor(get("/user").willReturn(okJson("{\"login\":\"bot\",\"id\":3,\"type\":\"User\"}")));
        s.stubFor(get("/repos/git/steps-gh").willReturn(okJson("{\"id\":1,\"node_id\":\"R_1\",\"name\":\"steps-gh\","
                + "\"full_name\":\"git/steps-gh\",\"private\":true,\"owner\":{\"login\":\"git\",\"id\":2,"
                + "\"type\":\"Organization\"},\"html_url\":\"https://github.example/git/steps-gh\",\"url\":\""
                + forge.url() + "/repos/git/steps-gh\",\"default_branch\":\"main\"}")));
        s.stubFor(get(urlPathEqualTo("/repos/git/steps-gh/pulls")).willReturn(okJson("[]")));
        s.stubFor(post("/repos/git/steps-gh/pulls").willReturn(status(201).withHeader("Content-Type",
                "application/json").withBody(pullRequestJson())));
        s.stubFor(get("/repos/git/steps-gh/issues/7").willReturn(okJson("{\"number\":7,\"state\":\"open\",\"url\":\""
                + forge.url() + "/repos/git/steps-gh/issues/7\",\"labels\":[]}")));
        s.stubFor(post("/repos/git/steps-gh/issues/7/labels").willReturn(okJson("[{\"name\":\"release\"}]")));
        WorkflowJob job = pipeline("release-pr", "node {\n"
                + "  def pr = openReleasePr project: 'shop', component: 'hello-web',"
                + " image: 'reg.example.com/hello-web:1.0@" + DIGEST + "', releaseName: 'hello-web-20260101-1',"
                + " waitMerge: false, autoMerge: false, labels: ['hello-web']\n"
                + "  echo \"prUrl=${pr.prUrl} prNumber=${pr.prNumber} prAction=${pr.prAction}\"\n"
                + "}");

        WorkflowRun run = j.buildAndAssertSuccess(job);

        j.assertLogContains("prUrl=https://github.example/git/steps-gh/pull/7 prNumber=7 prAction=CREATED", run);
        s.verify(postRequestedFor(urlEqualTo("/repos/git/steps-gh/pulls"))
                .withHeader("Authorization", containing(CANARY))
                .withRequestBody(matchingJsonPath("$.head", equalTo("release/hello-web-20260101-1")))
                .withRequestBody(matchingJsonPath("$.base", equalTo("main"))));
        // The global label and the step's label, once each.
        s.verify(postRequestedFor(urlEqualTo("/repos/git/steps-gh/issues/7/labels"))
                .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("release")))
                .withRequestBody(matchingJsonPath("$.labels[1]", equalTo("hello-web"))));
        GitOpsReleaseAction action = run.getAction(GitOpsReleaseAction.class);
        assertThat(action.getPullRequestUrl(), is("https://github.example/git/steps-gh/pull/7"));
        j.assertLogNotContains(CANARY, run);
    }

    static String pullRequestJson() {
        return "{\"id\":77,\"node_id\":\"PR_kw7\",\"number\":7,\"state\":\"open\",\"title\":\"Release hello-web\","
                + "\"html_url\":\"https://github.example/git/steps-gh/pull/7\",\"url\":\"" + forge.url()
                + "/repos/git/steps-gh/pulls/7\",\"merged\":false,\"merge_commit_sha\":null,"
                + "\"head\":{\"ref\":\"release/hello-web-20260101-1\",\"sha\":\"1111111111111111111111111111111111111111\"},"
                + "\"base\":{\"ref\":\"main\",\"sha\":\"2222222222222222222222222222222222222222\"}}";
    }

    @Test
    void watchDeploymentUsesTheEnvironmentsTokenAndFailsWithTheClustersReason() throws Exception {
        readyDeployment("shop-dev", "hello-web", "reg.example.com/hello-web:1.0");
        KubernetesClient client = kube.client();
        client.apps().deployments().inNamespace("shop-dev").resource(new DeploymentBuilder()
                .withNewMetadata().withName("stuck").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage("reg.example.com/stuck:1.0").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(0)
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"stuck-1\" has timed out progressing.").endCondition().endStatus().build())
                .createOr(x -> x.update());

        WorkflowJob ok = pipeline("watch", "node {\n"
                + "  generateGitopsResources project: 'shop', component: 'hello-web', image: 'reg.example.com/hello-web:1.0',"
                + " descriptor: 'workload.yaml', root: 'gitops'\n"
                + "  def w = watchDeployment component: 'hello-web', environment: 'development', timeout: 2,"
                + " image: 'reg.example.com/hello-web:1.0'\n"
                + "  echo \"state=${w.state} target=${w.target}\"\n"
                + "}");
        FilePath ws = j.jenkins.getWorkspaceFor(ok);
        example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));
        WorkflowRun ready = j.buildAndAssertSuccess(ok);
        j.assertLogContains("state=READY", ready);
        assertThat(group(JenkinsRule.getLog(ready), "target=([^\\r\\n]+)"), containsString("hello-web"));
        // The watch joins the report generate started: the environment shows as deployed.
        GitOpsReleaseAction action = ready.getAction(GitOpsReleaseAction.class);
        assertThat(action.report().environment("development").map(e -> e.state()).orElse(null),
                is(ReleaseReport.EnvironmentState.DEPLOYED));
        j.assertLogNotContains(CANARY, ready);

        WorkflowJob stuck = pipeline("watch-stuck", "node {\n"
                + "  watchDeployment kind: 'deployment', name: 'stuck', namespace: 'shop-dev', environment: 'development',"
                + " timeout: 2\n"
                + "}");
        WorkflowRun failed = j.buildAndAssertStatus(Result.FAILURE, stuck);
        j.assertLogContains("Deployment shop-dev/stuck exceeded its progress deadline", failed);
        j.assertLogNotContains(CANARY, failed);
    }

    /**
     * A Deployment the cluster reports as fully rolled out with {@code image}: created anew (the mock is shared by the
     * tests, and an update would bump its generation past the status's observed one).
     */
    static void readyDeployment(String namespace, String name, String image) {
        KubernetesClient client = kube.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).createOr(x -> x.update());
        client.apps().deployments().inNamespace(namespace).withName(name).delete();
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage(image).endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build()).create();
    }

    @Test
    void freestyleRunsEveryVerbWithTheSameCodePath() throws Exception {
        String url = git.createRepository("freestyle-all", examples().resolve("gitops-repo"), "main");
        GitOpsReleaseConfiguration.get().setRepositoryUrl(url);
        String image = "reg.example.com/hello-web:2.0@" + DIGEST;
        readyDeployment("shop-dev", "hello-fs", image);
        FreeStyleProject p = j.createFreeStyleProject("freestyle-all");

        BuildImageStep build = new BuildImageStep(dev.host() + "/dev/hello-all:1");
        build.setContext("app");
        build.setBuilder("jib");
        build.setInsecureRegistries(dev.host());
        PromoteImageStep promote = new PromoteImageStep();
        promote.setFrom(dev.host() + "/dev/hello-all:1");
        promote.setTo(staging.host() + "/staging/hello-all:1");
        promote.setDestinationCredentialsId("registry-staging");
        promote.setInsecureRegistries(dev.host() + "," + staging.host());
        GenerateGitopsResourcesStep generate = new GenerateGitopsResourcesStep("shop", "hello-web", image);
        generate.setDescriptor("workload.yaml");
        generate.setReleaseName("hello-web-20260101-1");
        generate.setTargetEnv("development");
        generate.setRoot("gitops");
        OpenReleasePrStep pr = new OpenReleasePrStep("shop", "hello-web", image);
        pr.setReleaseName("hello-web-20260101-2");
        WatchDeploymentStep watch = new WatchDeploymentStep();
        watch.setKind("deployment");
        watch.setName("hello-fs");
        watch.setNamespace("shop-dev");
        watch.setEnvironment("development");
        watch.setImage(image);
        watch.setTimeout(10);
        p.getBuildersList().addAll(List.of(new BuildImageBuilder(build), new PromoteImageBuilder(promote),
                new GenerateGitopsResourcesBuilder(generate), new OpenReleasePrBuilder(pr), new WatchDeploymentBuilder(watch)));
        FilePath ws = j.jenkins.getWorkspaceFor(p);
        example("hello-web").copyRecursiveTo(ws.child("app"));
        example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        String digest = dev.skopeoDigest("dev/hello-all:1");
        assertThat(staging.skopeoDigest("staging/hello-all:1"), is(digest));
        String dir = "gitops/namespaces/default/projects/shop/components/hello-web/";
        assertTrue(ws.child(dir + "releases/hello-web-20260101-1.yaml").exists());
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir("freestyle-all").toFile())) {
            assertThat(bare.resolve("refs/heads/release/hello-web-20260101-2"), notNullValue());
        }
        ReleaseReport report = b.getAction(GitOpsReleaseAction.class).report();
        assertThat(report.component(), is("hello-web"));
        assertThat(report.environment("development").map(e -> e.state()).orElse(null),
                is(ReleaseReport.EnvironmentState.DEPLOYED));
        j.assertLogNotContains(CANARY, b);
    }

    @Test
    void theRunsPagesAndApiShowTheRelease() throws Exception {
        String image = "reg.example.com/hello-web:3.0@" + DIGEST;
        readyDeployment("shop-dev", "hello-web", image);
        WorkflowJob job = pipeline("pages", "node {\n"
                + "  generateGitopsResources project: 'shop', component: 'hello-web', image: '" + image + "',"
                + " descriptor: 'workload.yaml', root: 'gitops', releaseName: 'hello-web-20260101-3', targetEnv: 'development'\n"
                + "  watchDeployment component: 'hello-web', environment: 'development', timeout: 10, image: '" + image + "'\n"
                + "}");
        FilePath ws = j.jenkins.getWorkspaceFor(job);
        example("gitops-repo").copyRecursiveTo(ws.child("gitops"));
        example("hello-web/workload.yaml").copyTo(ws.child("workload.yaml"));
        example("hello-web/docs/openapi.yaml").copyTo(ws.child("docs/openapi.yaml"));
        WorkflowRun run = j.buildAndAssertSuccess(job);

        JenkinsRule.WebClient wc = j.createWebClient();
        String page = wc.goTo(run.getUrl() + "gitops-release/").getWebResponse().getContentAsString();
        assertThat(page, containsString("hello-web-20260101-3"));
        assertThat(page, containsString(DIGEST));
        String deployments = wc.goTo(job.getUrl() + "gitops-deployments/").getWebResponse().getContentAsString();
        assertThat(deployments, containsString("development"));
        assertThat(deployments, containsString("hello-web-20260101-3"));
        assertThat(deployments, containsString(run.getUrl() + "gitops-release/"));

        // What Blue Ocean and other tools read: the run's actions in /api/json, and the job action's own API.
        JSONObject api = wc.getJSON(run.getUrl() + "api/json?depth=1").getJSONObject();
        JSONObject action = null;
        for (Object o : api.getJSONArray("actions")) {
            if (o instanceof JSONObject a && "io.jenkins.plugins.gitopsrelease.GitOpsReleaseAction".equals(a.optString("_class"))) {
                action = a;
            }
        }
        assertThat(action, notNullValue());
        assertThat(action.getString("component"), is("hello-web"));
        assertThat(action.getString("project"), is("shop"));
        assertThat(action.getString("releaseName"), is("hello-web-20260101-3"));
        assertThat(action.getString("outcome"), is("SUCCESS"));
        assertThat(action.getJSONArray("environments").getJSONObject(0).getString("state"), is("DEPLOYED"));
        JSONObject jobApi = wc.getJSON(job.getUrl() + "gitops-deployments/api/json").getJSONObject();
        assertThat(jobApi.getJSONArray("environments").getJSONObject(0).getString("releaseName"), is("hello-web-20260101-3"));
        assertThat(jobApi.getJSONArray("environments").getJSONObject(0).getString("runUrl"), is(run.getUrl()));
    }

    @Test
    void watchDeploymentWithATokenButNoServerSaysWhatToConfigure() throws Exception {
        WorkflowJob job = pipeline("watch-no-server", "node {\n"
                + "  watchDeployment kind: 'deployment', name: 'x', namespace: 'shop-dev', kubeCredentialsId: 'kube-token'\n"
                + "}");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("kubeCredentialsId: 'kube-token' is a token (secret text)", run);
        j.assertLogNotContains(CANARY, run);
    }

    @Test
    void missingCredentialsFailTheBuildNamingTheField() throws Exception {
        WorkflowJob job = pipeline("no-creds", "node {\n"
                + "  promoteImage from: 'reg.example.com/a:1', to: 'reg.example.com/b:1', sourceCredentialsId: 'nope'\n"
                + "}");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("sourceCredentialsId: no username with password credentials with id 'nope'", run);
    }

    @Test
    void freestyleBuildImageRecordsTheImage() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("freestyle-build");
        BuildImageStep step = new BuildImageStep(dev.host() + "/dev/hello-fs:${BUILD_NUMBER}");
        step.setContext("app");
        step.setBuilder("jib");
        step.setInsecureRegistries(dev.host());
        p.getBuildersList().add(new BuildImageBuilder(step));
        example("hello-web").copyRecursiveTo(j.jenkins.getWorkspaceFor(p).child("app"));

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        GitOpsReleaseAction action = b.getAction(GitOpsReleaseAction.class);
        assertThat(action.getDigest(), matchesPattern("sha256:[0-9a-f]{64}"));
        // ${BUILD_NUMBER} was expanded: the first build pushed tag 1.
        assertThat(dev.skopeoDigest("dev/hello-fs:1"), is(action.getDigest()));
        assertThat(action.getComponent(), nullValue());
    }
}
