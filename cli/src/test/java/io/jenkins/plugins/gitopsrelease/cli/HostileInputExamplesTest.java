package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One example per kind of failure the hostile-input campaign (issue 16) found, through the CLI's entry point: each
 * ends in exit 2 or 1 with one {@code error:} line that names the input, no stack trace, no secret.
 */
class HostileInputExamplesTest {
    static final String CANARY = "CANARY7f3a9c2e5b1d4068";
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String HELLO = "namespaces/default/projects/shop/components/hello-web";

    @TempDir
    Path dir;
    Path root;

    record Run(int code, String out, String err) {
        /** The one error line (asserting there is exactly one and no trace). */
        String error() {
            assertThat(err).doesNotContain("\tat ").doesNotContain("Caused by").doesNotContain("internal error")
                    .doesNotContain("--verbose");
            assertThat(out + err).doesNotContain(CANARY).doesNotContain(CANARY.substring(0, 10))
                    .doesNotContain(CANARY.substring(10));
            var lines = err.lines().filter(l -> l.startsWith("error: ")).toList();
            assertThat(lines).hasSize(1);
            return lines.get(0);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void repo() throws IOException {
        Path top = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(top.resolve("examples/gitops-repo"))) {
            top = top.getParent();
        }
        root = dir.resolve("root");
        HostileInputTest.copyTree(top.resolve("examples/gitops-repo"), root);
    }

    private Path write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void recursiveAliasInGitopsYamlIsBadInputNotAStackOverflow() throws IOException {
        Files.writeString(root.resolve(HELLO + "/component.yaml"), "\nloop: &a [*a]\n", java.nio.file.StandardOpenOption.APPEND);
        Run r = run("componentrelease", "generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains(HELLO + "/component.yaml").contains("nested deeper than 200 levels");
    }

    @Test
    void deeplyNestedKubeconfigNamesTheLimit() throws IOException {
        Path kube = write("kubeconfig", "apiVersion: v1\nx: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n");
        Run r = run("watch-deployment", "--kubeconfig", kube.toString(), "--deployment", "api", "-n", "shop");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--kubeconfig").contains("limit");
    }

    @Test
    void propertiesFileWithABadUnicodeEscapeIsBadInput() throws IOException {
        Path props = write("pipeline.properties", "GOOGLE_GKE_IMAGE_REPOSITORY=reg.example/dev\\u12\n");
        Run r = run("promote-image", "--image", "api@" + DIGEST, "--source", "dev", "--destination", "prod",
                "--destination-repository", "127.0.0.1:1/prod", "--pipeline-properties", props.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("pipeline.properties").contains(props.toString()).contains("\\u");
    }

    @Test
    void hugeTimeoutIsRefusedNamingTheLongestWait() {
        Run r = run("watch-deployment", "--server", "http://127.0.0.1:1", "--deployment", "api", "-n", "shop",
                "--timeout", "99999999999999h");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--timeout").contains("7 days");
    }

    @Test
    void tokenWithAControlCharacterIsRefusedByNameNeverEchoed() throws IOException {
        Path token = write("token", CANARY.substring(0, 10) + "\u0001" + CANARY.substring(10));
        Run r = run("watch-deployment", "--server", "http://127.0.0.1:1", "--token-file", token.toString(),
                "--deployment", "api", "-n", "shop");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--token-file").contains("control character");
    }

    @Test
    void serverPortOutOfRangeIsBadInput() {
        Run r = run("watch-deployment", "--server", "http://127.0.0.1:99999", "--deployment", "api", "-n", "shop");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--server").contains("port");
    }

    @Test
    void nulInAnOutputPathIsBadInput() {
        Run r = run("componentrelease", "generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web",
                "--output-path", "rel\0eases");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--output-path").contains("\\u0000");
    }

    @Test
    void descriptorFilesMayNotLeaveTheDescriptorsDirectory() throws IOException {
        write("outside/secret.txt", "OUTSIDE " + CANARY);
        for (String ref : new String[] {"../outside/secret.txt", dir.resolve("outside/secret.txt").toString(),
            "linked/secret.txt", "docs/a\\0b"}) {
            Path src = dir.resolve("src");
            Files.createDirectories(src);
            if (!Files.exists(src.resolve("linked"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(src.resolve("linked"), Path.of("../outside"));
            }
            Path d = write("src/workload.yaml", "apiVersion: openchoreo.dev/v1alpha1\nmetadata:\n  name: hello-web\n"
                    + "endpoints:\n  - name: http\n    port: 8080\n    type: HTTP\n    schemaFile: \"" + ref + "\"\n");
            Run r = run("workload", "create", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web",
                    "--image", "reg/x@" + DIGEST, "--descriptor", d.toString(), "--dry-run");
            assertThat(r.code()).as(ref + ": " + r.err()).isEqualTo(2);
            assertThat(r.error()).contains("schemaFile");
        }
    }

    @Test
    void hugeListIndexInASetImagePathIsNotANumberFormatException() throws IOException {
        Path values = write("root/apps/values.yaml", "a:\n  b:\n    - c: reg/x:1\n");
        Run r = run("set-image", "--file", values.toString(), "--yaml-path", "a.b.99999999999999999999.c", "--image",
                "reg/x:2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--yaml-path").contains("a.b.99999999999999999999.c");
    }

    @Test
    void setImageOnAnEmptyFileIsBadInput() throws IOException {
        Path empty = write("root/apps/empty.yaml", "");
        Run r = run("set-image", "--file", empty.toString(), "--yaml-path", "a.b", "--image", "reg/x:2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("empty.yaml").contains("mapping");
    }

    @Test
    void aFiveMegabyteScalarIsRefusedAtOnceNamingTheLimit() throws IOException {
        Files.writeString(root.resolve(HELLO + "/component.yaml"), "\nbig: " + "x".repeat(5_000_000) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Run r = run("generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web", "--image",
                "reg/x@" + DIGEST);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("component.yaml").contains("limit");
    }

    @Test
    void aCredentialInARefusedRepoUrlIsMasked() {
        for (String url : new String[] {"https://bot:" + CANARY + "@git.example/x.git",
            "https://bot:" + CANARY.substring(0, 10) + "/" + CANARY.substring(10) + "@git.example/x.git",
            "gopher://bot:" + CANARY + "@git.example/x", " https://" + CANARY + "@git.example/x.git"}) {
            Run r = run("open-pr", "--repo", url, "--project", "shop", "--component", "hello-web", "--image",
                    "reg/x@" + DIGEST);
            assertThat(r.code()).as(url).isEqualTo(2);
            assertThat(r.error()).contains("--repo");
        }
    }

    @Test
    void componentReleaseGenerateNeverWritesThroughALinkOutOfTheRoot() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve(HELLO + "/releases"), Path.of("../../../../../../../outside"));
        assertThat(run("workload", "create", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web", "--image",
                "reg/x@" + DIGEST).code()).isZero();
        Run r = run("componentrelease", "generate", "--root-dir", root.toString(), "-p", "shop", "-c", "hello-web");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("outside");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        Run empty = run("componentrelease", "generate", "--root-dir", "", "-p", "shop", "-c", "hello-web");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.error()).contains("--root-dir");
    }

    @Test
    void openPrToGitHubWithoutAForgeRepositoryFailsBeforeItPushes() throws Exception {
        Path seed = dir.resolve("seed");
        HostileInputTest.copyTree(root, seed);
        try (Git g = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("t", "t@x").setCommitter("t", "t@x").setSign(false).call();
        }
        Path bare = dir.resolve("gitops.git");
        Git.cloneRepository().setURI(seed.toUri().toString()).setDirectory(bare.toFile()).setBare(true).call().close();
        Path token = write("token", CANARY);
        Run r = run("open-pr", "--repo", bare.toUri().toString(), "--project", "shop", "--component", "hello-web",
                "--image", "reg/x@" + DIGEST, "--forge", "github", "--token-file", token.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).contains("--forge-repo").contains("owner/name");
        try (Repository repo = Git.open(bare.toFile()).getRepository()) {
            assertThat(repo.getRefDatabase().getRefsByPrefix("refs/heads/release/")).isEmpty();
        }
    }

    /** A bare GitOps repository made from the example, with {@code corrupt} applied to it. */
    private Path bareRepository(String name, java.util.function.Consumer<Path> corrupt) throws Exception {
        Path seed = dir.resolve(name + "-seed");
        HostileInputTest.copyTree(root, seed);
        try (Git g = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("t", "t@x").setCommitter("t", "t@x").setSign(false).call();
        }
        Path bare = dir.resolve(name + ".git");
        Git.cloneRepository().setURI(seed.toUri().toString()).setDirectory(bare.toFile()).setBare(true).call().close();
        corrupt.accept(bare);
        return bare;
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            file.toFile().setWritable(true);
            Files.write(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * JGit served a {@code file://} repository on threads of its own (JGit-Receive-Pack, JGit-Upload-Pack) that printed
     * their failure on a corrupt repository to the process's stderr as a stack trace; open-pr now reads it in place.
     * Either way: the one error line, nothing on {@code System.err}.
     */
    @Test
    void aCorruptLocalRepositoryIsOneLineOnStderr() throws Exception {
        String garbageId = "0123456789012345678901234567890123456789";
        Map<String, java.util.function.Consumer<Path>> corruptions = new java.util.LinkedHashMap<>();
        corruptions.put("an unreadable config", bare -> write(bare.resolve("config"),
                "[core\n bare = ".getBytes(StandardCharsets.UTF_8)));
        corruptions.put("main naming a missing commit", bare -> {
            write(bare.resolve("packed-refs"), new byte[0]);
            write(bare.resolve("refs/heads/main"), (garbageId + "\n").getBytes(StandardCharsets.UTF_8));
        });
        corruptions.put("a truncated pack", bare -> {
            try (Stream<Path> s = Files.list(bare.resolve("objects/pack"))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (p.toString().endsWith(".pack")) {
                        byte[] b = Files.readAllBytes(p);
                        write(p, java.util.Arrays.copyOf(b, b.length / 2));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int n = 0;
        for (var c : corruptions.entrySet()) {
            Path bare = bareRepository("corrupt" + n++, c.getValue());
            java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
            Run r = openPrCapturingStderr(bare, stderr);
            assertThat(r.code()).as(c.getKey() + ": " + r.err()).isEqualTo(1);
            assertThat(r.error()).as(c.getKey()).contains(bare.toUri().toString().replaceFirst("/$", ""));
            assertThat(r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("read main@")))
                    .as(c.getKey()).hasSize(1);
            assertThat(stderr.toString(StandardCharsets.UTF_8)).as(c.getKey() + ": the process's stderr").isEmpty();
        }

        // A tag naming a garbage object: open-pr reads and writes the repository in place and never touches that tag
        // (a push through the transport used to offer it as a "have" and fail on it), so the release goes in.
        Path bare = bareRepository("corrupt-tag", b -> {
            write(b.resolve("objects/01/" + garbageId.substring(2)), new byte[] {1, 2, 3, 4});
            write(b.resolve("refs/tags/v1"), (garbageId + "\n").getBytes(StandardCharsets.UTF_8));
        });
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        Run r = openPrCapturingStderr(bare, stderr);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("pushed ");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();
        try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(bare.toFile()).build()) {
            assertThat(repo.getRefDatabase().getRefsByPrefix("refs/heads/release/")).hasSize(1);
        }
    }

    /** open-pr on {@code bare} with the process's stderr captured into {@code stderr} (for Git's own threads). */
    private Run openPrCapturingStderr(Path bare, java.io.ByteArrayOutputStream stderr) throws InterruptedException {
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            Run r = run("open-pr", "--repo", bare.toUri().toString(), "--project", "shop", "--component", "hello-web",
                    "--image", "reg/x@" + DIGEST);
            Thread.sleep(200); // a worker thread that outlives the client's failure had time to print
            return r;
        } finally {
            System.setErr(old);
        }
    }

    /** A local OpenChoreo API and authorization server answering {@code answers} by path suffix (else 404). */
    private static com.sun.net.httpserver.HttpServer api(Map<String, String> answers) throws IOException {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                String body = answers.entrySet().stream().filter(e -> path.endsWith(e.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
                byte[] b = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(body == null ? 404 : 200, b.length);
                ex.getResponseBody().write(b);
            }
        });
        // Concurrent like a real server: with the JDK server's default (the dispatcher thread parses each request
        // line) a TLS ClientHello, which has no line end, would hold up the plain-HTTP probe's request behind it.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "api-stub");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    /** api-server mode, found by the hostile suite: each was an internal error, a leak risk or a 30 s wait. */
    @Test
    void apiServerModeCraftedTokensAndAnswersAreOneLine() throws Exception {
        Path token = write("token", CANARY + "\u00e4\u20ac"); // non-ASCII: no control character, still no header value
        var server = api(new java.util.LinkedHashMap<>());
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            Run fixed = run("componentrelease", "generate", "-p", "shop", "-c", "web", "--mode", "api-server",
                    "--server", url, "--token-file", token.toString(), "--timeout", "3");
            assertThat(fixed.code()).isEqualTo(2);
            assertThat(fixed.error()).contains("--token-file").contains("non-ASCII");

            // https:// to a server that speaks plain HTTP: said at once, not after the 30 s connect timeout
            Path good = write("good-token", "t0ken");
            Run tls = run("componentrelease", "generate", "-p", "shop", "-c", "web", "--mode", "api-server",
                    "--server", url.replace("http:", "https:"), "--token-file", good.toString());
            assertThat(tls.code()).isEqualTo(2);
            assertThat(tls.error()).contains("answered plain HTTP to a TLS request").contains("http://");
        } finally {
            server.stop(0);
        }
        Path secret = write("client-secret", CANARY);
        for (String[] c : new String[][] {
            {"{\"issuer\":\"x\",\"token_endpoint\":\"ftp://127.0.0.1/token\"}", "{}", "token_endpoint"},
            {"{\"issuer\":\"x\",\"token_endpoint\":\"/relative/token\"}", "{}", "token_endpoint"},
            {"{\"issuer\":\"x\",\"token_endpoint\":\"TOKEN_URL\"}",
                "{\"access_token\":\"" + CANARY + "\\u00e4\",\"expires_in\":60}", "access_token"},
            // a lifetime past the clock's range was an internal error (DateTimeException); now the token is used
            {"{\"issuer\":\"x\",\"token_endpoint\":\"TOKEN_URL\"}",
                "{\"access_token\":\"t0ken\",\"expires_in\":99999999999999999}", "not found", "2"}}) {
            Map<String, String> answers = new java.util.LinkedHashMap<>();
            var s = api(answers);
            String base = "http://127.0.0.1:" + s.getAddress().getPort();
            answers.put("/oauth-protected-resource", "{\"authorization_servers\":[\"" + base + "/auth\"]}");
            answers.put("/openid-configuration", c[0].replace("TOKEN_URL", base + "/auth/token"));
            answers.put("/auth/token", c[1]);
            try {
                Run r = run("componentrelease", "generate", "-p", "shop", "-c", "web", "--mode", "api-server",
                        "--server", base, "--client-id", "ci", "--client-secret-file", secret.toString(), "--timeout",
                        "3");
                assertThat(r.code()).as(r.err()).isEqualTo(c.length > 3 ? Integer.parseInt(c[3]) : 1);
                assertThat(r.error()).contains(c[2]);
            } finally {
                s.stop(0);
            }
        }
    }

    /** An API answer redirecting to another origin: the bearer token must not follow it (the JDK client sends it). */
    @Test
    void anApiRedirectToAnotherOriginNeverCarriesTheToken() throws Exception {
        List<String> arrived = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        var other = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 10);
        other.createContext("/", ex -> {
            try (ex) {
                arrived.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " "
                        + ex.getRequestHeaders().getFirst("Authorization"));
                ex.sendResponseHeaders(404, -1);
            }
        });
        other.start();
        var api = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 10);
        api.createContext("/", ex -> {
            try (ex) {
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/x");
                ex.sendResponseHeaders(302, -1);
            }
        });
        api.start();
        try {
            Path token = write("token", CANARY);
            Run r = run("componentrelease", "generate", "-p", "shop", "-c", "web", "--mode", "api-server", "--server",
                    "http://127.0.0.1:" + api.getAddress().getPort(), "--token-file", token.toString(), "--timeout",
                    "3");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.error()).contains("redirect").contains("--server");
            assertThat(arrived).as("requests that reached the other origin").isEmpty();
        } finally {
            api.stop(0);
            other.stop(0);
        }
    }

    /** A delivery whose event header holds the webhook secret: the summary quoted the header value as it was. */
    @Test
    void aWebhookSecretInAnEventHeaderIsNeverEchoed() throws Exception {
        Path gitops = io.jenkins.plugins.gitopsrelease.webhook.WebhookFixtures.shop(dir.resolve("gitops"));
        Path secret = write("webhook-secret", CANARY + "\n");
        byte[] body = io.jenkins.plugins.gitopsrelease.webhook.Payloads.bytes(
                io.jenkins.plugins.gitopsrelease.webhook.Payloads.bitbucketCloud("acme/shop", "branch", "main",
                        io.jenkins.plugins.gitopsrelease.webhook.Payloads.BEFORE,
                        io.jenkins.plugins.gitopsrelease.webhook.Payloads.AFTER));
        Path event = dir.resolve("event.json");
        Files.write(event, body);
        Path headers = write("headers.txt", "X-Event-Key: " + CANARY + "\nX-Hub-Signature: "
                + io.jenkins.plugins.gitopsrelease.webhook.Payloads.hmac(CANARY, body) + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"webhook", "match", "--provider", "bitbucket", "--event", event.toString(),
            "--headers", headers.toString(), "--secret-file", secret.toString(), "--root-dir", gitops.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("is not a push");
        assertThat(out + err.toString()).doesNotContain(CANARY);
    }
}
