package io.jenkins.plugins.gitopsrelease.forge;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GitLab (gitlab4j-api), Gitea and Bitbucket (REST) providers against WireMock stubs shaped like each API's documented answers. */
class RestForgesTest {
    static final String TOKEN = "canary-forge-t0ken-XYZ";

    @RegisterExtension
    static ForgeMock mock = new ForgeMock();

    final List<Duration> slept = new ArrayList<>();

    Forge forge(ForgeSettings.Kind kind, String repo, String user) {
        return Forges.create(new ForgeSettings(kind, mock.url(), repo, Secret.of(TOKEN), user,
                new ForgeSettings.Limits(3, Duration.ofSeconds(60), slept::add)));
    }

    WireMockServer s() {
        return mock.server();
    }

    static final NewPullRequest NEW = new NewPullRequest("release/api-1", "main", "Release api (1)", "body", true);

    // ---- GitLab

    static String mr(String state, String mergeSha) {
        return "{\"id\":100,\"iid\":5,\"project_id\":3,\"title\":\"Release api (1)\",\"state\":\"" + state + "\","
                + "\"source_branch\":\"release/api-1\",\"target_branch\":\"main\",\"sha\":\"ffff\","
                + "\"merge_commit_sha\":" + (mergeSha == null ? "null" : "\"" + mergeSha + "\"") + ","
                + "\"squash_commit_sha\":null,\"web_url\":\"https://gitlab.example/grp/gitops/-/merge_requests/5\"}";
    }

    static String project(long id, String path) {
        return "{\"id\":" + id + ",\"path_with_namespace\":\"" + path + "\",\"default_branch\":\"main\"}";
    }

    @Test
    void gitlabMapsEveryCall() {
        String p = "/api/v4/projects/grp%2Fsub%2Fgitops";
        s().stubFor(get(urlPathEqualTo(p)).willReturn(okJson(project(3, "grp/sub/gitops"))));
        s().stubFor(get(urlPathEqualTo("/api/v4/projects/3/merge_requests")).willReturn(okJson("[]")));
        s().stubFor(post(p + "/merge_requests").willReturn(status(201).withHeader("Content-Type", "application/json")
                .withBody(mr("opened", null))));
        s().stubFor(put(p + "/merge_requests/5").willReturn(okJson(mr("opened", null))));
        s().stubFor(get(urlPathEqualTo("/api/v4/users")).willReturn(okJson("[{\"id\":42,\"username\":\"alice\"}]")));
        s().stubFor(put(p + "/merge_requests/5/merge").willReturn(okJson(mr("opened", null))));
        s().stubFor(get(urlPathEqualTo(p + "/merge_requests/5")).willReturn(okJson(mr("merged", "abc123"))));

        Forge f = forge(ForgeSettings.Kind.GITLAB, "grp/sub/gitops", null);
        assertThat(f.findOpenPullRequest("release/api-1", "main")).isEmpty();
        PullRequest pr = f.createPullRequest(NEW);
        assertThat(pr.number()).isEqualTo(5);
        assertThat(pr.url()).endsWith("/merge_requests/5");
        f.addLabels(pr, List.of("release", "api"));
        f.requestReviewers(pr, List.of("alice"));
        f.enableAutoMerge(pr);
        PullRequest merged = f.getPullRequest(5);
        assertThat(merged.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(merged.mergeCommitSha()).isEqualTo("abc123");

        // The project path is resolved to its id once: the merge-request filter takes ids only.
        s().verify(1, getRequestedFor(urlPathEqualTo(p)).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
        s().verify(getRequestedFor(urlPathEqualTo("/api/v4/projects/3/merge_requests"))
                .withQueryParam("state", equalTo("opened"))
                .withQueryParam("source_branch", equalTo("release/api-1"))
                .withQueryParam("target_branch", equalTo("main")).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
        s().verify(postRequestedFor(urlEqualTo(p + "/merge_requests"))
                .withFormParam("title", equalTo("Draft: Release api (1)"))
                .withFormParam("source_branch", equalTo("release/api-1"))
                .withFormParam("target_branch", equalTo("main"))
                .withFormParam("remove_source_branch", equalTo("true")));
        s().verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5"))
                .withFormParam("add_labels", equalTo("release,api")));
        s().verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5"))
                .withFormParam("reviewer_ids[]", equalTo("42")));
        s().verify(getRequestedFor(urlPathEqualTo("/api/v4/users")).withQueryParam("username", equalTo("alice")));
        s().verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5/merge"))
                .withFormParam("merge_when_pipeline_succeeds", equalTo("true"))
                .withFormParam("auto_merge", equalTo("true")));
        s().verify(0, getRequestedFor(urlPathEqualTo("/api/v4/merge_requests")));
        // Labels are added, never replaced (that would drop the ones people put on the MR).
        s().verify(0, putRequestedFor(urlEqualTo(p + "/merge_requests/5")).withFormParam("labels", matching(".*")));
    }

    @Test
    void gitlabFindsTheExistingMergeRequestAndUpdatesIt() {
        String p = "/api/v4/projects/grp%2Fgitops";
        s().stubFor(get(urlPathEqualTo(p)).willReturn(okJson(project(7, "grp/gitops"))));
        s().stubFor(get(urlPathEqualTo("/api/v4/projects/7/merge_requests"))
                .willReturn(okJson("[" + mr("opened", null) + "]")));
        s().stubFor(put(p + "/merge_requests/5").willReturn(okJson(mr("opened", null))));
        Forge f = forge(ForgeSettings.Kind.GITLAB, "grp/gitops", null);
        PullRequest pr = f.findOpenPullRequest("release/api-1", "main").orElseThrow();
        assertThat(pr.number()).isEqualTo(5L);
        assertThat(pr.state()).isEqualTo(PullRequest.State.OPEN);
        assertThat(f.updatePullRequest(pr, "Release api (2)", "new body").number()).isEqualTo(5L);
        s().verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5"))
                .withFormParam("title", equalTo("Release api (2)"))
                .withFormParam("description", equalTo("new body")));
    }

    @Test
    void gitlabUnknownReviewerIsBadInput() {
        s().stubFor(get(urlPathEqualTo("/api/v4/users")).willReturn(okJson("[]")));
        PullRequest pr = new PullRequest(5, null, PullRequest.State.OPEN, "release/api-1", "main", null, null);
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITLAB, "g/r", null).requestReviewers(pr, List.of("nobody")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--reviewer")
                .hasMessageContaining("nobody");
        s().verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void gitlabMergePollingFallsBackToTheHeadShaForFastForwardMerges() {
        s().stubFor(get(urlPathEqualTo("/api/v4/projects/g%2Fr/merge_requests/5"))
                .willReturn(okJson(mr("merged", null))));
        PullRequest merged = new MergeWaiter(forge(ForgeSettings.Kind.GITLAB, "g/r", null)).setSleeper(slept::add)
                .waitForMerge(5);
        assertThat(merged.mergeCommitSha()).isEqualTo("ffff");
    }

    @Test
    void gitlabRateLimitHonoursRetryAfterAndIsBounded() {
        String path = "/api/v4/projects/g%2Fr/merge_requests/5";
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("Started")
                .willReturn(status(429).withHeader("Retry-After", "7")).willSetStateTo("second"));
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("second")
                .willReturn(status(429).withHeader("RateLimit-Remaining", "0")).willSetStateTo("ok"));
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(okJson(mr("opened", null))));
        assertThat(forge(ForgeSettings.Kind.GITLAB, "g/r", null).getPullRequest(5).number()).isEqualTo(5);
        // Retry-After as asked; then no hint at all: exponential backoff (second attempt: 2s).
        assertThat(slept).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
        s().verify(3, getRequestedFor(urlPathEqualTo(path)));

        s().resetAll();
        slept.clear();
        s().stubFor(get(urlPathEqualTo(path)).willReturn(status(429).withHeader("Retry-After", "3600")));
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITLAB, "g/r", null).getPullRequest(5))
                .isInstanceOf(ForgeApiException.class).hasMessageContaining("GitLab").hasMessageContaining("rate limit")
                .hasMessageContaining("3600s").satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(slept).isEmpty();

        // Retries are bounded in number too.
        s().resetAll();
        slept.clear();
        s().stubFor(get(urlPathEqualTo(path)).willReturn(status(429).withHeader("Retry-After", "1")));
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITLAB, "g/r", null).getPullRequest(5))
                .isInstanceOf(ForgeApiException.class).hasMessageContaining("rate limit");
        assertThat(slept).hasSize(3);
        s().verify(4, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void gitlabServerErrorNamesForgeCallAndStatus() {
        s().stubFor(get(urlPathEqualTo("/api/v4/projects/g%2Fr/merge_requests/5"))
                .willReturn(status(503).withBody("maintenance")));
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITLAB, "g/r", null).getPullRequest(5))
                .isInstanceOf(ForgeApiException.class).hasMessageContaining("GitLab").hasMessageContaining("503")
                .hasMessageContaining("GET /projects/g%2Fr/merge_requests/5")
                .satisfies(e -> assertThat(((ForgeApiException) e).status()).isEqualTo(503))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(slept).isEmpty();
    }

    @Test
    void gitlabUnreachableNamesTheUrl() {
        Forge f = Forges.create(new ForgeSettings(ForgeSettings.Kind.GITLAB, "http://127.0.0.1:1", "g/r",
                Secret.of(TOKEN), null, new ForgeSettings.Limits(3, Duration.ofSeconds(60), slept::add)));
        assertThatThrownBy(() -> f.getPullRequest(5)).isInstanceOf(
                io.jenkins.plugins.gitopsrelease.core.OperationFailedException.class)
                .hasMessageContaining("GitLab API GET /projects/g%2Fr/merge_requests/5 failed")
                .hasMessageContaining("http://127.0.0.1:1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    // ---- Gitea

    static String giteaPr(String state, boolean merged, String sha) {
        return "{\"id\":9,\"number\":3,\"state\":\"" + state + "\",\"merged\":" + merged + ",\"merge_commit_sha\":"
                + (sha == null ? "null" : "\"" + sha + "\"") + ",\"html_url\":\"https://gitea.example/o/r/pulls/3\","
                + "\"head\":{\"ref\":\"release/api-1\"},\"base\":{\"ref\":\"main\"},\"title\":\"t\"}";
    }

    @Test
    void giteaMapsEveryCall() {
        String r = "/api/v1/repos/o/r";
        s().stubFor(get(urlPathEqualTo(r + "/pulls")).willReturn(okJson("[]")));
        s().stubFor(post(r + "/pulls").willReturn(status(201).withHeader("Content-Type", "application/json")
                .withBody(giteaPr("open", false, null))));
        s().stubFor(get(urlPathEqualTo(r + "/labels")).willReturn(okJson("[{\"id\":11,\"name\":\"release\"},"
                + "{\"id\":12,\"name\":\"other\"}]")));
        s().stubFor(post(r + "/issues/3/labels").willReturn(okJson("[]")));
        s().stubFor(post(r + "/pulls/3/requested_reviewers").willReturn(status(201).withBody("[]")));
        s().stubFor(post(r + "/pulls/3/merge").willReturn(ok()));
        s().stubFor(get(r + "/pulls/3").willReturn(okJson(giteaPr("closed", true, "def456"))));

        Forge f = forge(ForgeSettings.Kind.GITEA, "o/r", null);
        assertThat(f.findOpenPullRequest("release/api-1", "main")).isEmpty();
        PullRequest pr = f.createPullRequest(NEW);
        f.addLabels(pr, List.of("release"));
        f.requestReviewers(pr, List.of("bob"));
        f.enableAutoMerge(pr);
        assertThat(f.getPullRequest(3).mergeCommitSha()).isEqualTo("def456");
        assertThatThrownBy(() -> f.addLabels(pr, List.of("missing"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("missing");

        s().verify(postRequestedFor(urlEqualTo(r + "/pulls")).withHeader("Authorization", equalTo("token " + TOKEN))
                .withRequestBody(matchingJsonPath("$.title", equalTo("WIP: Release api (1)"))));
        s().verify(postRequestedFor(urlEqualTo(r + "/issues/3/labels"))
                .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("11"))));
        s().verify(postRequestedFor(urlEqualTo(r + "/pulls/3/merge"))
                .withRequestBody(matchingJsonPath("$.Do", equalTo("merge")))
                .withRequestBody(matchingJsonPath("$.merge_when_checks_succeed", equalTo("true"))));
    }

    // ---- Bitbucket Cloud

    static String bbPr(String state, String sha) {
        return "{\"id\":4,\"title\":\"t\",\"state\":\"" + state + "\",\"source\":{\"branch\":{\"name\":"
                + "\"release/api-1\"}},\"destination\":{\"branch\":{\"name\":\"main\"}},\"merge_commit\":"
                + (sha == null ? "null" : "{\"hash\":\"" + sha + "\"}")
                + ",\"links\":{\"html\":{\"href\":\"https://bitbucket.org/ws/r/pull-requests/4\"}}}";
    }

    @Test
    void bitbucketCloudMapsCallsAndSaysWhatItCannotDo() {
        String r = "/repositories/ws/r";
        s().stubFor(get(urlPathEqualTo(r + "/pullrequests")).willReturn(okJson("{\"values\":[" + bbPr("OPEN", null)
                + "],\"pagelen\":10}")));
        s().stubFor(get(r + "/pullrequests/4").willReturn(okJson(bbPr("MERGED", "0a0b0c"))));
        s().stubFor(put(r + "/pullrequests/4").willReturn(okJson(bbPr("OPEN", null))));

        Forge f = forge(ForgeSettings.Kind.BITBUCKET, "ws/r", "bot");
        PullRequest pr = f.findOpenPullRequest("release/api-1", "main").orElseThrow();
        assertThat(pr.number()).isEqualTo(4);
        f.updatePullRequest(pr, "new title", "new body");
        assertThat(f.getPullRequest(4).mergeCommitSha()).isEqualTo("0a0b0c");
        assertThat(f.supportsLabels()).isFalse();
        assertThat(f.supportsAutoMerge()).isFalse();
        assertThatThrownBy(() -> f.enableAutoMerge(pr)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Bitbucket Cloud has no auto-merge");

        s().verify(getRequestedFor(urlPathEqualTo(r + "/pullrequests")).withQueryParam("state", equalTo("OPEN"))
                .withQueryParam("q", equalTo("source.branch.name=\"release/api-1\" AND destination.branch.name=\"main\""))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("bot", TOKEN)));
        s().verify(putRequestedFor(urlEqualTo(r + "/pullrequests/4"))
                .withRequestBody(matchingJsonPath("$.description", equalTo("new body"))));
    }

    // ---- Bitbucket Data Center

    static String dcPr(String state, int version, String mergeId) {
        return "{\"id\":8,\"version\":" + version + ",\"title\":\"t\",\"state\":\"" + state + "\","
                + "\"fromRef\":{\"id\":\"refs/heads/release/api-1\",\"displayId\":\"release/api-1\"},"
                + "\"toRef\":{\"id\":\"refs/heads/main\",\"displayId\":\"main\"},"
                + (mergeId == null ? "" : "\"properties\":{\"mergeCommit\":{\"id\":\"" + mergeId + "\"}},")
                + "\"links\":{\"self\":[{\"href\":\"https://bb.example/projects/OPS/repos/gitops/pull-requests/8\"}]}}";
    }

    @Test
    void bitbucketDataCenterMapsEveryCall() {
        String r = "/rest/api/1.0/projects/OPS/repos/gitops";
        s().stubFor(get(urlPathEqualTo(r + "/pull-requests")).willReturn(okJson("{\"values\":[],\"isLastPage\":true}")));
        s().stubFor(post(r + "/pull-requests").willReturn(status(201).withHeader("Content-Type", "application/json")
                .withBody(dcPr("OPEN", 0, null))));
        s().stubFor(get(r + "/pull-requests/8").willReturn(okJson(dcPr("OPEN", 3, null))));
        s().stubFor(put(r + "/pull-requests/8").willReturn(okJson(dcPr("OPEN", 4, null))));
        s().stubFor(post(r + "/pull-requests/8/participants").willReturn(okJson("{}")));

        Forge f = forge(ForgeSettings.Kind.BITBUCKET_SERVER, "OPS/gitops", null);
        assertThat(f.findOpenPullRequest("release/api-1", "main")).isEmpty();
        PullRequest pr = f.createPullRequest(NEW);
        assertThat(pr.url()).endsWith("/pull-requests/8");
        f.updatePullRequest(pr, "t2", "b2");
        f.requestReviewers(pr, List.of("carol"));

        s().verify(getRequestedFor(urlPathEqualTo(r + "/pull-requests")).withQueryParam("at",
                equalTo("refs/heads/release/api-1")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        s().verify(postRequestedFor(urlEqualTo(r + "/pull-requests"))
                .withRequestBody(matchingJsonPath("$.fromRef.id", equalTo("refs/heads/release/api-1")))
                .withRequestBody(matchingJsonPath("$.toRef.id", equalTo("refs/heads/main")))
                .withRequestBody(matchingJsonPath("$.draft", equalTo("true"))));
        s().verify(putRequestedFor(urlEqualTo(r + "/pull-requests/8"))
                .withRequestBody(matchingJsonPath("$.version", equalTo("3"))));
        s().verify(postRequestedFor(urlEqualTo(r + "/pull-requests/8/participants"))
                .withRequestBody(matchingJsonPath("$.role", equalTo("REVIEWER"))));
    }

    // ---- shared HTTP behaviour

    @Test
    void serverErrorNamesForgeCallAndStatus() {
        s().stubFor(get(urlPathEqualTo("/api/v1/repos/o/r/pulls")).willReturn(status(503).withBody("maintenance")));
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITEA, "o/r", null).findOpenPullRequest("b", "main"))
                .isInstanceOf(ForgeApiException.class)
                .hasMessageContaining("Gitea").hasMessageContaining("503").hasMessageContaining("GET /repos/o/r/pulls")
                .satisfies(e -> assertThat(((ForgeApiException) e).status()).isEqualTo(503))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void clientErrorsAreClearAndTokenFree() {
        s().stubFor(post("/api/v4/projects/g%2Fr/merge_requests").willReturn(status(409).withHeader("Content-Type",
                "application/json").withBody("{\"message\":[\"Another open merge request already exists\"]}")));
        // The first GET resolves the project; GitLab answers 401 there with a bad token.
        s().stubFor(get(urlPathEqualTo("/api/v4/projects/g%2Fr")).willReturn(status(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"401 Unauthorized " + TOKEN + "\"}")));
        Forge f = forge(ForgeSettings.Kind.GITLAB, "g/r", null);
        assertThatThrownBy(() -> f.createPullRequest(NEW)).isInstanceOf(ForgeApiException.class)
                .hasMessageContaining("409").hasMessageContaining("Another open merge request");
        assertThatThrownBy(() -> f.findOpenPullRequest("b", "main")).isInstanceOf(ForgeApiException.class)
                .hasMessageContaining("401").hasMessageContaining("token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void rateLimitHonoursRetryAfterAndIsBounded() {
        String path = "/api/v1/repos/o/r/pulls";
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("Started")
                .willReturn(status(429).withHeader("Retry-After", "7")).willSetStateTo("second"));
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("second")
                .willReturn(status(403).withHeader("X-RateLimit-Remaining", "0").withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        s().stubFor(get(urlPathEqualTo(path)).inScenario("rl").whenScenarioStateIs("ok").willReturn(okJson("[]")));
        assertThat(forge(ForgeSettings.Kind.GITEA, "o/r", null).findOpenPullRequest("b", "main")).isEmpty();
        assertThat(slept).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
        s().verify(3, getRequestedFor(urlPathEqualTo(path)));

        // Asked to wait longer than allowed: fail at once, saying so.
        s().resetAll();
        slept.clear();
        s().stubFor(get(urlPathEqualTo(path)).willReturn(status(429).withHeader("Retry-After", "3600")));
        assertThatThrownBy(() -> forge(ForgeSettings.Kind.GITEA, "o/r", null).findOpenPullRequest("b", "main"))
                .isInstanceOf(ForgeApiException.class).hasMessageContaining("rate limit")
                .hasMessageContaining("3600s");
        assertThat(slept).isEmpty();
    }

    @Test
    void mergeWaiterFailsWhenThePrIsClosedUnmerged() {
        s().stubFor(get("/api/v1/repos/o/r/pulls/3").willReturn(okJson(giteaPr("closed", false, null))));
        assertThatThrownBy(() -> new MergeWaiter(forge(ForgeSettings.Kind.GITEA, "o/r", null)).setSleeper(slept::add)
                .waitForMerge(3)).hasMessageContaining("closed without being merged");
    }

    @Test
    void settingsAreDerivedFromTheCloneUrl() {
        Secret t = Secret.of(TOKEN);
        assertThat(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.GITHUB, "https://github.com/acme/gitops.git",
                null, t, null)).extracting(ForgeSettings::apiUrl, ForgeSettings::repository)
                .containsExactly("https://api.github.com", "acme/gitops");
        assertThat(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.GITHUB, "https://ghe.example/acme/gitops",
                null, t, null).apiUrl()).isEqualTo("https://ghe.example/api/v3");
        assertThat(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.GITLAB, "https://gitlab.example/g/s/r.git",
                null, t, null)).extracting(ForgeSettings::apiUrl, ForgeSettings::repository)
                .containsExactly("https://gitlab.example", "g/s/r");
        assertThat(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.BITBUCKET_SERVER,
                "https://bb.example/ctx/scm/OPS/gitops.git", null, t, null))
                .extracting(ForgeSettings::apiUrl, ForgeSettings::repository)
                .containsExactly("https://bb.example/ctx", "OPS/gitops");
        assertThat(ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.GITEA, "git@gitea.example:o/r.git",
                "https://gitea.example", t, null).repository()).isEqualTo("o/r");
        assertThatThrownBy(() -> ForgeSettings.fromRepositoryUrl(ForgeSettings.Kind.GITEA, "git@gitea.example:o/r.git",
                null, t, null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("--forge-url");
    }
}
