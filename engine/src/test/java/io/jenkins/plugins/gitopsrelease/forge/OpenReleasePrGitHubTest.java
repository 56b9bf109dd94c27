package io.jenkins.plugins.gitopsrelease.forge;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.git.CommitRelease;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.git.ReleaseEdit;
import io.jenkins.plugins.gitopsrelease.git.ReleaseInfo;
import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole release phase: real Git over HTTP, GitHub's API on WireMock. */
class OpenReleasePrGitHubTest {
    static final String TOKEN = "canary-gh-t0ken-XYZ";

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", "canary-git-pass");

    @RegisterExtension
    static ForgeMock forge = new ForgeMock();

    static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path tmp;

    String repoUrl;
    List<Duration> slept = new ArrayList<>();

    ReleaseInfo release = new ReleaseInfo("shop", "api", "reg/api:1", "89abcdef0123");

    OpenReleasePr open(String image) throws Exception {
        if (repoUrl == null) {
            repoUrl = git.createRepository("gh" + N.incrementAndGet(), null, "main");
        }
        ReleaseInfo r = new ReleaseInfo("shop", "api", image, "89abcdef0123");
        CommitRelease commit = CommitRelease.create().setRepository(repoUrl).setBaseBranch("main")
                .setCredentials(GitCredentials.password("bot", Secret.of("canary-git-pass"))).setRelease(r)
                .setTempRoot(tmp).setEdit(ReleaseEdit.of(files -> List.of(
                        FileChange.of("releases/api.yaml", "image: " + image + "\n", FileChange.Kind.CREATED))));
        ForgeSettings settings = new ForgeSettings(ForgeSettings.Kind.GITHUB, forge.url(), "acme/gitops",
                Secret.of(TOKEN), "bot", new ForgeSettings.Limits(3, Duration.ofSeconds(60), slept::add));
        return OpenReleasePr.create().setCommit(commit, r, "main").setForge(Forges.create(settings))
                .setSleeper(slept::add).setPollInterval(Duration.ofSeconds(5));
    }

    static String repoJson(String base) {
        return "{\"id\":1,\"node_id\":\"R_1\",\"name\":\"gitops\",\"full_name\":\"acme/gitops\",\"private\":true,"
                + "\"owner\":{\"login\":\"acme\",\"id\":2,\"type\":\"Organization\"},"
                + "\"html_url\":\"https://github.example/acme/gitops\",\"url\":\"" + base + "/repos/acme/gitops\","
                + "\"default_branch\":\"main\"}";
    }

    static String prJson(String base, String state, boolean merged, String mergeSha) {
        return "{\"id\":77,\"node_id\":\"PR_kw7\",\"number\":7,\"state\":\"" + state + "\",\"title\":\"Release api\","
                + "\"html_url\":\"https://github.example/acme/gitops/pull/7\",\"url\":\"" + base
                + "/repos/acme/gitops/pulls/7\",\"merged\":" + merged + ",\"merge_commit_sha\":"
                + (mergeSha == null ? "null" : "\"" + mergeSha + "\"") + ","
                + "\"head\":{\"ref\":\"release/api-89abcdef\",\"sha\":\"1111111111111111111111111111111111111111\"},"
                + "\"base\":{\"ref\":\"main\",\"sha\":\"2222222222222222222222222222222222222222\"}}";
    }

    void stubRepo(WireMockServer s) {
        s.stubFor(get("/repos/acme/gitops").willReturn(okJson(repoJson(forge.url()))));
    }

    @Test
    void opensPrWithLabelsAutoMergeAndWaitsForTheMergeCommit() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).willReturn(okJson("[]")));
        s.stubFor(post("/repos/acme/gitops/pulls").willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(prJson(forge.url(), "open", false, null))));
        s.stubFor(get("/repos/acme/gitops/issues/7").willReturn(okJson("{\"number\":7,\"state\":\"open\","
                + "\"url\":\"" + forge.url() + "/repos/acme/gitops/issues/7\",\"labels\":[]}")));
        s.stubFor(post("/repos/acme/gitops/issues/7/labels").willReturn(okJson("[{\"name\":\"release\"}]")));
        s.stubFor(post("/graphql").willReturn(okJson("{\"data\":{\"enablePullRequestAutoMerge\":{\"pullRequest\":"
                + "{\"number\":7,\"autoMergeRequest\":{\"enabledAt\":\"2026-01-01T00:00:00Z\"}}}}}")));
        // Merge polling: open twice, then merged.
        s.stubFor(get("/repos/acme/gitops/pulls/7").inScenario("merge").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(prJson(forge.url(), "open", false, null))).willSetStateTo("open2"));
        s.stubFor(get("/repos/acme/gitops/pulls/7").inScenario("merge").whenScenarioStateIs("open2")
                .willReturn(okJson(prJson(forge.url(), "open", false, null))).willSetStateTo("merged"));
        s.stubFor(get("/repos/acme/gitops/pulls/7").inScenario("merge").whenScenarioStateIs("merged")
                .willReturn(okJson(prJson(forge.url(), "closed", true, "abcabcabcabcabcabcabcabcabcabcabcabcabca"))));

        ReleasePrResult r = open("reg/api:1").setLabels(List.of("release")).setAutoMerge(true)
                .setWaitMerge(Duration.ofMinutes(30)).setTargetEnv("dev").call();

        assertThat(r.prAction()).isEqualTo(ReleasePrResult.PrAction.CREATED);
        assertThat(r.pullRequest().number()).isEqualTo(7);
        assertThat(r.mergeCommitSha()).isEqualTo("abcabcabcabcabcabcabcabcabcabcabcabcabca");
        assertThat(r.git().branch()).isEqualTo("release/api-89abcdef");
        assertThat(slept).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));

        s.verify(getRequestedFor(urlPathEqualTo("/repos/acme/gitops/pulls"))
                .withQueryParam("state", equalTo("open")).withQueryParam("head", equalTo("acme:release/api-89abcdef"))
                .withQueryParam("base", equalTo("main")));
        s.verify(postRequestedFor(urlEqualTo("/repos/acme/gitops/pulls"))
                .withHeader("Authorization", containing(TOKEN))
                .withRequestBody(matchingJsonPath("$.title", equalTo("Release api (89abcdef)")))
                .withRequestBody(matchingJsonPath("$.head", equalTo("release/api-89abcdef")))
                .withRequestBody(matchingJsonPath("$.base", equalTo("main")))
                .withRequestBody(matchingJsonPath("$.body", containing("## Summary")))
                .withRequestBody(matchingJsonPath("$.body", containing("`releases/api.yaml`")))
                .withRequestBody(matchingJsonPath("$.body", containing("## Test plan")))
                .withRequestBody(matchingJsonPath("$.body", containing("**Target environment**: dev"))));
        s.verify(postRequestedFor(urlEqualTo("/repos/acme/gitops/issues/7/labels"))
                .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("release"))));
        s.verify(postRequestedFor(urlEqualTo("/graphql"))
                .withRequestBody(containing("enablePullRequestAutoMerge"))
                .withRequestBody(matchingJsonPath("$.variables.id", equalTo("PR_kw7"))));
        // A login was given: no GET /user probe.
        s.verify(0, getRequestedFor(urlEqualTo("/user")));
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonIsNotReportedAsARefusal() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).willReturn(okJson("[" + prJson(forge.url(), "open",
                false, null) + "]")));
        // The update reads the pull request back: a proxy's page in place of the JSON.
        s.stubFor(get("/repos/acme/gitops/pulls/7").willReturn(status(200)
                .withHeader("Content-Type", "application/json").withBody("<html>a proxy's login page</html>")));
        s.stubFor(patch(urlPathMatching("/repos/acme/gitops/(issues|pulls)/7"))
                .willReturn(okJson(prJson(forge.url(), "open", false, null))));

        assertThatThrownBy(() -> open("reg/api:1").call()).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("PATCH").hasMessageContaining("answered HTTP 200 with a body that is not the"
                        + " expected JSON").hasMessageNotContaining("refused").hasMessageNotContaining(TOKEN);
    }

    @Test
    void rerunReusesTheOpenPr() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).inScenario("pr").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[]")));
        s.stubFor(post("/repos/acme/gitops/pulls").inScenario("pr").willSetStateTo("exists").willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(prJson(forge.url(), "open", false, null))));
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).inScenario("pr").whenScenarioStateIs("exists")
                .willReturn(okJson("[" + prJson(forge.url(), "open", false, null) + "]")));
        s.stubFor(get("/repos/acme/gitops/pulls/7").willReturn(okJson(prJson(forge.url(), "open", false, null))));
        s.stubFor(patch(urlPathMatching("/repos/acme/gitops/(issues|pulls)/7"))
                .willReturn(okJson(prJson(forge.url(), "open", false, null))));

        ReleasePrResult first = open("reg/api:1").call();
        ReleasePrResult again = open("reg/api:1").call();
        ReleasePrResult changed = open("reg/api:2").call();

        assertThat(first.prAction()).isEqualTo(ReleasePrResult.PrAction.CREATED);
        assertThat(again.prAction()).isEqualTo(ReleasePrResult.PrAction.REUSED);
        assertThat(again.git().pushed()).isFalse();
        assertThat(changed.prAction()).isEqualTo(ReleasePrResult.PrAction.REUSED);
        assertThat(changed.git().pushed()).isTrue();
        assertThat(changed.git().branch()).isEqualTo(first.git().branch());
        s.verify(1, postRequestedFor(urlEqualTo("/repos/acme/gitops/pulls")));
        s.verify(patchRequestedFor(urlPathMatching("/repos/acme/gitops/(issues|pulls)/7"))
                .withRequestBody(containing("reg/api:2")));
    }

    @Test
    void noChangeOpensNoPr() throws Exception {
        WireMockServer s = forge.server();
        // Direct commit, then a rerun: the base already holds it.
        String url2 = git.createRepository("gh" + N.incrementAndGet(), null, "main");
        repoUrl = url2;
        CommitRelease c = CommitRelease.create().setRepository(url2).setCredentials(GitCredentials.password("bot",
                Secret.of("canary-git-pass"))).setRelease(release).setTempRoot(tmp).setDirect(true)
                .setEdit(ReleaseEdit.of(files -> List.of(FileChange.of("releases/api.yaml", "image: reg/api:1\n",
                        FileChange.Kind.CREATED))));
        c.call();
        ReleasePrResult none = open("reg/api:1").call();
        assertThat(none.git().changed()).isFalse();
        assertThat(none.pullRequest()).isNull();
        assertThat(none.prAction()).isEqualTo(ReleasePrResult.PrAction.NONE);
        assertThat(s.getAllServeEvents()).isEmpty();
    }

    @Test
    void withoutForgeItPushesAndSaysHowToOpenThePr() throws Exception {
        ReleasePrResult r = open("reg/api:1").setForge(null).call();
        assertThat(r.git().pushed()).isTrue();
        assertThat(r.nextStep()).contains("release/api-89abcdef").contains("main");
        assertThatThrownBy(() -> open("reg/api:1").setForge(null).setAutoMerge(true).call())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--forge");
    }

    @Test
    void forgeErrorsNameForgeAndStatusWithoutTheToken() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).willReturn(okJson("[]")));
        s.stubFor(post("/repos/acme/gitops/pulls").willReturn(status(422).withHeader("Content-Type",
                "application/json").withBody("{\"message\":\"Validation Failed\",\"errors\":[{\"message\":"
                + "\"No commits between main and release\"}]}")));
        assertThatThrownBy(() -> open("reg/api:1").call())
                .isInstanceOf(ForgeApiException.class)
                .hasMessageContaining("GitHub").hasMessageContaining("422").hasMessageContaining("Validation Failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));

        s.resetAll();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).willReturn(status(502).withBody("bad gateway")));
        assertThatThrownBy(() -> open("reg/api:1").call())
                .isInstanceOf(ForgeApiException.class)
                .hasMessageContaining("GitHub").hasMessageContaining("502")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void rateLimitIsWaitedOutPerRetryAfter() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(status(429).withHeader("Retry-After", "3").withBody("{\"message\":\"slow down\"}"))
                .willSetStateTo("ok"));
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(okJson("[]")));
        s.stubFor(post("/repos/acme/gitops/pulls").willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(prJson(forge.url(), "open", false, null))));
        ReleasePrResult r = open("reg/api:1").call();
        assertThat(r.pullRequest().number()).isEqualTo(7);
        assertThat(slept).containsExactly(Duration.ofSeconds(3));
        s.verify(2, getRequestedFor(urlPathEqualTo("/repos/acme/gitops/pulls")));
    }

    @Test
    void mergeWaitTimesOutClearly() throws Exception {
        WireMockServer s = forge.server();
        stubRepo(s);
        s.stubFor(get(urlPathEqualTo("/repos/acme/gitops/pulls")).willReturn(okJson("[]")));
        s.stubFor(post("/repos/acme/gitops/pulls").willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(prJson(forge.url(), "open", false, null))));
        s.stubFor(get("/repos/acme/gitops/pulls/7").willReturn(okJson(prJson(forge.url(), "open", false, null))));
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public java.time.Clock withZone(java.time.ZoneId z) { return this; }
            public java.time.Instant instant() { return java.time.Instant.ofEpochSecond(now.get()); }
        };
        assertThatThrownBy(() -> open("reg/api:1").setClock(clock).setSleeper(d -> now.addAndGet(d.toSeconds()))
                .setWaitMerge(Duration.ofSeconds(20)).call())
                .hasMessageContaining("PR #7 was not merged within 20s");
    }
}
