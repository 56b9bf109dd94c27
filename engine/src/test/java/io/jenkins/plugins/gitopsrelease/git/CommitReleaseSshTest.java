package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.testinfra.SshGitServerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Git session pushing over SSH to a real SSH server (JGit's Apache MINA test server on 127.0.0.1) with keys
 * made by ssh-keygen and host-key checking on.
 */
class CommitReleaseSshTest {
    @RegisterExtension
    static SshGitServerFixture server = SshGitServerFixture.gitopsExample();

    @TempDir
    Path tmp;

    static final String PROJECT_FILE = "namespaces/default/projects/shop/project.yaml";

    CommitRelease release(GitCredentials creds, String component) {
        return CommitRelease.create().setRepository(server.url()).setBaseBranch("main").setCredentials(creds)
                .setRelease(new ReleaseInfo("shop", component, "reg/" + component + ":1", "0123456789abcdef"))
                .setEdit(CommitReleaseTest.releaseFile(component, "reg/" + component + ":1"))
                .setTempRoot(tmp.resolve("work"));
    }

    /** Asserts the server's repository holds the pushed commit on the release branch, with the edited file. */
    static void assertServerHas(CommitResult r, String component) throws IOException {
        assertThat(r.status()).isEqualTo(CommitResult.Status.PUSHED);
        assertThat(r.branch()).isEqualTo("release/" + component + "-01234567");
        Repository bare = server.repository();
        ObjectId tip = bare.exactRef("refs/heads/" + r.branch()).getObjectId();
        assertThat(tip.name()).isEqualTo(r.commit());
        try (RevWalk rw = new RevWalk(bare)) {
            RevCommit c = rw.parseCommit(tip);
            assertThat(c.getParent(0).name()).isEqualTo(bare.resolve("refs/heads/main").name());
            assertThat(read(bare, c, "releases/" + component + ".yaml")).isEqualTo("image: reg/" + component + ":1\n");
            assertThat(read(bare, c, PROJECT_FILE)).isEqualTo(
                    Files.readString(SshGitServerFixture.examplesGitopsRepo().resolve(PROJECT_FILE)));
        }
    }

    static String read(Repository repo, RevCommit c, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            assertThat(tw).as(path).isNotNull();
            return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    static boolean branchExists(String component) throws IOException {
        return server.repository().exactRef("refs/heads/release/" + component + "-01234567") != null;
    }

    @Test
    void pushesWithAKeyFileAndARerunFindsTheBranchOverSsh() throws Exception {
        GitCredentials creds = GitCredentials.sshKeyFile(server.userKey(), null, server.knownHosts());
        CommitResult r = release(creds, "keyfile").call();
        assertServerHas(r, "keyfile");

        // The rerun lists and fetches the release branch over SSH and pushes nothing.
        CommitResult again = release(creds, "keyfile").call();
        assertThat(again.status()).isEqualTo(CommitResult.Status.UP_TO_DATE);
        assertThat(again.commit()).isEqualTo(r.commit());
        assertThat(server.repository().exactRef("refs/heads/" + r.branch()).getObjectId().name()).isEqualTo(r.commit());
    }

    @Test
    void pushesWithKeyTextAndDeletesTheTempKeyFileAfterwards() throws Exception {
        String keyText = Files.readString(server.userKey());
        List<Path> seenDuringSession = new ArrayList<>();
        GitCredentials creds = GitCredentials.sshKey(Secret.of(keyText), null, server.knownHosts());
        CommitResult r = release(creds, "keytext").setEdit(ReleaseEdit.of(files -> {
            // Runs after the fetch, i.e. while the SSH session factory (and its temp key file) is live.
            seenDuringSession.addAll(tempKeyFilesHolding(keyText));
            return List.of(FileChange.of("releases/keytext.yaml", "image: reg/keytext:1\n", FileChange.Kind.CREATED));
        })).call();

        assertServerHas(r, "keytext");
        assertThat(seenDuringSession).hasSize(1);
        assertThat(seenDuringSession.get(0)).doesNotExist();
        assertThat(seenDuringSession.get(0).getParent()).doesNotExist();
        assertThat(tempKeyFilesHolding(keyText)).isEmpty();
    }

    @Test
    void pushesWithAnEncryptedKeyFileAndItsPassphrase() throws Exception {
        CommitResult r = release(GitCredentials.sshKeyFile(server.encryptedUserKey(),
                Secret.of(SshGitServerFixture.PASSPHRASE), server.knownHosts()), "enckeyfile").call();
        assertServerHas(r, "enckeyfile");
    }

    @Test
    void pushesWithEncryptedKeyTextAndItsPassphrase() throws Exception {
        String keyText = Files.readString(server.encryptedUserKey());
        assertThat(keyText).contains("BEGIN OPENSSH PRIVATE KEY");
        CommitResult r = release(GitCredentials.sshKey(Secret.of(keyText), Secret.of(SshGitServerFixture.PASSPHRASE),
                server.knownHosts()), "enckeytext").call();
        assertServerHas(r, "enckeytext");
    }

    @Test
    void wrongKeyFailsClearlyWithoutKeyMaterialOrPassphrase() throws Exception {
        String passphrase = "canary-pass-WRONGKEY";
        Path stranger = server.newKey("id_stranger_enc", passphrase);
        String keyText = Files.readString(stranger);
        int refusedBefore = server.authFailures();

        assertThatThrownBy(() -> release(GitCredentials.sshKey(Secret.of(keyText), Secret.of(passphrase),
                server.knownHosts()), "wrongkey").call())
                .isInstanceOf(OperationFailedException.class)
                .satisfies(e -> {
                    String m = fullText(e);
                    assertThat(e.getMessage()).startsWith("git fetch ssh://").contains("authentication failed")
                            .contains("the server refused the SSH key");
                    assertNoSecrets(m, keyText, passphrase);
                });
        assertThat(server.authFailures()).as("the server saw the key and refused it").isGreaterThan(refusedBefore);
        assertThat(branchExists("wrongkey")).isFalse();
        assertThat(tempKeyFilesHolding(keyText)).as("the temp key file is gone after a failure too").isEmpty();
    }

    @Test
    void wrongKeyFileFailsClearly() throws Exception {
        assertThatThrownBy(() -> release(GitCredentials.sshKeyFile(server.strangerKey(), null, server.knownHosts()),
                "wrongkeyfile").call())
                .isInstanceOf(OperationFailedException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains("authentication failed")
                            .contains("the server refused the SSH key");
                    assertNoSecrets(fullText(e), Files.readString(server.strangerKey()), null);
                });
        assertThat(branchExists("wrongkeyfile")).isFalse();
    }

    @Test
    void wrongPassphraseFailsWithoutEchoingIt() throws Exception {
        String wrong = "canary-pass-NOTIT";
        assertThatThrownBy(() -> release(GitCredentials.sshKeyFile(server.encryptedUserKey(), Secret.of(wrong),
                server.knownHosts()), "wrongpass").call())
                .isInstanceOf(OperationFailedException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains("authentication failed")
                            .contains("the SSH key could not be loaded: check its passphrase");
                    assertNoSecrets(fullText(e), Files.readString(server.encryptedUserKey()), wrong);
                    assertThat(fullText(e)).doesNotContain(SshGitServerFixture.PASSPHRASE);
                });
        assertThat(branchExists("wrongpass")).isFalse();
    }

    @Test
    void encryptedKeyWithoutPassphraseFailsClearly() throws Exception {
        assertThatThrownBy(() -> release(GitCredentials.sshKeyFile(server.encryptedUserKey(), null,
                server.knownHosts()), "nopass").call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("authentication failed")
                .hasMessageContaining("the SSH key is encrypted and no passphrase was given");
        assertThat(branchExists("nopass")).isFalse();
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
        int refusedBefore = server.authFailures();
        assertThatThrownBy(() -> release(GitCredentials.sshKeyFile(server.userKey(), null, empty), "unknownhost")
                .call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("host key is not in " + empty).hasMessageContaining("refusing to connect")
                .hasMessageContaining("--known-hosts");
        assertThat(branchExists("unknownhost")).isFalse();
        assertThat(Files.readString(empty)).as("the unknown host key was not learned").isEmpty();
        assertThat(server.authFailures()).isEqualTo(refusedBefore);
    }

    @Test
    void changedHostKeyIsRefused() throws Exception {
        Path other = server.newKey("other_host_key", "");
        String[] pub = Files.readString(Path.of(other + ".pub")).trim().split(" ");
        String line = "[127.0.0.1]:" + server.port() + " " + pub[0] + " " + pub[1] + "\n";
        Path hosts = Files.writeString(tmp.resolve("known_hosts"), line);
        assertThatThrownBy(() -> release(GitCredentials.sshKeyFile(server.userKey(), null, hosts), "changedhost")
                .call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("host key is not in " + hosts + " or does not match it");
        assertThat(branchExists("changedhost")).isFalse();
        assertThat(Files.readString(hosts)).isEqualTo(line);
    }

    /** The message and every cause's message: what a log or a stack trace could show. */
    static String fullText(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    static void assertNoSecrets(String text, String keyText, String passphrase) {
        assertThat(text).doesNotContain("PRIVATE KEY");
        for (String line : keyText.split("\n")) {
            if (!line.startsWith("-----") && line.length() > 8) {
                assertThat(text).doesNotContain(line);
            }
        }
        if (passphrase != null) {
            assertThat(text).doesNotContain(passphrase);
        }
    }

    /** Files named id_key under java.io.tmpdir's gitops-release-ssh* directories whose content is this key. */
    static List<Path> tempKeyFilesHolding(String keyText) {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmpdir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("gitops-release-ssh"))
                    .map(d -> d.resolve("id_key")).filter(Files::isRegularFile).filter(f -> {
                        try {
                            return Files.readString(f).strip().equals(keyText.strip());
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
