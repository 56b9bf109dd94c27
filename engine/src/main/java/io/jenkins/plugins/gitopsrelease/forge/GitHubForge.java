package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHUser;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * GitHub and GitHub Enterprise through github-api; auto-merge through GraphQL
 * ({@code enablePullRequestAutoMerge}), which the REST API does not offer.
 */
final class GitHubForge implements Forge {
    private final ForgeSettings settings;
    private final String owner;
    private final ForgeHttp graphql;
    private final AtomicInteger limitRetries = new AtomicInteger();
    private GHRepository repo;
    private GitHub gh;

    GitHubForge(ForgeSettings settings) {
        this.settings = settings;
        this.owner = settings.repository().substring(0, settings.repository().indexOf('/'));
        String api = settings.apiUrl().replaceAll("/+$", "");
        String graphqlUrl = api.endsWith("/api/v3") ? api.substring(0, api.length() - 3) + "graphql" : api + "/graphql";
        this.graphql = new ForgeHttp(name(), graphqlUrl,
                () -> Map.of("Authorization", "Bearer " + settings.token().reveal()), settings.limits());
    }

    @Override
    public String name() {
        return settings.kind().title();
    }

    private synchronized GHRepository repo() {
        limitRetries.set(0);
        if (repo == null) {
            repo = call("GET /repos/" + settings.repository(), () -> {
                GitHubBuilder b = new GitHubBuilder().withEndpoint(settings.apiUrl())
                        .withRateLimitHandler(new RateLimit()).withAbuseLimitHandler(new AbuseLimit());
                // With a login, github-api skips its GET /user probe.
                b = settings.username() != null ? b.withOAuthToken(settings.token().reveal(), settings.username())
                        : b.withOAuthToken(settings.token().reveal());
                gh = b.build();
                return gh.getRepository(settings.repository());
            });
        }
        return repo;
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(String head, String base) {
        GHRepository r = repo();
        return call("GET /repos/" + settings.repository() + "/pulls", () -> {
            List<GHPullRequest> prs = r.queryPullRequests().state(GHIssueState.OPEN).head(owner + ":" + head)
                    .base(base).list().toList();
            return prs.stream().filter(p -> head.equals(p.getHead().getRef())).findFirst().map(this::map);
        });
    }

    @Override
    public PullRequest createPullRequest(NewPullRequest req) {
        GHRepository r = repo();
        return call("POST /repos/" + settings.repository() + "/pulls",
                () -> map(r.createPullRequest(req.title(), req.head(), req.base(), req.body(), true, req.draft())));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        GHRepository r = repo();
        return call("PATCH /repos/" + settings.repository() + "/pulls/" + pr.number(), () -> {
            GHPullRequest p = r.getPullRequest((int) pr.number());
            p.setTitle(title);
            p.setBody(body);
            return map(r.getPullRequest((int) pr.number()));
        });
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        GHRepository r = repo();
        call("POST /repos/" + settings.repository() + "/issues/" + pr.number() + "/labels", () -> {
            r.getIssue((int) pr.number()).addLabels(labels.toArray(String[]::new));
            return null;
        });
    }

    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        GHRepository r = repo();
        call("POST /repos/" + settings.repository() + "/pulls/" + pr.number() + "/requested_reviewers", () -> {
            List<GHUser> users = new ArrayList<>();
            for (String login : reviewers) {
                users.add(gh.getUser(login));
            }
            r.getPullRequest((int) pr.number()).requestReviewers(users);
            return null;
        });
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        String nodeId = pr.nodeId();
        if (nodeId == null) {
            nodeId = getPullRequest(pr.number()).nodeId();
        }
        Map<String, Object> body = Map.of(
                "query", "mutation($id: ID!) { enablePullRequestAutoMerge(input: {pullRequestId: $id}) {"
                        + " pullRequest { number autoMergeRequest { enabledAt } } } }",
                "variables", Map.of("id", nodeId));
        JsonNode res = graphql.post("", body);
        JsonNode errors = res.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new OperationFailedException("GitHub refused auto-merge for PR #" + pr.number() + ": "
                    + errors.get(0).path("message").asText() + " (enable 'Allow auto-merge' in the repository settings"
                    + " and protect the base branch with required checks)");
        }
    }

    @Override
    public PullRequest getPullRequest(long number) {
        GHRepository r = repo();
        return call("GET /repos/" + settings.repository() + "/pulls/" + number,
                () -> map(r.getPullRequest((int) number)));
    }

    private PullRequest map(GHPullRequest p) {
        try {
            PullRequest.State state;
            String mergeSha = null;
            if (p.getState() == GHIssueState.OPEN) {
                state = PullRequest.State.OPEN;
            } else if (p.isMerged()) {
                state = PullRequest.State.MERGED;
                mergeSha = p.getMergeCommitSha();
            } else {
                state = PullRequest.State.CLOSED;
            }
            return new PullRequest(p.getNumber(), p.getHtmlUrl() == null ? null : p.getHtmlUrl().toString(), state,
                    p.getHead() == null ? null : p.getHead().getRef(), p.getBase() == null ? null : p.getBase().getRef(),
                    mergeSha, p.getNodeId());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    interface IoCall<T> {
        T run() throws IOException;
    }

    private <T> T call(String what, IoCall<T> c) {
        try {
            return c.run();
        } catch (HttpException e) {
            throw failure(what, e);
        } catch (IOException e) {
            throw failure(what, e);
        } catch (ForgeApiException e) {
            throw e;
        } catch (java.io.UncheckedIOException e) {
            throw failure(what, e.getCause());
        }
    }

    private RuntimeException failure(String what, IOException e) {
        if (e instanceof HttpException h && h.getResponseCode() >= 200 && h.getResponseCode() < 300) {
            // github-api reports a body it cannot map as an HttpException carrying the (successful) status.
            return new OperationFailedException(name() + " API " + what + " answered HTTP " + h.getResponseCode()
                    + " with a body that is not the expected JSON: is --forge-url " + settings.apiUrl()
                    + " the API endpoint (not a web page or proxy)?", e);
        }
        if (e instanceof HttpException h) {
            return ForgeHttp.error(name(), what, h.getResponseCode(), h.getMessage(),
                    List.of(settings.token().reveal()));
        }
        if (e instanceof org.kohsuke.github.GHFileNotFoundException) {
            return ForgeHttp.error(name(), what, 404, "Not Found", List.of());
        }
        if (e.getCause() instanceof HttpException h) {
            return failure(what, h);
        }
        String msg = String.valueOf(e.getMessage()).replace(settings.token().reveal(), "****");
        return new OperationFailedException(name() + " API " + what + " failed: " + ForgeHttp.excerpt(msg)
                + " (is --forge-url " + settings.apiUrl() + " right and reachable?)", e);
    }

    /** Waits what GitHub asks (Retry-After or the reset time), bounded like the other forges. */
    private void waitOrFail(GitHubConnectorResponse res) throws IOException {
        Duration wait;
        String retryAfter = res.header("Retry-After");
        if (retryAfter != null) {
            wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } else {
            String reset = res.header("X-RateLimit-Reset");
            long seconds = reset == null ? 60 : Long.parseLong(reset.trim()) - java.time.Instant.now().getEpochSecond();
            wait = Duration.ofSeconds(Math.max(1, seconds));
        }
        int n = limitRetries.incrementAndGet();
        ForgeSettings.Limits l = settings.limits();
        if (n > l.maxRetries() || wait.compareTo(l.maxRateLimitWait()) > 0) {
            throw new HttpException("GitHub rate limit: asked to wait " + wait.toSeconds() + "s, beyond the limit of "
                    + l.maxRateLimitWait().toSeconds() + "s or " + l.maxRetries() + " retries; retry later",
                    res.statusCode(), "rate limited", res.request().url().toString());
        }
        l.sleeper().sleep(wait);
    }

    private final class RateLimit extends GitHubRateLimitHandler {
        @Override
        public void onError(GitHubConnectorResponse res) throws IOException {
            waitOrFail(res);
        }
    }

    private final class AbuseLimit extends GitHubAbuseLimitHandler {
        @Override
        public void onError(GitHubConnectorResponse res) throws IOException {
            waitOrFail(res);
        }
    }
}
