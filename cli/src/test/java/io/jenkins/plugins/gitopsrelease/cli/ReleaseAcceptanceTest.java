package io.jenkins.plugins.gitopsrelease.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import io.jenkins.plugins.gitopsrelease.report.ReportJson;
import io.jenkins.plugins.gitopsrelease.testinfra.BaseImages;
import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole cycle through {@code gitops-release release}, against real parts: source → image (jib, or dockerfile with
 * buildah) → dev registry (basic auth) → OpenChoreo resources → release branch on the Git HTTP server (basic auth) →
 * PR on a WireMock GitHub → merge (the "reviewer" below fast-forwards main and the PR turns merged) → rollout of the
 * new digest on the fabric8 mock cluster → watch READY → the digest copied to the staging registry (TLS + auth) →
 * the release bound to staging in a second PR. Then a failure injected at each stage. Fixtures are shared by the
 * class; each test gets its own GitOps repository, namespace and image tag.
 */
class ReleaseAcceptanceTest {
    static final String DEV_PASSWORD = "canary-s3cr3t-DEV-1a";
    static final String STAGING_PASSWORD = "canary-s3cr3t-STG-2b";
    static final String GIT_PASSWORD = "canary-s3cr3t-GIT-3c";
    static final String FORGE_TOKEN = "canary-s3cr3t-GH-4d";
    static final List<String> CANARIES = List.of(DEV_PASSWORD, STAGING_PASSWORD, GIT_PASSWORD, FORGE_TOKEN);

    @RegisterExtension
    static RegistryFixture dev = RegistryFixture.withAuth("dev-bot", DEV_PASSWORD);

    @RegisterExtension
    static RegistryFixture staging = RegistryFixture.withTlsAndAuth("stager", STAGING_PASSWORD);

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", GIT_PASSWORD);

    @RegisterExtension
    static ForgeMock forge = new ForgeMock();

    @RegisterExtension
    static KubeMockFixture kube = new KubeMockFixture();

    static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path tmp;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final List<CompletableFuture<?>> background = new ArrayList<>();

    int n;
    String repoName;
    String devNamespace;
    String rev;
    Path app;

    @AfterEach
    void stopBackground() {
        background.forEach(f -> f.cancel(true));
    }

    // ---------------------------------------------------------------- the happy path

    @ParameterizedTest
    @ValueSource(strings = {"jib", "dockerfile"})
    void releasesBuildsWatchesPromotesAndBindsInStaging(String builder) throws Exception {
        setUp();
        stubGitHub();
        reviewerMergesThenClusterRollsOut(false);

        int code = release(builder, "--wait-merge", "--merge-poll", "1s", "--watch", "--promote-to", "staging");

        assertThat(code).as(err.toString()).isZero();
        // The image: one digest in dev and staging, as build_result.json recorded it.
        String image = builtImage();
        String digest = image.substring(image.indexOf('@') + 1);
        String tag = rev.substring(0, 8);
        assertThat(image).isEqualTo(dev.host() + "/dev/hello-web:" + tag + "@" + digest);
        assertThat(dev.skopeoDigest("dev/hello-web:" + tag)).isEqualTo(digest);
        assertThat(staging.skopeoDigest("staging/hello-web:" + tag)).isEqualTo(digest);

        // The GitOps repository: the release branch holds the release for development, main was "merged", the
        // promotion branch binds the same release to staging.
        String dir = "namespaces/default/projects/shop/components/hello-web/";
        ReleaseReport report = ReportJson.read(tmp.resolve("report.json"));
        String releaseName = report.releaseName();
        assertThat(releaseName).startsWith("hello-web-");
        try (Repository bare = bare()) {
            String branch = "refs/heads/release/" + releaseName;
            assertThat(read(bare, branch, dir + "releases/" + releaseName + ".yaml")).contains(digest);
            assertThat(read(bare, branch, dir + "workload.yaml")).contains(image).contains("openapi");
            assertThat(read(bare, branch, dir + "release-bindings/hello-web-development.yaml"))
                    .contains("releaseName: " + releaseName).contains("environment: development");
            String promotion = "refs/heads/release/" + releaseName + "-staging";
            assertThat(read(bare, promotion, dir + "release-bindings/hello-web-staging.yaml"))
                    .contains("releaseName: " + releaseName).contains("environment: staging");
            assertThat(changedFiles(bare, promotion)).containsExactly(dir + "release-bindings/hello-web-staging.yaml");
        }

        // The forge: the release PR (waited for until merged), then the promotion PR.
        WireMockServer s = forge.server();
        s.verify(postRequestedFor(urlEqualTo(repoApi() + "/pulls"))
                .withHeader("Authorization", containing(FORGE_TOKEN))
                .withRequestBody(matchingJsonPath("$.head", equalTo("release/" + releaseName)))
                .withRequestBody(matchingJsonPath("$.base", equalTo("main")))
                .withRequestBody(matchingJsonPath("$.title", equalTo("Release hello-web (" + tag + ")")))
                .withRequestBody(matchingJsonPath("$.body", containing("**Target environment**: development"))));
        s.verify(postRequestedFor(urlEqualTo(repoApi() + "/pulls"))
                .withRequestBody(matchingJsonPath("$.head", equalTo("release/" + releaseName + "-staging")))
                .withRequestBody(matchingJsonPath("$.body", containing("**Target environment**: staging"))));
        s.verify(2, postRequestedFor(urlEqualTo(repoApi() + "/pulls")));
        s.verify(getRequestedFor(urlEqualTo(repoApi() + "/pulls/7")));

        // The report: every stage timed, facts from every step, SUCCESS.
        assertThat(report.outcome()).isEqualTo(ReleaseReport.Outcome.SUCCESS);
        assertThat(report.errors()).isEmpty();
        assertThat(report.image().digest()).isEqualTo(digest);
        assertThat(report.imageBuilder()).isEqualTo(builder);
        assertThat(report.pullRequest().number()).isEqualTo(7);
        assertThat(report.pullRequest().state()).isEqualTo(ReleaseReport.PullRequestState.MERGED);
        assertThat(report.pullRequest().mergeSha()).matches("[0-9a-f]{40}");
        assertThat(report.environment("development")).hasValueSatisfying(e -> {
            assertThat(e.state()).isEqualTo(ReleaseReport.EnvironmentState.DEPLOYED);
            assertThat(e.digest()).isEqualTo(digest);
        });
        assertThat(report.environment("staging")).hasValueSatisfying(e ->
                assertThat(e.state()).isEqualTo(ReleaseReport.EnvironmentState.PROMOTED));
        assertThat(report.promotions()).singleElement().satisfies(p -> {
            assertThat(p.digest()).isEqualTo(digest);
            assertThat(p.destinationRef()).startsWith(staging.host() + "/staging/hello-web:" + tag);
        });
        List<String> stages = report.stages().stream().map(ReleaseReport.StageTiming::stage).toList();
        assertThat(stages).containsSubsequence("build", "generate", "push branch", "PR", "merge", "watch", "promote",
                "promotion PR");
        if (builder.equals("dockerfile")) {
            assertThat(stages).containsSubsequence("build", "push", "generate");
        }
        assertThat(report.stages()).allSatisfy(st -> assertThat(st.outcome()).isEqualTo(ReleaseReport.StageOutcome.OK));
        assertThat(report.filesChanged()).extracting(ReleaseReport.FileChanged::path)
                .contains(dir + "releases/" + releaseName + ".yaml");
        assertThat(Files.readString(tmp.resolve("report.html"))).contains(digest).contains("hello-web");
        assertThat(out.toString()).contains("report").contains(tmp.resolve("report.html").toString())
                .contains("promotion PR");
        assertNoSecrets();
    }

    // ---------------------------------------------------------------- failures, one per stage

    @Test
    void buildFailureLeavesNoTagNoBranchAndAFailedReport() throws Exception {
        setUp();
        stubGitHub();
        String base = BaseImages.busybox(dev);
        Files.writeString(app.resolve("Dockerfile"), "FROM " + base + "\nCOPY site/ /srv/\nRUN false\n");

        int code = release("dockerfile");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("error:").contains("release FAILED");
        assertFailed("build");
        assertThat(tags(dev, "dev/hello-web")).doesNotContain(rev.substring(0, 8));
        assertThat(releaseBranches()).isEmpty();
        assertThat(forge.server().getAllServeEvents()).isEmpty();
        assertNoSecrets();
    }

    @Test
    void rejectedPushLeavesNoTagNoBranch() throws Exception {
        setUp();
        stubGitHub();
        Files.writeString(tmp.resolve("dev-password"), "canary-wrong-password\n");

        int code = release("jib");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("refused the credentials");
        assertFailed("push");
        assertThat(tags(dev, "dev/hello-web")).doesNotContain(rev.substring(0, 8));
        assertThat(releaseBranches()).isEmpty();
        assertNoSecrets();
    }

    @Test
    void prApiErrorTakesTheReleaseBranchBack() throws Exception {
        setUp();
        stubGitHub();
        forge.server().stubFor(post(repoApi() + "/pulls").atPriority(1).willReturn(status(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Server Error\"}")));

        int code = release("jib", "--wait-merge", "--merge-poll", "1s", "--watch");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("GitHub").contains("500");
        ReleaseReport report = assertFailed("PR");
        assertThat(report.notes()).anySatisfy(note -> assertThat(note).contains("was deleted again"));
        assertThat(releaseBranches()).isEmpty();
        assertThat(report.stages()).extracting(ReleaseReport.StageTiming::stage).doesNotContain("watch", "merge");
        assertNoSecrets();
    }

    @Test
    void rolloutPastItsDeadlineFailsTheWatchAndNothingIsPromoted() throws Exception {
        setUp();
        stubGitHub();
        reviewerMergesThenClusterRollsOut(true);

        int code = release("jib", "--wait-merge", "--merge-poll", "1s", "--watch", "--promote-to", "staging");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("exceeded its progress deadline");
        ReleaseReport report = assertFailed("watch");
        assertThat(report.environment("development")).hasValueSatisfying(e ->
                assertThat(e.state()).isEqualTo(ReleaseReport.EnvironmentState.FAILED));
        assertThat(report.promotions()).isEmpty();
        assertThat(tags(staging, "staging/hello-web")).doesNotContain(rev.substring(0, 8));
        assertNoSecrets();
    }

    @Test
    void refusedPromotionGateCopiesNothingAndOpensNoSecondPr() throws Exception {
        setUp();
        stubGitHub();
        reviewerMergesThenClusterRollsOut(false);

        int code = release("jib", "--wait-merge", "--merge-poll", "1s", "--watch", "--promote-to", "staging",
                "--require-annotation", "org.example.tested=true");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("promotion refused by gate").contains("org.example.tested");
        assertFailed("promote");
        assertThat(tags(staging, "staging/hello-web")).doesNotContain(rev.substring(0, 8));
        assertThat(releaseBranches()).noneMatch(b -> b.endsWith("-staging"));
        forge.server().verify(1, postRequestedFor(urlEqualTo(repoApi() + "/pulls")));
        assertNoSecrets();
    }

    // ---------------------------------------------------------------- helpers

    void setUp() throws Exception {
        n = N.incrementAndGet();
        repoName = "acceptance" + n;
        devNamespace = "dev-" + n;
        rev = String.format("%08x", 0xa0c00000 + n) + "0123456789abcdef0123456789abcdef";
        Path examples = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        git.createRepository(repoName, examples.resolve("gitops-repo"), "main");
        app = tmp.resolve("app");
        copy(examples.resolve("hello-web"), app);
        Files.writeString(tmp.resolve("dev-password"), DEV_PASSWORD + "\n");
        Files.writeString(tmp.resolve("staging-password"), STAGING_PASSWORD + "\n");
        Files.writeString(tmp.resolve("git-password"), GIT_PASSWORD + "\n");
        Files.writeString(tmp.resolve("forge-token"), FORGE_TOKEN + "\n");
        Files.writeString(tmp.resolve("gitops-release.yaml"), String.join("\n",
                "repositoryUrl: " + git.url(repoName),
                "baseBranch: main",
                "forge: github",
                "forgeUrl: " + forge.url(),
                "environments:",
                "  - name: development",
                "    registry: " + dev.host() + "/dev",
                "    kubeServerUrl: " + kube.url(),
                "    namespace: " + devNamespace,
                "  - name: staging",
                "    registry: " + staging.host() + "/staging",
                "    namespace: staging-" + n,
                ""));
        // What the cluster runs before the release: the previous image, rolled out.
        kube.client().apps().deployments().inNamespace(devNamespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName("hello-web").withNamespace(devNamespace).withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "hello-web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "hello-web").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage(dev.host() + "/dev/hello-web:previous").endContainer()
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1)
                .withReadyReplicas(1).withAvailableReplicas(1).endStatus().build()).create();
    }

    int release(String builder, String... extra) {
        List<String> args = new ArrayList<>(List.of("release", "--config", tmp.resolve("gitops-release.yaml").toString(),
                "--project", "shop", "--component", "hello-web", "--context", app.toString(), "--builder", builder,
                "--revision", rev, "--target-env", "development", "--insecure-registry", dev.host(),
                "--build-result", tmp.resolve("build_result.json").toString(),
                "--report", tmp.resolve("report.html").toString(),
                "--registry-username", "dev-bot", "--registry-password-file", tmp.resolve("dev-password").toString(),
                "--git-username", "bot", "--git-password-file", tmp.resolve("git-password").toString(),
                "--forge-user", "bot", "--forge-token-file", tmp.resolve("forge-token").toString(),
                "--promote-username", "stager", "--promote-password-file", tmp.resolve("staging-password").toString(),
                "--promote-ca-file", staging.caCertificate().toString()));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    String repoApi() {
        return "/repos/git/" + repoName;
    }

    /** GitHub's API as the forge module calls it: the repository, PR lookup, PR creation, the PR while open. */
    void stubGitHub() {
        WireMockServer s = forge.server();
        s.stubFor(get(repoApi()).willReturn(okJson("{\"id\":1,\"node_id\":\"R_1\",\"name\":\"" + repoName + "\","
                + "\"full_name\":\"git/" + repoName + "\",\"owner\":{\"login\":\"git\",\"id\":2,\"type\":\"Organization\"},"
                + "\"html_url\":\"https://github.example/git/" + repoName + "\",\"url\":\"" + forge.url() + repoApi()
                + "\",\"default_branch\":\"main\"}")));
        s.stubFor(get(urlPathEqualTo(repoApi() + "/pulls")).willReturn(okJson("[]")));
        s.stubFor(post(repoApi() + "/pulls").atPriority(5).willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(pr(7, "open", null))));
        s.stubFor(post(repoApi() + "/pulls").atPriority(3)
                .withRequestBody(matchingJsonPath("$.head", containing("-staging")))
                .willReturn(status(201).withHeader("Content-Type", "application/json").withBody(pr(8, "open", null))));
        s.stubFor(get(repoApi() + "/pulls/7").atPriority(5).willReturn(okJson(pr(7, "open", null))));
    }

    String pr(int number, String state, String mergeSha) {
        return "{\"id\":" + (70 + number) + ",\"node_id\":\"PR_" + number + "\",\"number\":" + number + ",\"state\":\""
                + state + "\",\"title\":\"Release hello-web\",\"html_url\":\"https://github.example/git/" + repoName
                + "/pull/" + number + "\",\"url\":\"" + forge.url() + repoApi() + "/pulls/" + number + "\",\"merged\":"
                + (mergeSha != null) + ",\"merge_commit_sha\":" + (mergeSha == null ? "null" : "\"" + mergeSha + "\"")
                + ",\"head\":{\"ref\":\"release/x\",\"sha\":\"1111111111111111111111111111111111111111\"},"
                + "\"base\":{\"ref\":\"main\",\"sha\":\"2222222222222222222222222222222222222222\"}}";
    }

    /**
     * The people and machines around the tool: once the release branch is pushed, a reviewer merges it (main is
     * fast-forwarded in the bare repository and the PR turns merged with that commit), then the cluster rolls the
     * Deployment out to the new image — or misses its progress deadline.
     */
    void reviewerMergesThenClusterRollsOut(boolean deadlineExceeded) {
        background.add(CompletableFuture.runAsync(() -> {
            try {
                String merged = awaitReleaseBranchAndMerge();
                forge.server().stubFor(get(repoApi() + "/pulls/7").atPriority(1)
                        .willReturn(okJson(pr(7, "closed", merged))));
                String image = builtImage();
                Resource<Deployment> d = kube.client().apps().deployments().inNamespace(devNamespace)
                        .withName("hello-web");
                d.edit(x -> {
                    x.getMetadata().setGeneration(2L);
                    x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
                    return x;
                });
                DeploymentStatusBuilder st = new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(1);
                if (deadlineExceeded) {
                    st.withUpdatedReplicas(0).withReadyReplicas(1).withAvailableReplicas(1).addNewCondition()
                            .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                            .withMessage("ReplicaSet \"hello-web-2\" has timed out progressing.").endCondition();
                } else {
                    st.withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1);
                }
                d.editStatus(x -> {
                    x.setStatus(st.build());
                    return x;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    String awaitReleaseBranchAndMerge() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(50).toNanos();
        while (System.nanoTime() < until) {
            try (Repository bare = bare()) {
                for (Ref r : bare.getRefDatabase().getRefsByPrefix("refs/heads/release/")) {
                    RefUpdate u = bare.updateRef("refs/heads/main");
                    u.setNewObjectId(r.getObjectId());
                    assertThat(u.update()).isIn(RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NEW);
                    return r.getObjectId().name();
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no release branch was pushed");
    }

    String builtImage() {
        try {
            JsonNode json = Output.json().readTree(tmp.resolve("build_result.json").toFile());
            return json.get("builds").get(0).get("tag").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Repository bare() throws java.io.IOException {
        return FileRepositoryBuilder.create(git.repositoryDir(repoName).toFile());
    }

    List<String> releaseBranches() throws Exception {
        try (Repository bare = bare()) {
            return bare.getRefDatabase().getRefsByPrefix("refs/heads/release/").stream().map(Ref::getName).toList();
        }
    }

    static String read(Repository repo, String ref, String path) throws Exception {
        ObjectId id = repo.resolve(ref);
        assertThat(id).as(ref).isNotNull();
        try (RevWalk rw = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, path, rw.parseCommit(id).getTree())) {
            assertThat(tw).as(path + " in " + ref).isNotNull();
            return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> changedFiles(Repository repo, String ref) throws Exception {
        try (RevWalk rw = new RevWalk(repo)) {
            RevCommit c = rw.parseCommit(repo.resolve(ref));
            RevCommit parent = rw.parseCommit(c.getParent(0));
            try (var df = new org.eclipse.jgit.diff.DiffFormatter(java.io.OutputStream.nullOutputStream())) {
                df.setRepository(repo);
                return df.scan(parent.getTree(), c.getTree()).stream().map(e -> e.getNewPath()).toList();
            }
        }
    }

    /** Tags of a repository, straight from the registry's API (empty when the repository does not exist). */
    static List<String> tags(RegistryFixture registry, String repository) throws Exception {
        HttpResponse<String> r = registry.httpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.baseUrl() + "/v2/" + repository + "/tags/list"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (registry.user() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return List.of();
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode tags = Output.json().readTree(r.body()).get("tags");
        List<String> out = new ArrayList<>();
        if (tags != null && tags.isArray()) {
            tags.forEach(t -> out.add(t.asText()));
        }
        return out;
    }

    /** The report exists in both formats, is FAILED, and names the stage that failed. */
    ReleaseReport assertFailed(String stage) throws Exception {
        ReleaseReport report = ReportJson.read(tmp.resolve("report.json"));
        assertThat(report.outcome()).isEqualTo(ReleaseReport.Outcome.FAILED);
        assertThat(report.errors()).as(report.errors().toString()).singleElement()
                .satisfies(e -> assertThat(e.stage()).isEqualTo(stage));
        assertThat(report.stages()).filteredOn(s -> s.outcome() == ReleaseReport.StageOutcome.FAILED)
                .extracting(ReleaseReport.StageTiming::stage).containsExactly(stage);
        assertThat(Files.readString(tmp.resolve("report.html"))).contains(stage);
        assertThat(err.toString()).contains(tmp.resolve("report.html").toString());
        return report;
    }

    void assertNoSecrets() throws Exception {
        String everything = out + "\n" + err + "\n" + Files.readString(tmp.resolve("report.json")) + "\n"
                + Files.readString(tmp.resolve("report.html"))
                + (Files.exists(tmp.resolve("build_result.json")) ? Files.readString(tmp.resolve("build_result.json")) : "");
        for (String canary : CANARIES) {
            assertThat(everything).doesNotContain(canary);
        }
        assertThat(everything).doesNotContain("canary-wrong-password");
    }

    static void copy(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        }
    }
}
