package io.jenkins.plugins.gitopsrelease.testinfra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Git server: Debian's {@code git daemon} on 127.0.0.1, serving the bare repositories under a temp directory
 * at {@code git://127.0.0.1:PORT/NAME.git}, pushes enabled. The server that {@code bench/cli-speed.sh} measures
 * against, and the one whose protocol-v2 and filter behaviour JGit's own server does not share.
 */
public final class GitDaemonFixture implements AutoCloseable {
    private final Path base;
    private final int port;
    private final Process daemon;
    private final Path log;

    private GitDaemonFixture(Path base, int port, Process daemon, Path log) {
        this.base = base;
        this.port = port;
        this.daemon = daemon;
        this.log = log;
    }

    public static GitDaemonFixture start() throws IOException, InterruptedException {
        Path git = ExternalTool.require("git", "git");
        Path base = Files.createTempDirectory("git-daemon-fixture");
        Path log = Files.createTempFile("git-daemon", ".log");
        for (int attempt = 0; ; attempt++) {
            int port = FreePorts.next();
            ProcessBuilder pb = new ProcessBuilder(git.toString(), "daemon", "--base-path=" + base, "--export-all",
                    "--enable=receive-pack", "--reuseaddr", "--listen=127.0.0.1", "--port=" + port, base.toString());
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (p.isAlive() && System.nanoTime() < deadline) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
                    return new GitDaemonFixture(base, port, p, log);
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            if (attempt >= 2) { // the port was taken between FreePorts and the bind: try another, twice
                RegistryFixture.deleteTree(base);
                throw new IllegalStateException("git daemon did not listen: " + Files.readString(log));
            }
        }
    }

    /** A bare repository {@code NAME.git} whose {@code main} holds {@code content} in one commit; its URL. */
    public String createRepository(String name, Path content) {
        Path bare = base.resolve(name + ".git");
        ExternalTool.run("git", "init", "-q", "--bare", "-b", "main", bare.toString());
        ExternalTool.run(List.of("git", "-c", "init.defaultBranch=main", "init", "-q"), content, 60);
        ExternalTool.run(List.of("git", "add", "-A"), content, 60);
        ExternalTool.run(List.of("git", "-c", "user.name=Fixture", "-c", "user.email=fixture@example.invalid",
                "commit", "-q", "-m", "seed"), content, 60);
        ExternalTool.run(List.of("git", "push", "-q", bare.toString(), "HEAD:refs/heads/main"), content, 60);
        return url(name);
    }

    /** Sets a server-side option of repository {@code name} (e.g. uploadpack.allowFilter). */
    public void config(String name, String key, String value) {
        ExternalTool.run("git", "-C", repositoryDir(name).toString(), "config", key, value);
    }

    public String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name + ".git";
    }

    public Path repositoryDir(String name) {
        return base.resolve(name + ".git");
    }

    @Override
    public void close() {
        daemon.destroy();
        try {
            if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a temp file
        }
        RegistryFixture.deleteTree(base);
    }
}
