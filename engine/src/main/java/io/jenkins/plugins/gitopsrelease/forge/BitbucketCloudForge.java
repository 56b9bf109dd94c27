package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bitbucket Cloud pull requests (API 2.0). It has no PR labels and no auto-merge API. */
final class BitbucketCloudForge extends RestForge {
    private final String repo;

    BitbucketCloudForge(ForgeSettings settings) {
        super(settings, settings.apiUrl());
        this.repo = "/repositories/" + settings.repository();
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
        String q = "source.branch.name=\"" + head + "\" AND destination.branch.name=\"" + base + "\"";
        JsonNode page = http.get(repo + "/pullrequests?state=OPEN&q=" + enc(q));
        for (JsonNode pr : page.path("values")) {
            if (head.equals(text(pr, "source", "branch", "name"))) {
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
        body.put("source", Map.of("branch", Map.of("name", r.head())));
        body.put("destination", Map.of("branch", Map.of("name", r.base())));
        body.put("close_source_branch", true);
        body.put("draft", r.draft());
        return map(http.post(repo + "/pullrequests", body));
    }

    @Override
    public PullRequest updatePullRequest(PullRequest pr, String title, String body) {
        return map(http.put(repo + "/pullrequests/" + pr.number(), Map.of("title", title, "description", body)));
    }

    @Override
    public void addLabels(PullRequest pr, List<String> labels) {
        throw InvalidInputException.invalid("--label", String.join(",", labels), "Bitbucket Cloud pull requests have"
                + " no labels: drop --label");
    }

    /** Reviewers are account UUIDs ({...}) or account ids. */
    @Override
    public void requestReviewers(PullRequest pr, List<String> reviewers) {
        JsonNode current = http.get(repo + "/pullrequests/" + pr.number());
        List<Map<String, String>> list = reviewers.stream()
                .map(r -> r.startsWith("{") ? Map.of("uuid", r) : Map.of("account_id", r)).toList();
        http.put(repo + "/pullrequests/" + pr.number(), Map.of("title", text(current, "title"), "reviewers", list));
    }

    @Override
    public void enableAutoMerge(PullRequest pr) {
        throw InvalidInputException.invalid("--auto-merge", true, "Bitbucket Cloud has no auto-merge API: drop"
                + " --auto-merge and merge the PR yourself (--wait-merge waits for it)");
    }

    @Override
    public PullRequest getPullRequest(long number) {
        return map(http.get(repo + "/pullrequests/" + number));
    }

    private PullRequest map(JsonNode pr) {
        String state = text(pr, "state");
        PullRequest.State s = "MERGED".equals(state) ? PullRequest.State.MERGED
                : "OPEN".equals(state) ? PullRequest.State.OPEN : PullRequest.State.CLOSED;
        return new PullRequest(pr.path("id").asLong(), text(pr, "links", "html", "href"), s,
                text(pr, "source", "branch", "name"), text(pr, "destination", "branch", "name"),
                s == PullRequest.State.MERGED ? text(pr, "merge_commit", "hash") : null, null);
    }
}
