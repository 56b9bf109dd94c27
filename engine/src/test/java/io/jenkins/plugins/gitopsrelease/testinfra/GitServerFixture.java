package io.jenkins.plugins.gitopsrelease.testinfra;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee9.servlet.FilterHolder;
import org.eclipse.jetty.ee9.servlet.ServletContextHandler;
import org.eclipse.jetty.ee9.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.FileResolver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Git smart-HTTP server: JGit's {@link GitServlet} in an embedded Jetty on 127.0.0.1, serving the bare
 * repositories under a temp directory at {@code /git/NAME.git}, optionally behind basic auth. Both JGit and the
 * git CLI fetch from and push to it.
 */
public final class GitServerFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final String user;
    private final String password;
    private volatile boolean commitWantsOnly;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private Path base;
    private Server server;
    private int port;

    private GitServerFixture(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public static GitServerFixture anonymous() {
        return new GitServerFixture(null, null);
    }

    public static GitServerFixture withAuth(String user, String password) {
        return new GitServerFixture(user, password);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public synchronized GitServerFixture start() throws Exception {
        base = Files.createTempDirectory("git-fixture");
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        GitServlet git = new GitServlet();
        git.setRepositoryResolver(new FileResolver<>(base.toFile(), true));
        // Anyone who passed the auth filter may push; the default factory would also demand http.receivepack.
        git.setReceivePackFactory((req, db) -> new ReceivePack(db));
        git.setUploadPackFactory((req, db) -> {
            org.eclipse.jgit.transport.UploadPack up = new org.eclipse.jgit.transport.UploadPack(db);
            if (commitWantsOnly) {
                // As git's upload-pack over protocol v0 without uploadpack.allowAnySHA1InWant: no single blobs.
                up.setRequestValidator((u, wants) -> {
                    for (org.eclipse.jgit.lib.ObjectId w : wants) {
                        if (u.getRevWalk().parseAny(w).getType() != org.eclipse.jgit.lib.Constants.OBJ_COMMIT) {
                            throw new org.eclipse.jgit.transport.WantNotValidException(w);
                        }
                    }
                });
            }
            return up;
        });

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(git), "/git/*");
        context.addFilter(new FilterHolder(new AuthFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        return this;
    }

    /** From now on, refuses fetches that want anything but commits (blobs by id, as a partial fetch asks). */
    public GitServerFixture refuseNonCommitWants() {
        commitWantsOnly = true;
        return this;
    }

    /** Creates an empty bare repository {@code NAME.git} whose HEAD names {@code main}, and returns its directory. */
    public Path createBareRepository(String name) throws IOException {
        return createBareRepository(name, "main");
    }

    public Path createBareRepository(String name, String headBranch) throws IOException {
        Path dir = base.resolve(name + ".git");
        try (Repository r = FileRepositoryBuilder.create(dir.toFile())) {
            r.create(true);
            r.updateRef(org.eclipse.jgit.lib.Constants.HEAD).link("refs/heads/" + headBranch);
        }
        return dir;
    }

    /**
     * Creates a bare repository whose {@code branch} holds a copy of {@code content} in one commit, and returns its
     * clone URL.
     */
    public String createRepository(String name, Path content, String branch) throws Exception {
        Path bare = createBareRepository(name, branch);
        Path work = Files.createTempDirectory("git-fixture-seed");
        try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call()) {
            if (content != null) {
                copyTree(content, work);
            }
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("Fixture", "fixture@example.invalid")
                    .setCommitter("Fixture", "fixture@example.invalid").setAllowEmpty(true).setSign(false).call();
            g.push().setRemote(bare.toUri().toString()).add(branch).call();
        } finally {
            RegistryFixture.deleteTree(work);
        }
        return url(name);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith(".git")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest);
                }
            }
        }
    }

    public String url(String name) {
        return "http://127.0.0.1:" + port + "/git/" + name + ".git";
    }

    public Path repositoryDir(String name) {
        return base.resolve(name + ".git");
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** "METHOD /path?query" of every request served, in order (to assert what a client did). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public int unauthorizedCount() {
        return unauthorized.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // shutting down
            }
            server = null;
        }
        if (base != null) {
            RegistryFixture.deleteTree(base);
            base = null;
        }
    }

    private final class AuthFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            requests.add(req.getMethod() + " " + req.getRequestURI()
                    + (req.getQueryString() == null ? "" : "?" + req.getQueryString()));
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            String header = req.getHeader("Authorization");
            String expected = "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(header)) {
                unauthorized.incrementAndGet();
                res.setHeader("WWW-Authenticate", "Basic realm=\"git-fixture\"");
                res.sendError(401);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(req) {
                @Override
                public String getRemoteUser() {
                    return user;
                }
            }, response);
        }
    }
}
