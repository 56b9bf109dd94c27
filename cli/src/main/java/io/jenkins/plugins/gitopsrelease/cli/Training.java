package io.jenkins.plugins.gitopsrelease.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gitopsrelease.release.LocalGitOpsRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The build's training run for the class-data archive that {@code bin/gitops-release} uses (AppCDS on Java 17, the
 * AOT cache on Java 25; see cli/src/main/cds/make-archives.sh). Runs one verb family's everyday verbs in one JVM on
 * the project's example — its GitOps repository as a directory and as a {@code file://} bare repository — and an
 * in-memory registry on 127.0.0.1, so the archive holds the classes they load. Not a user command; exits non-zero if
 * a verb failed.
 */
final class Training {
    private Training() {
    }

    /**
     * The verb families the launcher picks an archive for (see bin/gitops-release): each archive holds only what its
     * verbs load, because the Java 25 AOT cache loads every class it holds at start-up.
     */
    static final java.util.List<String> FAMILIES = java.util.List.of("fs", "git", "registry", "all");

    /**
     * {@code Training FAMILY EXAMPLES}: trains one family (all: the three in one run) on the project's own example
     * (EXAMPLES is the repository's examples/ directory: its GitOps repository and hello-web's workload descriptor).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !FAMILIES.contains(args[0])
                || !Files.isDirectory(Path.of(args[1]).resolve("gitops-repo"))) {
            throw new IllegalArgumentException("usage: Training FAMILY EXAMPLES_DIR (FAMILY one of " + FAMILIES
                    + ", EXAMPLES_DIR the repository's examples/)");
        }
        String family = args[0];
        Main.lightPicocli(); // as Main.main
        Path examples = Path.of(args[1]).toAbsolutePath();
        String descriptor = examples.resolve("hello-web/workload.yaml").toString();
        boolean all = family.equals("all");
        Path dir = Files.createTempDirectory("gitops-release-training");
        HttpServer registry = null;
        try {
            Path repo = dir.resolve("gitops");
            LocalGitOpsRepository.copyTree(examples.resolve("gitops-repo"), repo);
            if (all || family.equals("fs")) {
                run("generate", "--root-dir", repo.toString(), "-p", "shop", "-c", "hello-web", "--image",
                        "reg.example/hello-web:2", "--descriptor", descriptor, "--dry-run");
                run("generate", "--root-dir", repo.toString(), "-p", "shop", "-c", "hello-web", "--image",
                        "reg.example/hello-web:2", "--descriptor", descriptor, "--json");
            }
            if (all || family.equals("git")) {
                Path bare = dir.resolve("gitops.git");
                LocalGitOpsRepository.seedIfMissing(bare, repo, "main");
                run("open-pr", "--repo", bare.toUri().toString(), "--project", "shop", "--component",
                        "hello-web", "--image", "reg.example/hello-web:3", "--descriptor", descriptor, "--revision",
                        "0123456789abcdef");
            }
            if (all || family.equals("registry")) {
                registry = FakeRegistry.start();
                String host = "127.0.0.1:" + registry.getAddress().getPort();
                // A copy, then the same promotion again (everything present: the no-op path).
                for (int i = 0; i < 2; i++) {
                    run("promote-image", "--from", host + "/a/app:1", "--to", host + "/b/app:1", "--src-insecure",
                            "--dest-insecure");
                }
            }
            Main.httpSelectors(); // the exit path's classes (Main.main)
        } finally {
            if (registry != null) {
                registry.stop(0);
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as Main.main runs a verb: its model and the next classes warmed up on a second thread
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Warmup.start(args[0]));
        if (code != 0) {
            throw new IllegalStateException("training: " + args[0] + " exited " + code + ": " + err);
        }
    }

    /**
     * Just enough of the distribution API for a promotion: manifests and blobs by digest, monolithic and chunked
     * uploads, one source image {@code a/app:1} (config + one layer).
     */
    static final class FakeRegistry {
        private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
        private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
        private final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
        private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

        static HttpServer start() throws IOException {
            FakeRegistry r = new FakeRegistry();
            byte[] layer = new byte[256 * 1024];
            new java.util.Random(1).nextBytes(layer);
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                    .getBytes(StandardCharsets.UTF_8);
            String layerDigest = digest(layer);
            String configDigest = digest(config);
            r.blobs.put(layerDigest, layer);
            r.blobs.put(configDigest, config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                    + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                    + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
            r.manifests.put("a/app|1", manifest);
            r.manifests.put("a/app|" + digest(manifest), manifest);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                try {
                    r.handle(ex);
                } catch (RuntimeException e) {
                    ex.sendResponseHeaders(500, -1);
                } finally {
                    ex.close();
                }
            });
            server.start();
            return server;
        }

        static String digest(byte[] b) {
            try {
                return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
                return;
            }
            int m = path.indexOf("/manifests/");
            int u = path.indexOf("/blobs/uploads");
            int b = path.indexOf("/blobs/");
            if (m > 0) {
                String name = path.substring(4, m);
                String ref = path.substring(m + "/manifests/".length());
                if (method.equals("PUT")) {
                    String d = digest(body);
                    manifests.put(name + "|" + ref, body);
                    manifests.put(name + "|" + d, body);
                    ex.getResponseHeaders().add("Location", "/v2/" + name + "/manifests/" + d);
                    send(ex, 201, null, null, d);
                    return;
                }
                byte[] man = manifests.get(name + "|" + ref);
                if (man == null) {
                    notFound(ex, "MANIFEST_UNKNOWN");
                    return;
                }
                send(ex, 200, MANIFEST_TYPE, method.equals("HEAD") ? null : man, digest(man), man.length);
            } else if (u > 0) {
                String name = path.substring(4, u);
                String rest = path.substring(u + "/blobs/uploads".length());
                if (method.equals("POST")) {
                    String id = UUID.randomUUID().toString();
                    uploads.put(id, new java.io.ByteArrayOutputStream());
                    ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
                    ex.getResponseHeaders().add("Range", "0-0");
                    send(ex, 202, null, null, null);
                    return;
                }
                String id = rest.startsWith("/") ? rest.substring(1) : rest;
                java.io.ByteArrayOutputStream up = uploads.get(id);
                if (up == null) {
                    notFound(ex, "BLOB_UPLOAD_UNKNOWN");
                    return;
                }
                up.write(body);
                if (method.equals("PUT")) {
                    String d = java.net.URLDecoder.decode(query.replaceAll(".*digest=([^&]*).*", "$1"),
                            StandardCharsets.UTF_8);
                    blobs.put(d, up.toByteArray());
                    uploads.remove(id);
                    ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/" + d);
                    send(ex, 201, null, null, d);
                } else {
                    ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
                    ex.getResponseHeaders().add("Range", "0-" + Math.max(0, up.size() - 1));
                    send(ex, 202, null, null, null);
                }
            } else if (b > 0) {
                String d = path.substring(b + "/blobs/".length());
                byte[] blob = blobs.get(d);
                if (blob == null) {
                    notFound(ex, "BLOB_UNKNOWN");
                    return;
                }
                send(ex, 200, "application/octet-stream", method.equals("HEAD") ? null : blob, d, blob.length);
            } else {
                notFound(ex, "NAME_UNKNOWN");
            }
        }

        private static void notFound(HttpExchange ex, String code) throws IOException {
            send(ex, 404, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\"}]}").getBytes(
                    StandardCharsets.UTF_8), null);
        }

        private static void send(HttpExchange ex, int status, String type, byte[] body, String digest)
                throws IOException {
            send(ex, status, type, body, digest, body == null ? 0 : body.length);
        }

        private static void send(HttpExchange ex, int status, String type, byte[] body, String digest, long length)
                throws IOException {
            if (type != null) {
                ex.getResponseHeaders().add("Content-Type", type);
            }
            if (digest != null) {
                ex.getResponseHeaders().add("Docker-Content-Digest", digest);
            }
            ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            if (body == null || ex.getRequestMethod().equals("HEAD")) {
                if (length > 0) {
                    ex.getResponseHeaders().add("Content-Length", Long.toString(length));
                }
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
