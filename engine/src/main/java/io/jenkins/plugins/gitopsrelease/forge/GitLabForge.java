package io.jenkins.plugins.gitopsrelease.forge;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AcceptMergeRequestParams;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestFilter;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.User;
import org.gitlab4j.models.Constants;
import org.gitlab4j.models.GitLabForm;

/**
 * GitLab merge requests through gitlab4j-api (API v4). gitlab4j's {@link GitLabApiException} carries the response
 * headers, so rate limits are waited out like on the other forges: Retry-After (or RateLimit-Reset) when GitLab sends
 * it, else exponential backoff, both bounded by {@link ForgeSettings.Limits}.
 */
final class GitLabForge implements Forge {
    private static final int CONNECT_TIMEOUT_MS = 20_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    private final ForgeSettings settings;
    private final String hostUrl;
    /** The project as gitlab4j puts it in URLs; used in messages so they name the call like the other forges. */
    private final String projectPath;
    private GitLabApi api;
    private Long projectId;

    GitLabForge(ForgeSettings settings) {
        this.settings = settings;
        // gitlab4j appends /api/v4 itself.
        this.hostUrl = settings.apiUrl().replaceAll("/+$", "").replaceAll("/api/v4$", "");
        this.projectPath = "/projects/" + ForgeHttp.enc(settings.repository());
    }

    @Override
    public String name() {
        return settings.kind().title();
    }

    /** Created on first use: building the Jersey client is not free and many runs never reach the forge. */
    private synchronized GitLabApi api() {
        if (api == null) {
            // Request/response logging stays off (gitlab4j's default): it would print the PRIVATE-TOKEN header.
            GitLabApi a = new GitLabApi(hostUrl, settings.token().reveal());
            a.setRequestTimeout(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
            api = a;
        }
        return api;
    }

    /** The merge-request filter takes the numeric id only, so the path is resolved once. */
    private synchronized long projectId() {
        if (projectId == null) {
            projectId = call("GET " + projectPath, () -> api().getProjectApi().getProject(settings.repository()))
                    .getId();
        }
        return projectId;
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(String head, String base) {
        MergeRequestFilter filter = new MergeRequestFilter().withProjectId(projectId())
                .withState(Constants.MergeRequestState.OPENED).withSourceBranch(head).withTargetBranch(base);
        List<MergeRequest> found = call("GET " + projectPath + "/merge_requests",
                () -> api().getMergeRequestApi().getMergeRequests(filter, 1, 20));
        return found.stream().filter(mr -> head.equals(mr.getSourceBranch())).findFirst().map(GitLabForge::map);
    }

    @Override
    public PullRequest createPullRequest(NewPullRequest r) {
        MergeRequestParams params = new MergeRequestParams().withSourceBranch(r.head()).withTargetBranch(r.base())
                // GitLab's own draft marker: a title prefix.
                .withTitle(r.draft() ? "Draft: " + r.title() : r.title()).withDescription(r.body())
                .withRemoveSourceBranch(true);
        return map(call("POST " + projectPath + "/merge_requests",
                () -> api().getMergeRequestApi().createMergeRequest(settings.repository(), params)));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        MergeRequestParams params = new MergeRequestParams().withTitle(title).withDescription(body);
        return map(call("PUT " + projectPath + "/merge_requests/" + pr.number(),
                () -> api().getMergeRequestApi().updateMergeRequest(settings.repository(), pr.number(), params)));
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        // add_labels keeps the labels people put on the MR; gitlab4j's withLabels would replace them.
        MergeRequestParams params = new AddLabels(labels);
        call("PUT " + projectPath + "/merge_requests/" + pr.number(),
                () -> api().getMergeRequestApi().updateMergeRequest(settings.repository(), pr.number(), params));
    }

    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        List<Long> ids = new ArrayList<>();
        for (String username : reviewers) {
            User user = call("GET /users", () -> api().getUserApi().getUser(username));
            if (user == null) {
                throw InvalidInputException.invalid("--reviewer", username, "no such GitLab user");
            }
            ids.add(user.getId());
        }
        MergeRequestParams params = new MergeRequestParams().withReviewerIds(ids);
        call("PUT " + projectPath + "/merge_requests/" + pr.number(),
                () -> api().getMergeRequestApi().updateMergeRequest(settings.repository(), pr.number(), params));
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        AcceptMergeRequestParams params = new AutoMerge().withMergeWhenPipelineSucceeds(true);
        call("PUT " + projectPath + "/merge_requests/" + pr.number() + "/merge",
                () -> api().getMergeRequestApi().acceptMergeRequest(settings.repository(), pr.number(), params));
    }

    @Override
    public PullRequest getPullRequest(long number) {
        return map(call("GET " + projectPath + "/merge_requests/" + number,
                () -> api().getMergeRequestApi().getMergeRequest(settings.repository(), number)));
    }

    static PullRequest map(MergeRequest mr) {
        String state = mr.getState();
        PullRequest.State s = "merged".equals(state) ? PullRequest.State.MERGED
                : "opened".equals(state) || "locked".equals(state) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        String sha = null;
        if (s == PullRequest.State.MERGED) {
            sha = mr.getMergeCommitSha();
            if (sha == null) {
                sha = mr.getSquashCommitSha();
            }
            if (sha == null) {
                // Fast-forward merges have no merge commit: the head commit is what landed.
                sha = mr.getSha();
            }
        }
        return new PullRequest(mr.getIid() == null ? 0 : mr.getIid(), mr.getWebUrl(), s, mr.getSourceBranch(),
                mr.getTargetBranch(), sha, null);
    }

    interface GitLabCall<T> {
        T run() throws GitLabApiException;
    }

    /**
     * Runs a gitlab4j call, waiting out rate limits within the bounds and turning every failure into the messages
     * the other forges give (forge, call, status; never the token).
     */
    private <T> T call(String what, GitLabCall<T> c) {
        ForgeSettings.Limits limits = settings.limits();
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            try {
                return c.run();
            } catch (GitLabApiException e) {
                int status = e.getHttpStatus();
                if (status == 0) {
                    throw unreachable(what, e);
                }
                Optional<Duration> wait = rateLimitWait(e, attempt);
                if (wait.isEmpty()) {
                    throw ForgeHttp.error(name(), what, status, e.getMessage(), List.of(settings.token().reveal()));
                }
                Duration w = wait.get();
                if (attempt >= limits.maxRetries() || waited.plus(w).compareTo(limits.maxRateLimitWait()) > 0) {
                    throw ForgeHttp.rateLimited(name(), what, status, w, limits);
                }
                limits.sleeper().sleep(w);
                waited = waited.plus(w);
            } catch (RuntimeException e) {
                if (e instanceof OperationFailedException) {
                    throw e;
                }
                // Jersey's ProcessingException (connection refused, timeout, unreadable body) escapes unwrapped.
                throw unreachable(what, e);
            }
        }
    }

    /**
     * GitLab answers 429 with Retry-After (and RateLimit-Reset); a 403 counts only with those headers. Without any,
     * a 429 is retried after 1, 2, 4... seconds.
     */
    private static Optional<Duration> rateLimitWait(GitLabApiException e, int attempt) {
        var headers = e.getHeaders();
        java.util.function.Function<String, Optional<String>> header = name -> {
            if (headers == null) {
                return Optional.empty();
            }
            // GitLab spells the rate-limit headers without the X- prefix GitHub and Gitea use.
            String v = headers.getFirst(name);
            if (v == null && name.startsWith("X-")) {
                v = headers.getFirst(name.substring(2));
            }
            return Optional.ofNullable(v);
        };
        boolean told = header.apply("Retry-After").isPresent() || header.apply("X-RateLimit-Reset").isPresent();
        if (e.getHttpStatus() == 429 && !told) {
            return Optional.of(Duration.ofSeconds(1L << Math.min(attempt, 6)));
        }
        return ForgeHttp.rateLimitWait(e.getHttpStatus(), header);
    }

    private OperationFailedException unreachable(String what, Exception e) {
        String msg = String.valueOf(e.getMessage()).replace(settings.token().reveal(), "****");
        return new OperationFailedException(name() + " API " + what + " failed: " + ForgeHttp.excerpt(msg)
                + " (is the forge URL " + hostUrl + " right and reachable?)", e);
    }

    /** gitlab4j has no add_labels for merge requests; this adds the field to its update form. */
    private static final class AddLabels extends MergeRequestParams {
        private static final long serialVersionUID = 1L;
        private final String labels;

        AddLabels(List<String> labels) {
            this.labels = String.join(",", labels);
        }

        @Override
        public GitLabForm getForm(boolean isCreate) {
            return super.getForm(isCreate).withParam("add_labels", labels);
        }
    }

    /** auto_merge is the GitLab 17 name; older servers read merge_when_pipeline_succeeds, which gitlab4j sets. */
    private static final class AutoMerge extends AcceptMergeRequestParams {
        private static final long serialVersionUID = 1L;

        @Override
        public GitLabForm getForm() {
            return super.getForm().withParam("auto_merge", true);
        }
    }
}
