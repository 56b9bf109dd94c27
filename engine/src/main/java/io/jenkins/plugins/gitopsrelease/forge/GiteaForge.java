package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gitea and Forgejo pull requests (API v1). */
final class GiteaForge extends RestForge {
    private final String repo;

    GiteaForge(ForgeSettings settings) {
        super(settings, settings.apiUrl().replaceAll("/+$", "").replaceAll("/api/v1$", "") + "/api/v1");
        this.repo = "/repos/" + settings.repository();
    }

    @Override
    protected Map<String, String> authHeaders() {
        return Map.of("Authorization", "token " + settings.token().reveal());
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(String head, String base) {
        for (int page = 1; page <= 20; page++) {
            JsonNode list = http.get(repo + "/pulls?state=open&limit=50&page=" + page);
            for (JsonNode pr : list) {
                if (head.equals(text(pr, "head", "ref")) && base.equals(text(pr, "base", "ref"))) {
                    return Optional.of(map(pr));
                }
            }
            if (list.size() < 50) {
                break;
            }
        }
        return Optional.empty();
    }

    @Override
    public PullRequest createPullRequest(NewPullRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("head", r.head());
        body.put("base", r.base());
        // Gitea marks work-in-progress by title prefix.
        body.put("title", r.draft() ? "WIP: " + r.title() : r.title());
        body.put("body", r.body());
        return map(http.post(repo + "/pulls", body));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        return map(http.patch(repo + "/pulls/" + pr.number(), Map.of("title", title, "body", body)));
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        // The issue-labels API takes label ids; resolve names against the repository's labels.
        JsonNode all = http.get(repo + "/labels?limit=50");
        List<Long> ids = new ArrayList<>();
        for (String name : labels) {
            Long id = null;
            for (JsonNode l : all) {
                if (name.equals(text(l, "name"))) {
                    id = l.path("id").asLong();
                }
            }
            if (id == null) {
                throw InvalidInputException.invalid("--label", name, "no such label in " + settings.repository()
                        + " on Gitea: create it first");
            }
            ids.add(id);
        }
        http.post(repo + "/issues/" + pr.number() + "/labels", Map.of("labels", ids));
    }

    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        http.post(repo + "/pulls/" + pr.number() + "/requested_reviewers", Map.of("reviewers", reviewers));
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        http.post(repo + "/pulls/" + pr.number() + "/merge", Map.of("Do", "merge", "merge_when_checks_succeed", true));
    }

    @Override
    public PullRequest getPullRequest(long number) {
        return map(http.get(repo + "/pulls/" + number));
    }

    private PullRequest map(JsonNode pr) {
        boolean merged = pr.path("merged").asBoolean(false);
        PullRequest.State s = merged ? PullRequest.State.MERGED
                : "open".equals(text(pr, "state")) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        return new PullRequest(pr.path("number").asLong(), text(pr, "html_url"), s, text(pr, "head", "ref"),
                text(pr, "base", "ref"), merged ? text(pr, "merge_commit_sha") : null, null);
    }
}
