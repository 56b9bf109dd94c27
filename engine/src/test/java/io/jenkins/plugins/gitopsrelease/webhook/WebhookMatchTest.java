package io.jenkins.plugins.gitopsrelease.webhook;

import static io.jenkins.plugins.gitopsrelease.webhook.Payloads.AFTER;
import static io.jenkins.plugins.gitopsrelease.webhook.Payloads.BEFORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookMatchTest {
    /** A canary: it must never appear in any message. */
    static final String SECRET = "canary-webhook-secret-7f3a";

    @TempDir
    Path root;
    ComponentIndex index;

    @BeforeEach
    void repo() {
        WebhookFixtures.shop(root);
        index = ComponentIndex.of(new DirectoryFiles(root));
    }

    private WebhookMatch.Result github(ObjectNode payload) {
        byte[] body = Payloads.bytes(payload);
        return WebhookMatch.of(Provider.GITHUB, Headers.of(Payloads.githubHeaders("push", SECRET, body)), body)
                .secret(Secret.of(SECRET)).components(index).call();
    }

    private static List<String> names(WebhookMatch.Result r) {
        return r.matches().stream().map(m -> m.project() + "/" + m.component()).toList();
    }

    @Test
    void indexReadsAutoBuildSettingsFromComponentFiles() {
        assertThat(index.components()).hasSize(5);
        AutoBuildComponent orders = index.components().stream().filter(c -> c.component().equals("orders"))
                .findFirst().orElseThrow();
        assertThat(orders.branch()).isEqualTo("main");
        assertThat(orders.appPath()).isEqualTo("apps/orders");
        assertThat(orders.project()).isEqualTo("shop");
        assertThat(orders.where()).endsWith("orders/component.yaml");
        assertThat(index.components().stream().filter(c -> c.component().equals("legacy")).findFirst().orElseThrow()
                .autoBuild()).isFalse();
    }

    @Test
    void monorepoPushStartsExactlyTheTouchedComponents() {
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, List.of(
                Commit.modified("apps/frontend/src/App.tsx", "README.md"),
                new Commit(List.of("services/payments/pom.xml"), List.of(), List.of("apps/legacy/x.c")))));
        assertThat(names(r)).containsExactlyInAnyOrder("shop/frontend", "shop/payments");
        ComponentMatch fe = r.matches().stream().filter(m -> m.component().equals("frontend")).findFirst()
                .orElseThrow();
        assertThat(fe.commit()).isEqualTo(AFTER);
        assertThat(fe.branch()).isEqualTo("main");
        assertThat(fe.matchedPaths()).containsExactly("apps/frontend/src/App.tsx");
        assertThat(fe.allPaths()).isFalse();
        assertThat(fe.commitUrl()).isEqualTo("https://github.com/acme/shop/commit/" + AFTER);
        assertThat(fe.repository()).isEqualTo("acme/shop");
        assertThat(r.delivery().id()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    }

    @Test
    void allThreeComponentsAndRemovedFilesCount() {
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, List.of(
                new Commit(List.of("apps/frontend/a"), List.of("apps/orders/b"), List.of("services/payments/c")))));
        assertThat(names(r)).containsExactly("shop/frontend", "shop/orders", "shop/payments");
    }

    @Test
    void appPathIsADirectoryNotAStringPrefix() {
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, List.of(
                Commit.modified("apps/frontend-old/x", "apps/orders.md", "apps/frontend"))));
        // "apps/frontend" itself (a file replacing the directory) counts; siblings sharing the prefix do not.
        assertThat(names(r)).containsExactly("shop/frontend");
    }

    @Test
    void pushTouchingNoComponentStartsNothing() {
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER,
                List.of(Commit.modified("docs/index.md"))));
        assertThat(r.matches()).isEmpty();
        assertThat(r.summary()).contains("touches no auto-build component");
    }

    @Test
    void sshCaseAndDotGitDifferencesStillMatch() {
        WebhookFixtures.component(root, "x", "ssh", true, "git@GitHub.com:ACME/Shop.git", "main", "apps/frontend");
        WebhookFixtures.component(root, "x", "https", true, "https://github.com/acme/shop/", "main", "apps/frontend");
        WebhookFixtures.component(root, "x", "sshurl", true, "ssh://git@github.com:22/acme/shop", "main", "apps/frontend");
        WebhookFixtures.component(root, "x", "other", true, "https://github.com/acme/shop-old", "main", "apps/frontend");
        index = ComponentIndex.of(new DirectoryFiles(root));
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER,
                List.of(Commit.modified("apps/frontend/a"))));
        assertThat(names(r)).containsExactlyInAnyOrder("shop/frontend", "x/ssh", "x/https", "x/sshurl");
    }

    @Test
    void branchMustBeTheComponentsBranchDefaultMain() {
        WebhookFixtures.component(root, "x", "dev-only", true, WebhookFixtures.MONOREPO, "develop", "apps/frontend");
        index = ComponentIndex.of(new DirectoryFiles(root));
        List<Commit> commits = List.of(Commit.modified("apps/frontend/a", "apps/orders/b"));
        assertThat(names(github(Payloads.github("acme/shop", "refs/heads/develop", BEFORE, AFTER, commits))))
                .containsExactly("x/dev-only");
        assertThat(names(github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, commits))))
                .containsExactly("shop/frontend", "shop/orders");
        assertThat(github(Payloads.github("acme/shop", "refs/heads/feature", BEFORE, AFTER, commits)).matches())
                .isEmpty();
    }

    @Test
    void tagPushAndDeletedBranchTriggerNothing() {
        List<Commit> commits = List.of(Commit.modified("apps/frontend/a"));
        WebhookMatch.Result tag = github(Payloads.github("acme/shop", "refs/tags/main", Push.ZERO, AFTER, commits));
        assertThat(tag.matches()).isEmpty();
        assertThat(tag.delivery().pushes().get(0).tag()).isTrue();
        assertThat(tag.summary()).contains("is a tag");
        WebhookMatch.Result del = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, Push.ZERO, List.of()));
        assertThat(del.matches()).isEmpty();
        assertThat(del.delivery().pushes().get(0).deleted()).isTrue();
        assertThat(del.summary()).contains("deletes the ref");
    }

    @Test
    void noCommitListMeansEveryComponentOfTheRepository() {
        // A new branch at an existing commit: GitHub lists no commits, so nothing is known about files.
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", Push.ZERO, AFTER, List.of()));
        assertThat(names(r)).containsExactly("shop/frontend", "shop/orders", "shop/payments");
        assertThat(r.matches()).allSatisfy(m -> {
            assertThat(m.allPaths()).isTrue();
            assertThat(m.matchedPaths()).isEmpty();
        });
    }

    @Test
    void truncatedGithubListMatchesEveryComponent() {
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < PushEvents.GITHUB_MAX_COMMITS; i++) {
            commits.add(Commit.modified("docs/page-" + i + ".md"));
        }
        WebhookMatch.Result r = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, commits));
        assertThat(r.delivery().pushes().get(0).pathsComplete()).isFalse();
        assertThat(names(r)).containsExactly("shop/frontend", "shop/orders", "shop/payments");

        List<String> files = new ArrayList<>();
        for (int i = 0; i < PushEvents.GITHUB_MAX_FILES; i++) {
            files.add("docs/f" + i);
        }
        WebhookMatch.Result capped = github(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER,
                List.of(new Commit(files, List.of(), List.of()))));
        assertThat(capped.delivery().pushes().get(0).pathsComplete()).isFalse();
        assertThat(capped.matches()).hasSize(3);
    }

    @Test
    void gitlabPushWithTokenAndTruncatedCommitList() {
        ObjectNode p = Payloads.gitlab("acme/shop", "refs/heads/main", BEFORE, AFTER,
                List.of(Commit.modified("apps/orders/x.go")), 1);
        WebhookFixtures.component(root, "gl", "gl-orders", true, "git@gitlab.example.com:acme/shop.git", null, "apps/orders");
        index = ComponentIndex.of(new DirectoryFiles(root));
        byte[] body = Payloads.bytes(p);
        WebhookMatch.Result r = WebhookMatch.of(Provider.GITLAB, Headers.of(Payloads.gitlabHeaders("Push Hook", SECRET)),
                body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(names(r)).containsExactly("gl/gl-orders");
        assertThat(r.matches().get(0).commitUrl()).isEqualTo("https://gitlab.example.com/acme/shop/-/commit/" + AFTER);
        assertThat(r.delivery().id()).isEqualTo("13792a34-cac6-4fda-95a8-c58e00a3954e");

        // 25 commits pushed, 20 listed: the list says nothing certain about the other files.
        List<Commit> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(Commit.modified("docs/" + i));
        }
        byte[] truncated = Payloads.bytes(Payloads.gitlab("acme/shop", "refs/heads/main", BEFORE, AFTER, twenty, 25));
        WebhookMatch.Result t = WebhookMatch.of(Provider.GITLAB, Headers.of(Payloads.gitlabHeaders("Push Hook", SECRET)),
                truncated).secret(Secret.of(SECRET)).components(index).call();
        assertThat(t.delivery().pushes().get(0).pathsComplete()).isFalse();
        assertThat(names(t)).containsExactly("gl/gl-orders");
    }

    @Test
    void gitlabTagPushHookStartsNothing() {
        byte[] body = Payloads.bytes(Payloads.gitlab("acme/shop", "refs/tags/v1.0.0", Push.ZERO, AFTER, List.of(), 0));
        WebhookFixtures.component(root, "gl", "gl-orders", true, "https://gitlab.example.com/acme/shop", null, "");
        WebhookMatch.Result r = WebhookMatch.of(Provider.GITLAB, Headers.of(Payloads.gitlabHeaders("Tag Push Hook",
                SECRET)), body).secret(Secret.of(SECRET)).repository(new DirectoryFiles(root)).call();
        assertThat(r.delivery().kind()).isEqualTo(Delivery.Kind.PUSH);
        assertThat(r.delivery().pushes().get(0).tag()).isTrue();
        assertThat(r.matches()).isEmpty();
    }

    @Test
    void bitbucketCloudPushHasNoFileListSoEveryComponentOfTheRepoMatches() {
        WebhookFixtures.component(root, "bb", "bb-api", true, "git@bitbucket.org:acme/shop.git", null, "api");
        WebhookFixtures.component(root, "bb", "bb-web", true, "https://bitbucket.org/Acme/Shop", "main", "web");
        WebhookFixtures.component(root, "bb", "rel", true, "https://bitbucket.org/acme/shop", "release", "web");
        index = ComponentIndex.of(new DirectoryFiles(root));
        byte[] body = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", BEFORE, AFTER));
        WebhookMatch.Result r = WebhookMatch.of(Provider.BITBUCKET, Headers.of(Payloads.bitbucketHeaders("repo:push",
                SECRET, body)), body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(names(r)).containsExactlyInAnyOrder("bb/bb-api", "bb/bb-web");
        assertThat(r.matches()).allSatisfy(m -> assertThat(m.allPaths()).isTrue());
        assertThat(r.matches().get(0).commitUrl()).isEqualTo("https://bitbucket.org/acme/shop/commits/" + AFTER);
        assertThat(r.delivery().id()).isEqualTo("afe3ce0f-8c9d-4f8e-9b3e-2c1c0d3f6a11");

        byte[] closed = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", BEFORE, null));
        assertThat(WebhookMatch.of(Provider.BITBUCKET, Headers.of(Payloads.bitbucketHeaders("repo:push", SECRET,
                closed)), closed).secret(Secret.of(SECRET)).components(index).call().matches()).isEmpty();
        byte[] tag = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "tag", "main", null, AFTER));
        assertThat(WebhookMatch.of(Provider.BITBUCKET, Headers.of(Payloads.bitbucketHeaders("repo:push", SECRET,
                tag)), tag).secret(Secret.of(SECRET)).components(index).call().matches()).isEmpty();
    }

    @Test
    void bitbucketDataCenterRefsChangedMatchesSshAndHttpCloneUrls() {
        WebhookFixtures.component(root, "dc", "ssh", true, "ssh://git@bitbucket.acme.test:7999/shop/store.git", null,
                "a");
        WebhookFixtures.component(root, "dc", "http", true, "https://bitbucket.acme.test/scm/shop/store.git", null, "b");
        index = ComponentIndex.of(new DirectoryFiles(root));
        byte[] body = Payloads.bytes(Payloads.bitbucketDataCenter("bitbucket.acme.test", "SHOP", "store", "BRANCH",
                "main", "UPDATE", BEFORE, AFTER));
        Map<String, String> h = new HashMap<>(Payloads.bitbucketHeaders("repo:refs_changed", SECRET, body));
        h.remove("X-Request-UUID");
        h.put("X-Request-Id", "dc-delivery-1");
        WebhookMatch.Result r = WebhookMatch.of(Provider.BITBUCKET, Headers.of(h), body).secret(Secret.of(SECRET))
                .components(index).call();
        assertThat(names(r)).containsExactlyInAnyOrder("dc/ssh", "dc/http");
        assertThat(r.delivery().id()).isEqualTo("dc-delivery-1");
        assertThat(r.matches().get(0).commitUrl())
                .isEqualTo("https://bitbucket.acme.test/projects/SHOP/repos/store/commits/" + AFTER);

        byte[] del = Payloads.bytes(Payloads.bitbucketDataCenter("bitbucket.acme.test", "SHOP", "store", "BRANCH",
                "main", "DELETE", BEFORE, Push.ZERO));
        assertThat(WebhookMatch.of(Provider.BITBUCKET, Headers.of(Payloads.bitbucketHeaders("repo:refs_changed",
                SECRET, del)), del).secret(Secret.of(SECRET)).components(index).call().matches()).isEmpty();
    }

    @Test
    void bitbucketLegacyHookUuidWhenNoSecretIsConfigured() {
        byte[] body = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", BEFORE, AFTER));
        Map<String, String> h = new HashMap<>(Payloads.bitbucketHeaders("repo:push", SECRET, body));
        h.remove("X-Hub-Signature");
        WebhookMatch.Result ok = WebhookMatch.of(Provider.BITBUCKET, Headers.of(h), body)
                .hookUuid("{4AB3C1E2-0000-4000-8000-0000000000AA}").components(index).call();
        assertThat(ok.delivery().kind()).isEqualTo(Delivery.Kind.PUSH);
        assertThatThrownBy(() -> WebhookMatch.of(Provider.BITBUCKET, Headers.of(h), body)
                .hookUuid("{00000000-0000-4000-8000-000000000000}").components(index).call())
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("X-Hook-UUID does not match");
        assertThatThrownBy(() -> WebhookMatch.of(Provider.BITBUCKET, Headers.of(h), body).components(index).call())
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("no secret");
    }

    @Test
    void pingsAreAcknowledgedAndOtherEventsIgnored() {
        byte[] body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        WebhookMatch.Result ping = WebhookMatch.of(Provider.GITHUB, Headers.of(Payloads.githubHeaders("ping", SECRET,
                body)), body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(ping.delivery().kind()).isEqualTo(Delivery.Kind.PING);
        assertThat(ping.matches()).isEmpty();
        WebhookMatch.Result issues = WebhookMatch.of(Provider.GITHUB, Headers.of(Payloads.githubHeaders("issues",
                SECRET, body)), body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(issues.delivery().kind()).isEqualTo(Delivery.Kind.IGNORED);
        assertThat(issues.summary()).contains("'issues' is not a push");
        WebhookMatch.Result dcPing = WebhookMatch.of(Provider.BITBUCKET, Headers.of(Payloads.bitbucketHeaders(
                "diagnostics:ping", SECRET, body)), body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(dcPing.delivery().kind()).isEqualTo(Delivery.Kind.PING);
        WebhookMatch.Result mr = WebhookMatch.of(Provider.GITLAB, Headers.of(Payloads.gitlabHeaders(
                "Merge Request Hook", SECRET)), body).secret(Secret.of(SECRET)).components(index).call();
        assertThat(mr.delivery().kind()).isEqualTo(Delivery.Kind.IGNORED);
    }

    // ---- authenticity ----------------------------------------------------------------------------------------

    private static WebhookRejectedException rejected(Provider p, Map<String, String> headers, byte[] body,
            Secret secret) {
        try {
            WebhookMatch.of(p, Headers.of(headers), body).secret(secret).components(ComponentIndex.of(List.of()))
                    .call();
        } catch (WebhookRejectedException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("wrong-secret");
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void githubSignatureWrongMissingMalformedOrNoSecret() {
        byte[] body = Payloads.bytes(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, List.of()));
        Map<String, String> wrong = Payloads.githubHeaders("push", "wrong-secret", body);
        assertThat(rejected(Provider.GITHUB, wrong, body, Secret.of(SECRET)).reason()).isEqualTo(Reason.NOT_AUTHENTIC);
        assertThat(rejected(Provider.GITHUB, wrong, body, Secret.of(SECRET))).hasMessageContaining("does not match");

        Map<String, String> missing = new HashMap<>(Payloads.githubHeaders("push", SECRET, body));
        missing.remove("X-Hub-Signature-256");
        assertThat(rejected(Provider.GITHUB, missing, body, Secret.of(SECRET)))
                .hasMessageContaining("X-Hub-Signature-256 header is missing");

        Map<String, String> sha1 = new HashMap<>(missing);
        sha1.put("X-Hub-Signature-256", "sha1=0123");
        assertThat(rejected(Provider.GITHUB, sha1, body, Secret.of(SECRET))).hasMessageContaining("sha256=<hex>");
        sha1.put("X-Hub-Signature-256", "sha256=zz");
        assertThat(rejected(Provider.GITHUB, sha1, body, Secret.of(SECRET))).hasMessageContaining("hexadecimal");

        Map<String, String> right = Payloads.githubHeaders("push", SECRET, body);
        assertThat(rejected(Provider.GITHUB, right, body, Secret.of(""))).hasMessageContaining("no webhook secret");
        assertThat(rejected(Provider.GITHUB, right, body, null)).hasMessageContaining("no webhook secret");

        byte[] changed = body.clone();
        changed[changed.length - 2] ^= 1;
        assertThat(rejected(Provider.GITHUB, right, changed, Secret.of(SECRET))).hasMessageContaining("does not match");

        Map<String, String> upper = new HashMap<>(right);
        upper.put("x-hub-signature-256", right.get("X-Hub-Signature-256").toUpperCase().replace("SHA256", "sha256"));
        upper.remove("X-Hub-Signature-256");
        assertThat(WebhookMatch.of(Provider.GITHUB, Headers.of(upper), body).secret(Secret.of(SECRET)).verify().kind())
                .isEqualTo(Delivery.Kind.PUSH);
    }

    @Test
    void gitlabTokenWrongMissingOrNoSecret() {
        byte[] body = Payloads.bytes(Payloads.gitlab("acme/shop", "refs/heads/main", BEFORE, AFTER, List.of(), 0));
        assertThat(rejected(Provider.GITLAB, Payloads.gitlabHeaders("Push Hook", "wrong-secret"), body,
                Secret.of(SECRET))).hasMessageContaining("X-Gitlab-Token does not match");
        Map<String, String> missing = new HashMap<>(Payloads.gitlabHeaders("Push Hook", SECRET));
        missing.remove("X-Gitlab-Token");
        assertThat(rejected(Provider.GITLAB, missing, body, Secret.of(SECRET)))
                .hasMessageContaining("X-Gitlab-Token header is missing");
        assertThat(rejected(Provider.GITLAB, Payloads.gitlabHeaders("Push Hook", SECRET), body, Secret.of("")))
                .hasMessageContaining("no webhook secret");
        // A token that is a prefix of the secret is not the secret.
        assertThat(rejected(Provider.GITLAB, Payloads.gitlabHeaders("Push Hook", SECRET.substring(0, 6)), body,
                Secret.of(SECRET)).reason()).isEqualTo(Reason.NOT_AUTHENTIC);
    }

    @Test
    void bitbucketSignatureWrongOrMissing() {
        byte[] body = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", BEFORE, AFTER));
        assertThat(rejected(Provider.BITBUCKET, Payloads.bitbucketHeaders("repo:push", "wrong-secret", body), body,
                Secret.of(SECRET))).hasMessageContaining("X-Hub-Signature does not match");
        Map<String, String> missing = new HashMap<>(Payloads.bitbucketHeaders("repo:push", SECRET, body));
        missing.remove("X-Hub-Signature");
        // With a secret configured the hook UUID is not enough.
        assertThat(rejected(Provider.BITBUCKET, missing, body, Secret.of(SECRET)))
                .hasMessageContaining("X-Hub-Signature header is missing");
    }

    @Test
    void signatureIsCheckedBeforeTheBodyIsParsed() {
        byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(Provider.GITHUB, Payloads.githubHeaders("push", "wrong-secret", garbage), garbage,
                Secret.of(SECRET)).reason()).isEqualTo(Reason.NOT_AUTHENTIC);
    }

    // ---- size and malformed bodies ---------------------------------------------------------------------------

    @Test
    void bodiesOverTheProviderLimitAreRefusedUnread() {
        byte[] mib = new byte[1024 * 1024 + 1];
        assertThat(rejected(Provider.BITBUCKET, Payloads.bitbucketHeaders("repo:push", SECRET, mib), mib,
                Secret.of(SECRET)).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThatThrownBy(() -> WebhookMatch.of(Provider.GITHUB, Headers.of(Map.of()), mib).maxBodyBytes(1024)
                .secret(Secret.of(SECRET)).verify()).isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("exceeds the limit of 1024 bytes");
    }

    @Test
    void aOneMebibyteGithubPushIsReadCompletely() {
        List<String> files = new ArrayList<>();
        for (int i = 0; files.stream().mapToInt(String::length).sum() < 1024 * 1024; i++) {
            files.add("apps/frontend/generated/module-" + i + "/index.generated.ts");
        }
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < files.size(); i += 1000) {
            commits.add(Commit.modified(files.subList(i, Math.min(files.size(), i + 1000)).toArray(String[]::new)));
        }
        ObjectNode payload = Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER, commits);
        assertThat(Payloads.bytes(payload).length).isGreaterThan(1024 * 1024);
        WebhookMatch.Result r = github(payload);
        assertThat(r.delivery().pushes().get(0).paths()).hasSize(files.size());
        assertThat(names(r)).containsExactly("shop/frontend");
        assertThat(r.matches().get(0).matchedPaths()).hasSize(files.size());
    }

    @Test
    void malformedBodiesAreRejectedWithTheReason() {
        for (String bad : List.of("", "not json", "[1,2]", "{\"ref\": 3}", "{\"ref\":\"refs/heads/main\"}",
                "{\"ref\":\"refs/heads/main\",\"before\":\"a\",\"after\":\"b\",\"repository\":{},\"commits\":{}}",
                "{\"ref\":\"refs/heads/main\",\"before\":\"a\",\"after\":\"b\",\"repository\":{},\"commits\":[{\"added\":[1]}]}",
                "{\"a\":1,\"a\":2}", "[".repeat(100) + "]".repeat(100))) {
            byte[] body = bad.getBytes(StandardCharsets.UTF_8);
            WebhookRejectedException e = rejected(Provider.GITHUB, Payloads.githubHeaders("push", SECRET, body), body,
                    Secret.of(SECRET));
            assertThat(e.reason()).as(bad).isEqualTo(Reason.MALFORMED);
            assertThat(e.exitCode()).isEqualTo(2);
        }
        byte[] secretInBody = ("{\"ref\": \"" + SECRET + "\" oops}").getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(Provider.GITHUB, Payloads.githubHeaders("push", SECRET, secretInBody), secretInBody,
                Secret.of(SECRET))).hasMessageContaining("line 1");
        byte[] noChanges = "{\"repository\":{},\"push\":{}}".getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(Provider.BITBUCKET, Payloads.bitbucketHeaders("repo:push", SECRET, noChanges), noChanges,
                Secret.of(SECRET))).hasMessageContaining("push.changes");
    }

    @Test
    void callerGivenComponentList() {
        ComponentIndex given = ComponentIndex.of(List.of(
                new AutoBuildComponent("default", "p", "a", true, "https://github.com/acme/shop", null, "/a", ""),
                new AutoBuildComponent("default", "p", "b", true, "https://github.com/acme/shop", "main", "b", ""),
                new AutoBuildComponent("default", "p", "root", true, "https://github.com/acme/shop", "", "", "")));
        byte[] body = Payloads.bytes(Payloads.github("acme/shop", "refs/heads/main", BEFORE, AFTER,
                List.of(Commit.modified("a/x"))));
        WebhookMatch.Result r = WebhookMatch.of(Provider.GITHUB, Headers.of(Payloads.githubHeaders("push", SECRET,
                body)), body).secret(Secret.of(SECRET)).components(given).call();
        assertThat(names(r)).containsExactly("p/a", "p/root");
        assertThat(r.matches().get(1).matchedPaths()).containsExactly("a/x");
    }
}
