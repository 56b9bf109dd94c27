package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab merge requests (API v4). Spoken over REST rather than gitlab4j-api so that rate limits are handled like
 * every other forge (gitlab4j's exceptions do not carry Retry-After).
 */
final class GitLabForge extends RestForge {
    private final String project;

    GitLabForge(ForgeSettings settings) {
        super(settings, settings.apiUrl().replaceAll("/+$", "").replaceAll("/api/v4$", "") + "/api/v4");
        this.project = "/projects/" + enc(settings.repository());
    }

    @Override
    protected Map<String, String> authHeaders() {
        return Map.of("PRIVATE-TOKEN", settings.token().reveal());
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(String head, String base) {
        JsonNode list = http.get(project + "/merge_requests?state=opened&source_branch=" + enc(head)
                + "&target_branch=" + enc(base));
        for (JsonNode mr : list) {
            if (head.equals(text(mr, "source_branch"))) {
                return Optional.of(map(mr));
            }
        }
        return Optional.empty();
    }

    @Override
    public PullRequest createPullRequest(NewPullRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source_branch", r.head());
        body.put("target_branch", r.base());
        body.put("title", r.draft() ? "Draft: " + r.title() : r.title());
        body.put("description", r.body());
        body.put("remove_source_branch", true);
        return map(http.post(project + "/merge_requests", body));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        return map(http.put(project + "/merge_requests/" + pr.number(), Map.of("title", title, "description", body)));
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        http.put(project + "/merge_requests/" + pr.number(), Map.of("add_labels", String.join(",", labels)));
    }

    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        List<Long> ids = new ArrayList<>();
        for (String user : reviewers) {
            JsonNode found = http.get("/users?username=" + enc(user));
            if (!found.isArray() || found.isEmpty()) {
                throw InvalidInputException.invalid("--reviewer", user, "no such GitLab user");
            }
            ids.add(found.get(0).path("id").asLong());
        }
        http.put(project + "/merge_requests/" + pr.number(), Map.of("reviewer_ids", ids));
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        // auto_merge is the GitLab 17 name; older servers read merge_when_pipeline_succeeds.
        http.put(project + "/merge_requests/" + pr.number() + "/merge",
                Map.of("merge_when_pipeline_succeeds", true, "auto_merge", true));
    }

    @Override
    public PullRequest getPullRequest(long number) {
        return map(http.get(project + "/merge_requests/" + number));
    }

    private PullRequest map(JsonNode mr) {
        String state = text(mr, "state");
        PullRequest.State s = "merged".equals(state) ? PullRequest.State.MERGED
                : "opened".equals(state) || "locked".equals(state) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        String sha = null;
        if (s == PullRequest.State.MERGED) {
            sha = text(mr, "merge_commit_sha");
            if (sha == null) {
                sha = text(mr, "squash_commit_sha");
            }
            if (sha == null) {
                // Fast-forward merges have no merge commit: the head commit is what landed.
                sha = text(mr, "sha");
            }
        }
        return new PullRequest(mr.path("iid").asLong(), text(mr, "web_url"), s, text(mr, "source_branch"),
                text(mr, "target_branch"), sha, null);
    }
}
