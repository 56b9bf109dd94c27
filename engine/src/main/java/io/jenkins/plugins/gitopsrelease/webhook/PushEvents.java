package io.jenkins.plugins.gitopsrelease.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each provider's push event (GitHub {@code push}, GitLab {@code Push Hook}/{@code Tag Push Hook}, Bitbucket
 * Cloud {@code repo:push}, Bitbucket Data Center {@code repo:refs_changed}) into {@link Push}es. Called only after
 * the delivery was authenticated. Anything that is not a push is a ping (acknowledged) or ignored, never an error;
 * a push event missing its ref, commits or repository is {@link Reason#MALFORMED}.
 */
public final class PushEvents {
    /** GitHub lists at most 2,048 commits in a push payload; a list that long may have been cut. */
    static final int GITHUB_MAX_COMMITS = 2048;
    /** GitHub caps a commit's file lists (3,000 files, as in its commit API); a list that long may have been cut. */
    static final int GITHUB_MAX_FILES = 3000;
    static final int MAX_NESTING = 64;
    static final int MAX_STRING = 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_STRING).build());
    }

    private PushEvents() {
    }

    /** The provider's delivery id header(s), for duplicate detection and logs. */
    static String deliveryId(Provider p, Headers h) {
        return switch (p) {
            case GITHUB -> h.value("X-GitHub-Delivery");
            case GITLAB -> h.get("X-Gitlab-Event-UUID").orElse(h.value("Idempotency-Key"));
            case BITBUCKET -> h.get("X-Request-UUID").orElse(h.value("X-Request-Id"));
        };
    }

    public static Delivery parse(Provider p, Headers h, byte[] body) {
        String id = deliveryId(p, h);
        return switch (p) {
            case GITHUB -> github(h, body, id);
            case GITLAB -> gitlab(h, body, id);
            case BITBUCKET -> bitbucket(h, body, id);
        };
    }

    // ---- GitHub ------------------------------------------------------------------------------------------------

    private static Delivery github(Headers h, byte[] body, String id) {
        String event = h.value("X-GitHub-Event");
        if (event.equals("ping")) {
            return Delivery.ping(Provider.GITHUB, event, id);
        }
        if (!event.equals("push")) {
            return Delivery.ignored(Provider.GITHUB, event, id, event.isEmpty()
                    ? "no X-GitHub-Event header: not a GitHub event delivery" : "GitHub event '" + event
                    + "' is not a push");
        }
        JsonNode root = object(body);
        String ref = requiredText(root, "ref");
        String before = requiredText(root, "before");
        String after = requiredText(root, "after");
        JsonNode repo = requiredObject(root, "repository");
        JsonNode commits = optionalArray(root, "commits");
        Paths paths = new Paths();
        for (JsonNode c : commits) {
            paths.commit(c, GITHUB_MAX_FILES);
        }
        boolean deleted = root.path("deleted").asBoolean(false) || after.equals(Push.ZERO);
        // No commits listed (a new branch at an existing commit, a force push back) says nothing about files.
        boolean complete = commits.size() > 0 && commits.size() < GITHUB_MAX_COMMITS && !paths.capped;
        String html = text(repo, "html_url");
        String commitUrl = text(root.path("head_commit"), "url");
        if (commitUrl.isEmpty() && !html.isEmpty() && !deleted) {
            commitUrl = html + "/commit/" + after;
        }
        return push(Provider.GITHUB, "push", id, ref, before, after, deleted, paths, complete, commitUrl,
                text(repo, "full_name"), text(repo, "clone_url"), text(repo, "ssh_url"), text(repo, "git_url"), html,
                text(repo, "url"));
    }

    // ---- GitLab ------------------------------------------------------------------------------------------------

    private static Delivery gitlab(Headers h, byte[] body, String id) {
        String event = h.value("X-Gitlab-Event");
        if (!event.equals("Push Hook") && !event.equals("Tag Push Hook")) {
            return Delivery.ignored(Provider.GITLAB, event, id, event.isEmpty()
                    ? "no X-Gitlab-Event header: not a GitLab event delivery" : "GitLab event '" + event
                    + "' is not a push");
        }
        JsonNode root = object(body);
        String ref = requiredText(root, "ref");
        String before = requiredText(root, "before");
        String after = requiredText(root, "after");
        JsonNode project = requiredObject(root, "project");
        JsonNode repository = root.path("repository");
        JsonNode commits = optionalArray(root, "commits");
        Paths paths = new Paths();
        String commitUrl = "";
        for (JsonNode c : commits) {
            paths.commit(c, Integer.MAX_VALUE);
            if (text(c, "id").equals(after)) {
                commitUrl = text(c, "url");
            }
        }
        // GitLab lists at most 20 commits (total_commits_count says how many were pushed).
        JsonNode total = root.get("total_commits_count");
        int pushed = total != null && total.canConvertToInt() ? total.asInt() : commits.size();
        boolean deleted = after.equals(Push.ZERO);
        boolean complete = commits.size() > 0 && commits.size() >= pushed;
        String web = text(project, "web_url");
        if (commitUrl.isEmpty() && !web.isEmpty() && !deleted) {
            commitUrl = web + "/-/commit/" + after;
        }
        return push(Provider.GITLAB, event, id, ref, before, after, deleted, paths, complete, commitUrl,
                text(project, "path_with_namespace"), text(project, "git_http_url"), text(project, "git_ssh_url"), web,
                text(project, "http_url"), text(project, "ssh_url"), text(repository, "git_http_url"),
                text(repository, "git_ssh_url"), text(repository, "homepage"));
    }

    // ---- Bitbucket ---------------------------------------------------------------------------------------------

    private static Delivery bitbucket(Headers h, byte[] body, String id) {
        String event = h.value("X-Event-Key");
        return switch (event) {
            case "diagnostics:ping" -> Delivery.ping(Provider.BITBUCKET, event, id);
            case "repo:push" -> bitbucketCloud(body, id, event);
            case "repo:refs_changed" -> bitbucketDataCenter(body, id, event);
            default -> Delivery.ignored(Provider.BITBUCKET, event, id, event.isEmpty()
                    ? "no X-Event-Key header: not a Bitbucket event delivery" : "Bitbucket event '" + event
                    + "' is not a push");
        };
    }

    private static Delivery bitbucketCloud(byte[] body, String id, String event) {
        JsonNode root = object(body);
        JsonNode repo = requiredObject(root, "repository");
        JsonNode changes = requiredArray(requiredObject(root, "push"), "changes", "push.changes");
        String html = text(repo.path("links").path("html"), "href");
        String fullName = text(repo, "full_name");
        List<Push> pushes = new ArrayList<>();
        for (JsonNode c : changes) {
            if (!c.isObject()) {
                throw malformed("push.changes holds a non-object entry");
            }
            JsonNode neu = c.path("new");
            JsonNode old = c.path("old");
            JsonNode state = neu.isObject() ? neu : old;
            if (!state.isObject()) {
                throw malformed("a push.changes entry has neither 'new' nor 'old'");
            }
            String type = text(state, "type");
            String name = requiredText(state, "name");
            boolean tag = !type.equals("branch");
            boolean deleted = c.path("closed").asBoolean(false) || !neu.isObject();
            String after = deleted ? Push.ZERO : text(neu.path("target"), "hash");
            String before = old.isObject() ? text(old.path("target"), "hash") : Push.ZERO;
            String commitUrl = deleted ? "" : text(neu.path("target").path("links").path("html"), "href");
            if (commitUrl.isEmpty() && !deleted && !html.isEmpty()) {
                commitUrl = html + "/commits/" + after;
            }
            List<String> urls = new ArrayList<>(List.of(html));
            if (!fullName.isEmpty()) {
                urls.add("https://bitbucket.org/" + fullName);
            }
            // Bitbucket Cloud sends no file lists: every component of the repository is touched.
            pushes.add(new Push(Provider.BITBUCKET, fullName, urls, (tag ? "refs/tags/" : "refs/heads/") + name,
                    tag ? "" : name, tag, deleted, before, after, List.of(), List.of(), List.of(), false, commitUrl));
        }
        return new Delivery(Provider.BITBUCKET, Delivery.Kind.PUSH, event, id, pushes, "");
    }

    private static Delivery bitbucketDataCenter(byte[] body, String id, String event) {
        JsonNode root = object(body);
        JsonNode repo = requiredObject(root, "repository");
        JsonNode changes = requiredArray(root, "changes", "changes");
        List<String> urls = new ArrayList<>();
        for (JsonNode l : repo.path("links").path("clone")) {
            urls.add(text(l, "href"));
        }
        String self = "";
        for (JsonNode l : repo.path("links").path("self")) {
            self = text(l, "href");
        }
        String name = text(repo.path("project"), "key") + "/" + text(repo, "slug");
        List<Push> pushes = new ArrayList<>();
        for (JsonNode c : changes) {
            if (!c.isObject()) {
                throw malformed("changes holds a non-object entry");
            }
            String refId = text(c, "refId");
            if (refId.isEmpty()) {
                refId = requiredText(c.path("ref"), "id");
            }
            String before = text(c, "fromHash");
            String after = requiredText(c, "toHash");
            boolean tag = text(c.path("ref"), "type").equals("TAG") || refId.startsWith("refs/tags/");
            boolean deleted = text(c, "type").equals("DELETE") || after.equals(Push.ZERO);
            String branch = !tag && refId.startsWith("refs/heads/") ? refId.substring("refs/heads/".length()) : "";
            String commitUrl = !deleted && self.endsWith("/browse") ? self.substring(0, self.length() - 7)
                    + "/commits/" + after : "";
            pushes.add(new Push(Provider.BITBUCKET, name, urls, refId, branch, tag, deleted, before, after, List.of(),
                    List.of(), List.of(), false, commitUrl));
        }
        return new Delivery(Provider.BITBUCKET, Delivery.Kind.PUSH, event, id, pushes, "");
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    private static Delivery push(Provider p, String event, String id, String ref, String before, String after,
            boolean deleted, Paths paths, boolean complete, String commitUrl, String name, String... urls) {
        boolean tag = ref.startsWith("refs/tags/");
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : "";
        Push push = new Push(p, name, List.of(urls).stream().filter(u -> !u.isEmpty()).toList(), ref, branch, tag,
                deleted, before, after, paths.added, paths.modified, paths.removed, complete, commitUrl);
        return new Delivery(p, Delivery.Kind.PUSH, event, id, List.of(push), "");
    }

    /** Collects the file lists of a push's commits. */
    private static final class Paths {
        final List<String> added = new ArrayList<>();
        final List<String> modified = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        boolean capped;

        void commit(JsonNode c, int cap) {
            if (!c.isObject()) {
                throw malformed("commits holds a non-object entry");
            }
            capped |= list(c, "added", added) >= cap;
            capped |= list(c, "modified", modified) >= cap;
            capped |= list(c, "removed", removed) >= cap;
        }

        private static int list(JsonNode commit, String field, List<String> into) {
            JsonNode a = commit.get(field);
            if (a == null || a.isNull()) {
                return 0;
            }
            if (!a.isArray()) {
                throw malformed("commits[]." + field + " is not a list of paths");
            }
            for (JsonNode p : a) {
                if (!p.isTextual()) {
                    throw malformed("commits[]." + field + " holds a non-string entry");
                }
                String path = p.asText();
                while (path.startsWith("/")) {
                    path = path.substring(1);
                }
                if (!path.isEmpty()) {
                    into.add(path);
                }
            }
            return a.size();
        }
    }

    private static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // The location only: the parser's message may quote body content.
            JsonLocation l = e.getLocation();
            throw malformed("the body is not valid JSON" + (l == null ? "" : " (line " + l.getLineNr() + ", column "
                    + l.getColumnNr() + ")"));
        } catch (IOException e) {
            throw malformed("the body cannot be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object");
        }
        return root;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : "";
    }

    private static String requiredText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw malformed("field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    private static JsonNode requiredObject(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw malformed("field '" + field + "' is missing or not an object");
        }
        return v;
    }

    private static JsonNode requiredArray(JsonNode n, String field, String name) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw malformed("field '" + name + "' is missing or not a list");
        }
        return v;
    }

    private static JsonNode optionalArray(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return JSON.createArrayNode();
        }
        if (!v.isArray()) {
            throw malformed("field '" + field + "' is not a list");
        }
        return v;
    }

    static WebhookRejectedException malformed(String why) {
        return new WebhookRejectedException(Reason.MALFORMED, "malformed push event: " + why);
    }
}
