package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bitbucket Data Center / Server pull requests (REST 1.0). No labels; auto-merge is not mapped. */
final class BitbucketServerForge extends RestForge {
    private final String repo;

    BitbucketServerForge(ForgeSettings settings) {
        super(settings, settings.apiUrl().replaceAll("/+$", "") + "/rest/api/1.0");
        String[] parts = settings.repository().split("/", 2);
        this.repo = "/projects/" + enc(parts[0]) + "/repos/" + enc(parts[1]);
    }

    @Override
    public boolean supportsLabels() {
        return false;
    }

    @Override
    public boolean supportsAutoMerge() {
        return false;
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(String head, String base) {
        JsonNode page = http.get(repo + "/pull-requests?state=OPEN&direction=OUTGOING&at=" + enc("refs/heads/" + head));
        for (JsonNode pr : page.path("values")) {
            if (head.equals(text(pr, "fromRef", "displayId")) && base.equals(text(pr, "toRef", "displayId"))) {
                return Optional.of(map(pr));
            }
        }
        return Optional.empty();
    }

    @Override
    public PullRequest createPullRequest(NewPullRequest r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", r.title());
        body.put("description", r.body());
        body.put("fromRef", Map.of("id", "refs/heads/" + r.head()));
        body.put("toRef", Map.of("id", "refs/heads/" + r.base()));
        if (r.draft()) {
            body.put("draft", true);
        }
        return map(http.post(repo + "/pull-requests", body));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        // Updates must name the version they change (optimistic locking).
        JsonNode current = http.get(repo + "/pull-requests/" + pr.number());
        return map(http.put(repo + "/pull-requests/" + pr.number(), Map.of("version", current.path("version").asInt(),
                "title", title, "description", body)));
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        throw InvalidInputException.invalid("--label", String.join(",", labels), "Bitbucket Data Center pull requests"
                + " have no labels: drop --label");
    }

    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        for (String user : reviewers) {
            http.post(repo + "/pull-requests/" + pr.number() + "/participants",
                    Map.of("user", Map.of("name", user), "role", "REVIEWER"));
        }
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        throw InvalidInputException.invalid("--auto-merge", true, "auto-merge is not supported on Bitbucket Data"
                + " Center here: drop --auto-merge and merge the PR yourself (--wait-merge waits for it)");
    }

    @Override
    public PullRequest getPullRequest(long number) {
        return map(http.get(repo + "/pull-requests/" + number));
    }

    private PullRequest map(JsonNode pr) {
        String state = text(pr, "state");
        PullRequest.State s = "MERGED".equals(state) ? PullRequest.State.MERGED
                : "OPEN".equals(state) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        JsonNode self = pr.path("links").path("self");
        String url = self.isArray() && !self.isEmpty() ? text(self.get(0), "href") : null;
        return new PullRequest(pr.path("id").asLong(), url, s, text(pr, "fromRef", "displayId"),
                text(pr, "toRef", "displayId"),
                s == PullRequest.State.MERGED ? text(pr, "properties", "mergeCommit", "id") : null, null);
    }
}
