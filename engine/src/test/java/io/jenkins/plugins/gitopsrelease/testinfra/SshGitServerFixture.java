package io.jenkins.plugins.gitopsrelease.testinfra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Git server over SSH: JGit's {@link SshTestGitServer} (Apache MINA sshd, public-key auth only) on
 * 127.0.0.1, serving one bare repository seeded from a directory (by default {@code examples/gitops-repo}) on branch
 * {@code main}. The user keys and the host key are made by the real {@code ssh-keygen} (OpenSSH format, Ed25519),
 * and {@link #knownHosts()} lists the server's host key so clients keep strict host-key checking on.
 *
 * <p>The server serves its one repository whatever path the URL names; {@link #url()} uses {@code /repo}.
 */
public final class SshGitServerFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String USER = "git";
    /** Passphrase of {@link #encryptedUserKey()}: a canary that must never show in any message. */
    public static final String PASSPHRASE = "canary-pass-SSH7";

    private final Path seed;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final AtomicInteger authFailures = new AtomicInteger();
    private Path base;
    private Repository repository;
    private LoopbackServer server;
    private int port;
    private Path userKey;
    private Path encryptedUserKey;
    private Path strangerKey;
    private Path knownHosts;
    private String hostKeyLine;

    private SshGitServerFixture(Path seed) {
        this.seed = seed;
    }

    /** Seeded from {@code examples/gitops-repo}. */
    public static SshGitServerFixture gitopsExample() {
        return new SshGitServerFixture(null);
    }

    public static SshGitServerFixture seededFrom(Path dir) {
        return new SshGitServerFixture(dir);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public synchronized SshGitServerFixture start() throws Exception {
        ExternalTool.require("ssh-keygen", "openssh-client");
        base = Files.createTempDirectory("ssh-git-fixture");
        Path keys = Files.createDirectories(base.resolve("keys"));
        userKey = keygen(keys.resolve("id_ed25519"), "");
        encryptedUserKey = keygen(keys.resolve("id_ed25519_enc"), PASSPHRASE);
        strangerKey = keygen(keys.resolve("id_stranger"), "");
        Path hostKey = keygen(keys.resolve("ssh_host_ed25519_key"), "");

        Path bare = base.resolve("repo.git");
        repository = FileRepositoryBuilder.create(bare.toFile());
        repository.create(true);
        repository.updateRef(Constants.HEAD).link("refs/heads/main");
        seed(bare, seed != null ? seed : examplesGitopsRepo());

        server = new LoopbackServer(Path.of(userKey + ".pub"), repository, Files.readAllBytes(hostKey));
        authorize(userKey);
        authorize(encryptedUserKey);
        port = server.start();

        // "[host]:port" is how OpenSSH (and JGit) name a host on a non-default port in known_hosts.
        hostKeyLine = "[127.0.0.1]:" + port + " " + pubKeyText(hostKey);
        knownHosts = Files.writeString(base.resolve("known_hosts"), hostKeyLine + "\n");
        return this;
    }

    /** Runs ssh-keygen; returns the private key path (the public key is next to it, with ".pub"). */
    private static Path keygen(Path file, String passphrase) {
        ExternalTool.run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "fixture@example.invalid",
                "-f", file.toString());
        return file;
    }

    private static String pubKeyText(Path privateKey) throws IOException {
        String[] parts = Files.readString(Path.of(privateKey + ".pub")).trim().split(" ");
        return parts[0] + " " + parts[1];
    }

    private static PublicKey publicKey(Path privateKey) throws IOException, GeneralSecurityException {
        return PublicKeyEntry.parsePublicKeyEntry(pubKeyText(privateKey)).resolvePublicKey(null, null, null);
    }

    private void seed(Path bare, Path content) throws Exception {
        Path work = Files.createTempDirectory(base, "seed");
        try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            GitServerFixture.copyTree(content, work);
            g.add().addFilepattern(".").call();
            g.commit().setMessage("seed").setAuthor("Fixture", "fixture@example.invalid")
                    .setCommitter("Fixture", "fixture@example.invalid").setAllowEmpty(true).setSign(false).call();
            g.push().setRemote(bare.toUri().toString()).add("main").call();
        } finally {
            RegistryFixture.deleteTree(work);
        }
    }

    public static Path examplesGitopsRepo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("examples/gitops-repo");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("examples/gitops-repo not found above " + Path.of("").toAbsolutePath());
    }

    /** Lets the key pair whose private key is {@code privateKey} (public key beside it) log in as {@link #USER}. */
    public void authorize(Path privateKey) throws IOException, GeneralSecurityException {
        authorized.add(publicKey(privateKey));
    }

    /** Generates a fresh key pair under the fixture's directory (not authorized); returns the private key path. */
    public Path newKey(String name, String passphrase) {
        return keygen(base.resolve("keys").resolve(name), passphrase);
    }

    public String url() {
        return "ssh://" + USER + "@127.0.0.1:" + port + "/repo";
    }

    public int port() {
        return port;
    }

    /** The served bare repository (open; the fixture closes it). */
    public Repository repository() {
        return repository;
    }

    /** Unencrypted OpenSSH Ed25519 key, authorized. */
    public Path userKey() {
        return userKey;
    }

    /** OpenSSH Ed25519 key encrypted with {@link #PASSPHRASE}, authorized. */
    public Path encryptedUserKey() {
        return encryptedUserKey;
    }

    /** A valid key the server does not know. */
    public Path strangerKey() {
        return strangerKey;
    }

    /** known_hosts listing exactly the server's host key for {@code [127.0.0.1]:port}. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The known_hosts line for the server's host key. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** Public-key attempts the server refused (to assert that a client really tried and failed). */
    public int authFailures() {
        return authFailures.get();
    }

    /** The addresses the SSH server listens on. */
    public Set<SocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException ignored) {
                // shutting down
            }
            server = null;
        }
        if (repository != null) {
            repository.close();
            repository = null;
        }
        if (base != null) {
            RegistryFixture.deleteTree(base);
            base = null;
        }
    }

    /**
     * SshTestGitServer leaves MINA's host unset, which binds the wildcard address (all interfaces); its protected
     * {@code server} lets us bind loopback only. It also accepts a single test key; this accepts a list.
     */
    private final class LoopbackServer extends SshTestGitServer {
        LoopbackServer(Path firstPublicKey, Repository repo, byte[] hostKey)
                throws IOException, GeneralSecurityException {
            super(USER, firstPublicKey, repo, hostKey);
            server.setHost("127.0.0.1");
            server.setPublickeyAuthenticator((user, key, session) -> {
                boolean ok = USER.equals(user) && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
                if (!ok) {
                    authFailures.incrementAndGet();
                }
                return ok;
            });
        }

        Set<SocketAddress> boundAddresses() {
            return server.getBoundAddresses();
        }
    }

    public static boolean isLoopback(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress().isLoopbackAddress();
    }
}
