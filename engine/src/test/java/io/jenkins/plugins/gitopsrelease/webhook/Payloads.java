package io.jenkins.plugins.gitopsrelease.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test deliveries shaped after the providers' documented payloads (GitHub "push", GitLab "Push Hook", Bitbucket Cloud
 * "repo:push", Bitbucket Data Center "repo:refs_changed"); only the fields a receiver reads plus a few neighbours.
 * Shared with the CLI and plugin tests through the engine's test-jar.
 */
public final class Payloads {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String AFTER = "9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
    public static final String BEFORE = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    private Payloads() {
    }

    /** One commit's file lists. */
    public record Commit(List<String> added, List<String> modified, List<String> removed) {
        public static Commit modified(String... paths) {
            return new Commit(List.of(), List.of(paths), List.of());
        }
    }

    public static ObjectNode github(String ownerRepo, String ref, String before, String after, List<Commit> commits) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ref", ref);
        root.put("before", before);
        root.put("after", after);
        root.put("created", before.equals(Push.ZERO));
        root.put("deleted", after.equals(Push.ZERO));
        root.put("forced", false);
        root.putNull("base_ref");
        root.put("compare", "https://github.com/" + ownerRepo + "/compare/" + before.substring(0, 12) + "..."
                + after.substring(0, 12));
        ArrayNode cs = root.putArray("commits");
        for (int i = 0; i < commits.size(); i++) {
            ObjectNode c = cs.addObject();
            String id = i == commits.size() - 1 ? after : String.format("%040x", i + 1);
            c.put("id", id);
            c.put("tree_id", String.format("%040x", i + 1000));
            c.put("distinct", true);
            c.put("message", "change " + i);
            c.put("timestamp", "2026-12-01T10:00:00Z");
            c.put("url", "https://github.com/" + ownerRepo + "/commit/" + id);
            c.putObject("author").put("name", "Dev").put("email", "dev@example.com").put("username", "dev");
            strings(c.putArray("added"), commits.get(i).added());
            strings(c.putArray("removed"), commits.get(i).removed());
            strings(c.putArray("modified"), commits.get(i).modified());
        }
        if (commits.isEmpty()) {
            root.putNull("head_commit");
        } else {
            root.set("head_commit", cs.get(cs.size() - 1).deepCopy());
        }
        ObjectNode repo = root.putObject("repository");
        repo.put("id", 123456);
        repo.put("name", ownerRepo.substring(ownerRepo.indexOf('/') + 1));
        repo.put("full_name", ownerRepo);
        repo.put("private", false);
        repo.put("html_url", "https://github.com/" + ownerRepo);
        repo.put("url", "https://github.com/" + ownerRepo);
        repo.put("git_url", "git://github.com/" + ownerRepo + ".git");
        repo.put("ssh_url", "git@github.com:" + ownerRepo + ".git");
        repo.put("clone_url", "https://github.com/" + ownerRepo + ".git");
        repo.put("default_branch", "main");
        root.putObject("pusher").put("name", "dev").put("email", "dev@example.com");
        root.putObject("sender").put("login", "dev").put("id", 1);
        return root;
    }

    public static ObjectNode gitlab(String pathWithNamespace, String ref, String before, String after,
            List<Commit> commits, int totalCommits) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object_kind", ref.startsWith("refs/tags/") ? "tag_push" : "push");
        root.put("event_name", ref.startsWith("refs/tags/") ? "tag_push" : "push");
        root.put("before", before);
        root.put("after", after);
        root.put("ref", ref);
        root.put("ref_protected", true);
        if (after.equals(Push.ZERO)) {
            root.putNull("checkout_sha");
        } else {
            root.put("checkout_sha", after);
        }
        root.put("user_id", 4);
        root.put("user_username", "dev");
        root.put("project_id", 15);
        String web = "https://gitlab.example.com/" + pathWithNamespace;
        ObjectNode project = root.putObject("project");
        project.put("id", 15);
        project.put("name", pathWithNamespace.substring(pathWithNamespace.lastIndexOf('/') + 1));
        project.put("web_url", web);
        project.put("git_ssh_url", "git@gitlab.example.com:" + pathWithNamespace + ".git");
        project.put("git_http_url", web + ".git");
        project.put("namespace", pathWithNamespace.substring(0, pathWithNamespace.lastIndexOf('/')));
        project.put("path_with_namespace", pathWithNamespace);
        project.put("default_branch", "main");
        project.put("homepage", web);
        project.put("url", "git@gitlab.example.com:" + pathWithNamespace + ".git");
        project.put("ssh_url", "git@gitlab.example.com:" + pathWithNamespace + ".git");
        project.put("http_url", web + ".git");
        ArrayNode cs = root.putArray("commits");
        for (int i = 0; i < commits.size(); i++) {
            ObjectNode c = cs.addObject();
            String id = i == commits.size() - 1 ? after : String.format("%040x", i + 1);
            c.put("id", id);
            c.put("message", "change " + i);
            c.put("title", "change " + i);
            c.put("timestamp", "2026-12-01T10:00:00+00:00");
            c.put("url", web + "/-/commit/" + id);
            c.putObject("author").put("name", "Dev").put("email", "[REDACTED]");
            strings(c.putArray("added"), commits.get(i).added());
            strings(c.putArray("modified"), commits.get(i).modified());
            strings(c.putArray("removed"), commits.get(i).removed());
        }
        root.put("total_commits_count", totalCommits);
        ObjectNode repo = root.putObject("repository");
        repo.put("name", project.get("name").asText());
        repo.put("url", "git@gitlab.example.com:" + pathWithNamespace + ".git");
        repo.put("homepage", web);
        repo.put("git_http_url", web + ".git");
        repo.put("git_ssh_url", "git@gitlab.example.com:" + pathWithNamespace + ".git");
        repo.put("visibility_level", 0);
        return root;
    }

    /** Bitbucket Cloud repo:push with one change; {@code type} is "branch" or "tag"; {@code after} null deletes. */
    public static ObjectNode bitbucketCloud(String fullName, String type, String name, String before, String after) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("actor").put("display_name", "Dev").put("type", "user");
        ObjectNode repo = root.putObject("repository");
        repo.put("type", "repository");
        repo.put("name", fullName.substring(fullName.indexOf('/') + 1));
        repo.put("full_name", fullName);
        repo.put("uuid", "{0b1e5a8f-0000-4000-8000-000000000001}");
        repo.put("scm", "git");
        repo.put("is_private", true);
        ObjectNode links = repo.putObject("links");
        links.putObject("self").put("href", "https://api.bitbucket.org/2.0/repositories/" + fullName);
        links.putObject("html").put("href", "https://bitbucket.org/" + fullName);
        ObjectNode change = root.putObject("push").putArray("changes").addObject();
        if (after == null) {
            change.putNull("new");
        } else {
            ObjectNode neu = change.putObject("new");
            neu.put("type", type);
            neu.put("name", name);
            ObjectNode target = neu.putObject("target");
            target.put("type", "commit");
            target.put("hash", after);
            target.put("message", "change\n");
            target.putObject("links").putObject("html").put("href", "https://bitbucket.org/" + fullName
                    + "/commits/" + after);
        }
        if (before == null) {
            change.putNull("old");
        } else {
            ObjectNode old = change.putObject("old");
            old.put("type", type);
            old.put("name", name);
            old.putObject("target").put("type", "commit").put("hash", before);
        }
        change.put("created", before == null);
        change.put("forced", false);
        change.put("closed", after == null);
        ArrayNode commits = change.putArray("commits");
        if (after != null) {
            commits.addObject().put("hash", after).put("type", "commit");
        }
        change.put("truncated", false);
        return root;
    }

    /** Bitbucket Data Center repo:refs_changed; {@code type} ADD, UPDATE or DELETE; {@code refType} BRANCH or TAG. */
    public static ObjectNode bitbucketDataCenter(String host, String projectKey, String slug, String refType,
            String name, String type, String from, String to) {
        ObjectNode root = JSON.createObjectNode();
        root.put("eventKey", "repo:refs_changed");
        root.put("date", "2026-12-01T10:00:00+0000");
        root.putObject("actor").put("name", "dev").put("id", 1).put("type", "NORMAL");
        ObjectNode repo = root.putObject("repository");
        repo.put("slug", slug);
        repo.put("id", 84);
        repo.put("name", slug);
        repo.put("scmId", "git");
        repo.put("state", "AVAILABLE");
        repo.putObject("project").put("key", projectKey).put("id", 84).put("name", projectKey).put("type", "NORMAL");
        ObjectNode links = repo.putObject("links");
        ArrayNode clone = links.putArray("clone");
        clone.addObject().put("href", "ssh://git@" + host + ":7999/" + projectKey.toLowerCase() + "/" + slug + ".git")
                .put("name", "ssh");
        clone.addObject().put("href", "https://" + host + "/scm/" + projectKey.toLowerCase() + "/" + slug + ".git")
                .put("name", "http");
        links.putArray("self").addObject().put("href", "https://" + host + "/projects/" + projectKey + "/repos/"
                + slug + "/browse");
        ObjectNode change = root.putArray("changes").addObject();
        String refId = (refType.equals("TAG") ? "refs/tags/" : "refs/heads/") + name;
        change.putObject("ref").put("id", refId).put("displayId", name).put("type", refType);
        change.put("refId", refId);
        change.put("fromHash", from);
        change.put("toHash", to);
        change.put("type", type);
        return root;
    }

    public static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The headers each provider sends with a push, signed (or tokened) with {@code secret}. */
    public static Map<String, String> githubHeaders(String event, String secret, byte[] body) {
        return Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "X-Hub-Signature-256", hmac(secret, body), "User-Agent", "GitHub-Hookshot/044aadd",
                "Content-Type", "application/json");
    }

    public static Map<String, String> gitlabHeaders(String event, String token) {
        return Map.of("X-Gitlab-Event", event, "X-Gitlab-Token", token, "X-Gitlab-Event-UUID",
                "13792a34-cac6-4fda-95a8-c58e00a3954e", "X-Gitlab-Instance", "https://gitlab.example.com",
                "User-Agent", "GitLab/17.5.0", "Content-Type", "application/json");
    }

    public static Map<String, String> bitbucketHeaders(String eventKey, String secret, byte[] body) {
        return Map.of("X-Event-Key", eventKey, "X-Request-UUID", "afe3ce0f-8c9d-4f8e-9b3e-2c1c0d3f6a11",
                "X-Hook-UUID", "{4ab3c1e2-0000-4000-8000-0000000000aa}", "X-Hub-Signature", hmac(secret, body),
                "User-Agent", "Bitbucket-Webhooks/2.0", "Content-Type", "application/json");
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
