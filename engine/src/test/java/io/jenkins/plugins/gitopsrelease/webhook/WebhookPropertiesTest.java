package io.jenkins.plugins.gitopsrelease.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Generated-input tests for the URL normaliser, the event parsers and the appPath matching. */
class WebhookPropertiesTest {
    private static final String SECRET = "prop-secret";

    @Provide
    Arbitrary<String> segment() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', 'A', 'Z', '0', '9')
                .ofMinLength(1).ofMaxLength(12).filter(s -> !s.equals(".") && !s.equals("..") && !s.endsWith(".git")
                        && !s.endsWith("."));
    }

    @Provide
    Arbitrary<String> host() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                .list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l) + ".test");
    }

    @Provide
    Arbitrary<List<String>> repoPath() {
        return segment().list().ofMinSize(1).ofMaxSize(3);
    }

    @Property
    void sshHttpsCaseAndDotGitFormsOfOneRepositoryNormaliseAlike(@ForAll("host") String host,
            @ForAll("repoPath") List<String> path, @ForAll boolean upper) {
        String p = String.join("/", path);
        String h = upper ? host.toUpperCase(Locale.ROOT) : host;
        String expected = RepoUrls.normalize("https://" + host + "/" + p);
        assertThat(expected).isEqualTo(("https://" + host + "/" + p).toLowerCase(Locale.ROOT));
        for (String form : List.of("https://" + h + "/" + p + ".git", "http://" + h + "/" + p + "/",
                "git@" + h + ":" + p + ".git", "ssh://git@" + h + ":7999/" + p + ".git", "ssh://" + h + "/" + p,
                "git+ssh://git@" + h + "/" + p, "https://user@" + h + ":443/" + p, "  https://" + h + "//" + p + "  ",
                "git://" + h + "/" + p + ".git")) {
            assertThat(RepoUrls.normalize(form)).as(form).isEqualTo(expected);
        }
    }

    @Property
    void normaliseIsIdempotentAndNeverThrows(@ForAll String any) {
        String once = RepoUrls.normalize(any);
        assertThat(RepoUrls.normalize(once)).isEqualTo(once);
        assertThat(once).doesNotEndWith(".git").doesNotEndWith("/");
        assertThat(once).isEqualTo(once.toLowerCase(Locale.ROOT));
    }

    @Property
    void differentRepositoriesStayDifferent(@ForAll("host") String host, @ForAll("repoPath") List<String> a,
            @ForAll("repoPath") List<String> b) {
        String pa = String.join("/", a).toLowerCase(Locale.ROOT);
        String pb = String.join("/", b).toLowerCase(Locale.ROOT);
        boolean same = RepoUrls.normalize("https://" + host + "/" + pa).equals(RepoUrls.normalize("git@" + host + ":"
                + pb));
        assertThat(same).isEqualTo(pa.equals(pb));
    }

    /** Arbitrary bytes, signed correctly: the parsers either read a delivery or reject it as malformed. */
    @Property(tries = 300)
    void parsersNeverFailOtherwiseOnArbitraryBodies(@ForAll byte[] body, @ForAll("providerEvent") String[] pe) {
        Provider p = Provider.of(pe[0]);
        Map<String, String> h = switch (p) {
            case GITHUB -> Payloads.githubHeaders(pe[1], SECRET, body);
            case GITLAB -> Payloads.gitlabHeaders(pe[1], SECRET);
            case BITBUCKET -> Payloads.bitbucketHeaders(pe[1], SECRET, body);
        };
        try {
            Delivery d = WebhookMatch.of(p, Headers.of(h), body).secret(Secret.of(SECRET)).verify();
            assertThat(d.provider()).isEqualTo(p);
        } catch (WebhookRejectedException e) {
            assertThat(e.reason()).isIn(WebhookRejectedException.Reason.MALFORMED,
                    WebhookRejectedException.Reason.TOO_LARGE);
        }
    }

    @Provide
    Arbitrary<String[]> providerEvent() {
        return Arbitraries.of(new String[] {"github", "push"}, new String[] {"github", "ping"},
                new String[] {"gitlab", "Push Hook"}, new String[] {"gitlab", "Tag Push Hook"},
                new String[] {"bitbucket", "repo:push"}, new String[] {"bitbucket", "repo:refs_changed"});
    }

    /** JSON-shaped mutations of a real push: any field replaced by another JSON type. */
    @Property(tries = 300)
    void parsersRejectWrongFieldTypesAsMalformed(@ForAll("field") String field, @ForAll("jsonValue") Object value,
            @ForAll boolean gitlab) {
        ObjectNode payload = gitlab
                ? Payloads.gitlab("a/b", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                        List.of(Commit.modified("x")), 1)
                : Payloads.github("a/b", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                        List.of(Commit.modified("x")));
        payload.putPOJO(field, value);
        byte[] body = Payloads.bytes(payload);
        Provider p = gitlab ? Provider.GITLAB : Provider.GITHUB;
        Map<String, String> h = gitlab ? Payloads.gitlabHeaders("Push Hook", SECRET)
                : Payloads.githubHeaders("push", SECRET, body);
        try {
            WebhookMatch.of(p, Headers.of(h), body).secret(Secret.of(SECRET)).verify();
        } catch (WebhookRejectedException e) {
            assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.MALFORMED);
            assertThat(e.getMessage()).doesNotContain(SECRET);
        }
    }

    @Provide
    Arbitrary<String> field() {
        return Arbitraries.of("ref", "before", "after", "repository", "project", "commits", "deleted",
                "total_commits_count", "head_commit");
    }

    @Provide
    Arbitrary<Object> jsonValue() {
        return Arbitraries.oneOf(Arbitraries.integers().map(i -> (Object) i), Arbitraries.strings().ofMaxLength(5)
                .map(s -> (Object) s), Arbitraries.just((Object) List.of(1, "x")), Arbitraries.just((Object) Map.of(
                        "k", 1)), Arbitraries.just((Object) Boolean.TRUE));
    }

    /** What a generated push holds comes back out of the parser: branch, commits and every path. */
    @Property(tries = 200)
    void generatedPushesRoundTrip(@ForAll("paths") List<List<String>> commits, @ForAll("segment") String branch,
            @ForAll boolean gitlab) {
        List<Commit> cs = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>();
        for (List<String> c : commits) {
            int third = c.size() / 3;
            cs.add(new Commit(c.subList(0, third), c.subList(third, 2 * third), c.subList(2 * third, c.size())));
            all.addAll(c);
        }
        ObjectNode payload = gitlab
                ? Payloads.gitlab("grp/app", "refs/heads/" + branch, Payloads.BEFORE, Payloads.AFTER, cs, cs.size())
                : Payloads.github("org/app", "refs/heads/" + branch, Payloads.BEFORE, Payloads.AFTER, cs);
        byte[] body = Payloads.bytes(payload);
        Provider p = gitlab ? Provider.GITLAB : Provider.GITHUB;
        Map<String, String> h = gitlab ? Payloads.gitlabHeaders("Push Hook", SECRET)
                : Payloads.githubHeaders("push", SECRET, body);
        Delivery d = WebhookMatch.of(p, Headers.of(h), body).secret(Secret.of(SECRET)).verify();
        Push push = d.pushes().get(0);
        assertThat(push.branch()).isEqualTo(branch);
        assertThat(push.after()).isEqualTo(Payloads.AFTER);
        assertThat(push.paths()).containsExactlyElementsOf(all);
        assertThat(push.pathsComplete()).isEqualTo(!cs.isEmpty());
        assertThat(push.triggersBuilds()).isTrue();
    }

    @Provide
    Arbitrary<List<List<String>>> paths() {
        return segment().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l)).list().ofMaxSize(9).list()
                .ofMaxSize(5);
    }

    /** The indexed matching agrees with the obvious definition (some path equals appPath or lies below it). */
    @Property(tries = 300)
    void appPathMatchingAgreesWithTheDefinition(@ForAll("appPaths") @Size(max = 20) List<String> appPaths,
            @ForAll("pushPaths") @Size(max = 30) List<String> pushed) {
        List<AutoBuildComponent> cs = new ArrayList<>();
        for (int i = 0; i < appPaths.size(); i++) {
            cs.add(new AutoBuildComponent("ns", "p", "c" + i, true, "https://h.test/o/r", "main", appPaths.get(i), ""));
        }
        Push push = new Push(Provider.GITHUB, "o/r", List.of("https://h.test/o/r.git"), "refs/heads/main", "main",
                false, false, Payloads.BEFORE, Payloads.AFTER, pushed, List.of(), List.of(), true, "");
        List<String> got = ComponentIndex.of(cs).match(push).stream().map(ComponentMatch::component).toList();
        List<String> want = new ArrayList<>();
        for (AutoBuildComponent c : cs) {
            String a = c.appPath();
            if (pushed.stream().anyMatch(x -> a.isEmpty() || x.equals(a) || x.startsWith(a + "/"))) {
                want.add(c.component());
            }
        }
        assertThat(got).containsExactlyElementsOf(want);
    }

    @Provide
    Arbitrary<List<String>> appPaths() {
        Arbitrary<String> seg = Arbitraries.of("a", "b", "a-b", "a.b", "ab", "c");
        return Combinators.combine(seg.list().ofMinSize(0).ofMaxSize(3), Arbitraries.of("", "/", "./"),
                Arbitraries.of("", "/")).as((l, pre, post) -> pre + String.join("/", l) + post).list();
    }

    @Provide
    Arbitrary<List<String>> pushPaths() {
        return Arbitraries.of("a", "b", "a-b", "a.b", "ab", "c", "a/", "b0").list().ofMinSize(1).ofMaxSize(4)
                .map(l -> String.join("/", l).replace("//", "/")).list();
    }

    @Property(tries = 100)
    void rejectionReasonsNeverHoldTheSecret(@ForAll("segment") String secret, @ForAll byte[] body,
            @ForAll boolean gitlab) {
        String canary = "canary-" + secret;
        Map<String, String> h = gitlab ? Payloads.gitlabHeaders("Push Hook", canary + "x")
                : Payloads.githubHeaders("push", canary + "x", body);
        try {
            WebhookMatch.of(gitlab ? Provider.GITLAB : Provider.GITHUB, Headers.of(h), body)
                    .secret(Secret.of(canary)).verify();
            throw new AssertionError("a wrong secret was accepted");
        } catch (WebhookRejectedException e) {
            assertThat(e.getMessage()).doesNotContain(canary);
            assertThat(e.reason()).isEqualTo(WebhookRejectedException.Reason.NOT_AUTHENTIC);
        }
    }
}
