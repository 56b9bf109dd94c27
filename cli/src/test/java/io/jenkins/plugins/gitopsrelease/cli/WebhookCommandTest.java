package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads;
import io.jenkins.plugins.gitopsrelease.webhook.Payloads.Commit;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCommandTest {
    static final String SECRET = "canary-cli-webhook-secret-93b1";

    @TempDir
    Path dir;
    Path root;
    Path secretFile;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        root = WebhookFixtures.shop(Files.createDirectories(dir.resolve("gitops")));
        secretFile = dir.resolve("secret");
        Files.writeString(secretFile, SECRET + "\n");
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(out.toString() + err).doesNotContain(SECRET);
        return new Run(code, out.toString(), err.toString());
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private Path headers(Map<String, String> h) throws Exception {
        String text = h.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        return write("headers.txt", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void githubPushPrintsTheTouchedComponentsAsJson() throws Exception {
        byte[] body = Payloads.bytes(Payloads.github("acme/shop", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                List.of(Commit.modified("apps/frontend/index.html", "apps/orders/main.go", "docs/x.md"))));
        Run r = run("webhook", "match", "--provider", "github", "--event", write("event.json", body).toString(),
                "--headers", headers(Payloads.githubHeaders("push", SECRET, body)).toString(), "--secret-file",
                secretFile.toString(), "--root-dir", root.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("project").asText()).isEqualTo("shop");
        assertThat(json.get(0).get("component").asText()).isEqualTo("frontend");
        assertThat(json.get(0).get("commit").asText()).isEqualTo(Payloads.AFTER);
        assertThat(json.get(0).get("matchedPaths").get(0).asText()).isEqualTo("apps/frontend/index.html");
        assertThat(json.get(1).get("component").asText()).isEqualTo("orders");
        assertThat(r.err()).contains("2 component(s) to build: shop/frontend, shop/orders");

        Run text = run("webhook", "match", "--provider", "github", "--event", dir.resolve("event.json").toString(),
                "--headers", dir.resolve("headers.txt").toString(), "--secret-file", secretFile.toString(),
                "--root-dir", root.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).isEqualTo("shop/frontend " + Payloads.AFTER + "\nshop/orders " + Payloads.AFTER + "\n");
    }

    @Test
    void nothingMatchesIsExitZeroWithAnEmptyList() throws Exception {
        byte[] body = Payloads.bytes(Payloads.gitlab("acme/other", "refs/heads/main", Payloads.BEFORE, Payloads.AFTER,
                List.of(Commit.modified("apps/frontend/a")), 1));
        Run r = run("webhook", "match", "--provider", "gitlab", "--event", write("e.json", body).toString(),
                "--headers", headers(Payloads.gitlabHeaders("Push Hook", SECRET)).toString(), "--secret-file",
                secretFile.toString(), "--root-dir", root.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out())).isEmpty();
    }

    @Test
    void badSignatureAndMalformedEventExitTwo() throws Exception {
        byte[] body = Payloads.bytes(Payloads.bitbucketCloud("acme/shop", "branch", "main", Payloads.BEFORE,
                Payloads.AFTER));
        Run forged = run("webhook", "match", "--provider", "bitbucket", "--event", write("e.json", body).toString(),
                "--headers", headers(Payloads.bitbucketHeaders("repo:push", "forged", body)).toString(),
                "--secret-file", secretFile.toString(), "--root-dir", root.toString(), "--json");
        assertThat(forged.code()).isEqualTo(2);
        assertThat(forged.err()).contains("X-Hub-Signature does not match");
        assertThat(forged.out()).isEmpty();

        byte[] bad = "{\"ref\":".getBytes(StandardCharsets.UTF_8);
        Run malformed = run("webhook", "match", "--provider", "github", "--event", write("bad.json", bad).toString(),
                "--headers", headers(Payloads.githubHeaders("push", SECRET, bad)).toString(), "--secret-file",
                secretFile.toString(), "--root-dir", root.toString());
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("malformed push event");

        Run noSecret = run("webhook", "match", "--provider", "github", "--event", dir.resolve("bad.json").toString(),
                "--headers", dir.resolve("headers.txt").toString(), "--root-dir", root.toString());
        assertThat(noSecret.code()).isEqualTo(2);
        assertThat(noSecret.err()).contains("--secret-env or --secret-file");
    }
}
