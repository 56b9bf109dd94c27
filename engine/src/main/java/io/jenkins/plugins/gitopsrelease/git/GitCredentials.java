package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.IdentityPasswordProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How to authenticate to the GitOps repository: nothing, a username with a password or token (HTTP basic), or an
 * SSH private key. Secrets stay inside {@link Secret} and reach JGit only through a {@link CredentialsProvider};
 * they never go into a URL. {@link #open()} gives the per-session objects and cleans them up when closed.
 */
public final class GitCredentials {
    private final String username;
    private final Secret password;
    private final Path sshKeyFile;
    private final Secret sshKey;
    private final Secret sshPassphrase;
    private final Path knownHosts;

    private GitCredentials(String username, Secret password, Path sshKeyFile, Secret sshKey, Secret sshPassphrase,
            Path knownHosts) {
        this.username = username;
        this.password = password;
        this.sshKeyFile = sshKeyFile;
        this.sshKey = sshKey;
        this.sshPassphrase = sshPassphrase;
        this.knownHosts = knownHosts;
    }

    public static GitCredentials none() {
        return new GitCredentials(null, null, null, null, null, null);
    }

    /** HTTP basic: a username with a password or a personal access token. */
    public static GitCredentials password(String username, Secret password) {
        if (username == null || username.isBlank()) {
            throw InvalidInputException.invalid("--git-username", username == null ? "" : username,
                    "give the user name that goes with the password or token (for a GitHub token: x-access-token)");
        }
        return new GitCredentials(username, Objects.requireNonNull(password, "password"), null, null, null, null);
    }

    /**
     * A token alone. The user name is {@code x-access-token}, which GitHub requires and GitLab and Gitea accept
     * (Bitbucket wants {@code x-token-auth}: use {@link #password}).
     */
    public static GitCredentials token(Secret token) {
        return password("x-access-token", token);
    }

    /**
     * An SSH private key file (OpenSSH or PEM), with its passphrase if it has one. {@code knownHosts} null means
     * the user's {@code ~/.ssh/known_hosts}; unknown hosts are refused either way.
     */
    public static GitCredentials sshKeyFile(Path keyFile, Secret passphrase, Path knownHosts) {
        if (!Files.isReadable(keyFile)) {
            throw InvalidInputException.invalid("--ssh-key-file", keyFile, "the file does not exist or is not readable:"
                    + " give the path of an SSH private key");
        }
        checkKnownHosts(knownHosts);
        return new GitCredentials(null, null, keyFile, null, passphrase, knownHosts);
    }

    /** An SSH private key given as text (e.g. from a Jenkins credential); written to a private temp file per session. */
    public static GitCredentials sshKey(Secret privateKey, Secret passphrase, Path knownHosts) {
        checkKnownHosts(knownHosts);
        return new GitCredentials(null, null, null, Objects.requireNonNull(privateKey, "privateKey"), passphrase,
                knownHosts);
    }

    private static void checkKnownHosts(Path knownHosts) {
        if (knownHosts != null && !Files.isReadable(knownHosts)) {
            throw InvalidInputException.invalid("--known-hosts", knownHosts, "the file does not exist or is not"
                    + " readable: give an OpenSSH known_hosts file that lists the Git server's host key");
        }
    }

    public boolean isSsh() {
        return sshKeyFile != null || sshKey != null;
    }

    public boolean isPassword() {
        return password != null;
    }

    /** Values to scrub from any text that could reach a user (defence in depth: JGit never echoes them). */
    List<String> secretsForScrubbing() {
        return java.util.stream.Stream.of(password, sshPassphrase).filter(Objects::nonNull).map(Secret::reveal)
                .filter(s -> s.length() >= 4).toList();
    }

    /** The known_hosts file SSH host keys are checked against. */
    Path knownHostsFile() {
        return knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    @Override
    public String toString() {
        return isSsh() ? "ssh-key" : isPassword() ? "user " + username + " with password ****" : "anonymous";
    }

    /** Per-session authentication; close it to release the SSH session factory and any temp key file. */
    public Session open() {
        return new Session();
    }

    public final class Session implements AutoCloseable {
        private final CredentialsProvider provider;
        private SshdSessionFactory ssh;
        private Path tempDir;
        private List<Path> identities = List.of();

        private Session() {
            if (password != null) {
                provider = new UsernamePasswordCredentialsProvider(username, password.revealChars());
            } else {
                provider = new PassphraseProvider(sshPassphrase);
            }
        }

        public CredentialsProvider credentialsProvider() {
            return provider;
        }

        /** Applies the credentials to a transport: the provider always, the SSH key when the URL is SSH. */
        public void configure(Transport transport) {
            transport.setCredentialsProvider(provider);
            if (transport instanceof SshTransport sshTransport) {
                sshTransport.setSshSessionFactory(sshFactory());
            }
        }

        synchronized SshdSessionFactory sshFactory() {
            if (ssh == null) {
                ssh = buildSshFactory();
            }
            return ssh;
        }

        private SshdSessionFactory buildSshFactory() {
            try {
                tempDir = Files.createTempDirectory("gitops-release-ssh");
                Path key = sshKeyFile;
                if (key == null && sshKey != null) {
                    key = tempDir.resolve("id_key");
                    Files.createFile(key, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(key, sshKey.reveal().strip() + "\n");
                }
                Path identity = key;
                Path hosts = knownHostsFile();
                SshdSessionFactoryBuilder b = new SshdSessionFactoryBuilder()
                        .setPreferredAuthentications("publickey")
                        // ~/.ssh/config on an agent must not redirect or re-key a release push.
                        .setConfigStoreFactory((home, config, user) -> null)
                        .setHomeDirectory(tempDir.toFile())
                        .setSshDirectory(tempDir.toFile())
                        .setKeyPasswordProvider(IdentityPasswordProvider::new);
                if (identity != null) {
                    identities = List.of(identity);
                    b.setDefaultIdentities(dir -> List.of(identity));
                }
                b.setDefaultKnownHostsFiles(dir -> List.of(hosts));
                return b.build(new JGitKeyCache());
            } catch (IOException e) {
                throw new OperationFailedException("cannot prepare the SSH key: " + e.getMessage(), e);
            }
        }

        /** The identity files the SSH factory offers (for tests and diagnostics). */
        public List<Path> sshIdentities() {
            sshFactory();
            return identities;
        }

        @Override
        public synchronized void close() {
            if (ssh != null) {
                ssh.close();
                ssh = null;
            }
            if (tempDir != null) {
                Bare.deleteTree(tempDir);
                tempDir = null;
            }
        }
    }

    /** Answers only the key passphrase question; host-key prompts are declined (unknown hosts are refused). */
    private static final class PassphraseProvider extends CredentialsProvider {
        private final Secret passphrase;

        PassphraseProvider(Secret passphrase) {
            this.passphrase = passphrase;
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            for (CredentialItem i : items) {
                if (!(i instanceof CredentialItem.Password || i instanceof CredentialItem.InformationalMessage
                        || i instanceof CredentialItem.YesNoType)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
            boolean answered = false;
            for (CredentialItem i : items) {
                if (i instanceof CredentialItem.Password p && passphrase != null) {
                    p.setValue(passphrase.revealChars());
                    answered = true;
                } else if (i instanceof CredentialItem.YesNoType y) {
                    y.setValue(false);
                    answered = true;
                }
            }
            return answered;
        }
    }
}
