package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials: SSH keys reach JGit's Apache MINA factory; secrets never show in text. */
class GitCredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void sshKeyTextGoesToAPrivateTempFileThatCloseRemoves() throws Exception {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\ncanary-key-material\n-----END OPENSSH PRIVATE KEY-----";
        GitCredentials creds = GitCredentials.sshKey(Secret.of(key), null, null);
        assertThat(creds.isSsh()).isTrue();
        assertThat(creds.toString()).doesNotContain("canary");
        Path identity;
        try (Repository repo = FileRepositoryBuilder.create(tmp.resolve("r.git").toFile());
                GitCredentials.Session s = creds.open()) {
            repo.create(true);
            try (Transport t = Transport.open(repo, new URIish("ssh://git@127.0.0.1:2222/org/gitops.git"))) {
                s.configure(t);
                assertThat(t).isInstanceOf(SshTransport.class);
                assertThat(((SshTransport) t).getSshSessionFactory()).isInstanceOf(SshdSessionFactory.class);
            }
            identity = s.sshIdentities().get(0);
            assertThat(Files.readString(identity)).contains("canary-key-material");
            assertThat(Files.getPosixFilePermissions(identity)).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(identity).doesNotExist();
    }

    @Test
    void sshKeyFileMustBeReadable() {
        assertThatThrownBy(() -> GitCredentials.sshKeyFile(tmp.resolve("missing"), null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--ssh-key-file");
        assertThatThrownBy(() -> GitCredentials.sshKey(Secret.of("k"), null, tmp.resolve("no_known_hosts")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--known-hosts");
    }

    @Test
    void passwordCredentialsMaskTheSecret() {
        GitCredentials c = GitCredentials.password("bot", Secret.of("canary-pw-123"));
        assertThat(c.toString()).contains("bot").doesNotContain("canary-pw-123");
        assertThatThrownBy(() -> GitCredentials.password(" ", Secret.of("x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--git-username");
    }

    @Test
    void urlsWithCredentialsAreRefusedAndRedacted() {
        assertThat(GitUrls.check("https://github.com/o/r.git").getHost()).isEqualTo("github.com");
        assertThat(GitUrls.check("ssh://git@host/o/r.git").getUser()).isEqualTo("git");
        assertThat(GitUrls.check("git@host:o/r.git").getPath()).isEqualTo("o/r.git");
        assertThatThrownBy(() -> GitUrls.check("ssh://git:canary-p@host/o/r.git"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("canary-p"));
        assertThat(GitUrls.redact("https://u:canary@h/x.git")).isEqualTo("https://***@h/x.git");
    }

    @Test
    void releaseInfoDerivesRev8AndRejectsBadComponents() {
        assertThat(new ReleaseInfo("p", "api", "reg/api:1", "0123456789abc").rev8()).isEqualTo("01234567");
        assertThat(new ReleaseInfo("p", "api", "reg/api@sha256:" + "cd".repeat(32), null).rev8()).isEqualTo("cdcdcdcd");
        assertThat(new ReleaseInfo("p", "api", "reg:5000/api:v1-1a2b3c4d", null).rev8()).isEqualTo("1a2b3c4d");
        assertThat(new ReleaseInfo("p", "api", "reg:5000/api", null).rev8()).isEqualTo("latest");
        assertThatThrownBy(() -> new ReleaseInfo("p", "Bad Name", "i:1", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--component");
        assertThat(CommitRelease.releaseBranch(CommitRelease.BranchStyle.RELEASE_NAME, "api", "v2", null))
                .isEqualTo("release/api-v2");
        assertThat(CommitRelease.releaseBranch(CommitRelease.BranchStyle.RELEASE_NAME, "api", "api-1a2b3c4d", null))
                .isEqualTo("release/api-1a2b3c4d");
    }

    @Test
    void treeEditsRefuseFileDirectoryClashes() throws Exception {
        try (Repository repo = FileRepositoryBuilder.create(tmp.resolve("t.git").toFile())) {
            repo.create(true);
            try (var ins = repo.newObjectInserter(); var reader = ins.newReader()) {
                var empty = ins.insert(new org.eclipse.jgit.lib.TreeFormatter());
                var base = TreeEdits.apply(reader, ins, empty, java.util.List.of(
                        io.jenkins.plugins.gitopsrelease.files.FileChange.of("a/b.yaml", "x",
                                io.jenkins.plugins.gitopsrelease.files.FileChange.Kind.CREATED),
                        io.jenkins.plugins.gitopsrelease.files.FileChange.of("a-c.yaml", "y",
                                io.jenkins.plugins.gitopsrelease.files.FileChange.Kind.CREATED)));
                assertThatThrownBy(() -> TreeEdits.apply(reader, ins, base, java.util.List.of(
                        io.jenkins.plugins.gitopsrelease.files.FileChange.of("a", "z",
                                io.jenkins.plugins.gitopsrelease.files.FileChange.Kind.CREATED))))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a directory");
                assertThatThrownBy(() -> TreeEdits.apply(reader, ins, base, java.util.List.of(
                        io.jenkins.plugins.gitopsrelease.files.FileChange.of("a-c.yaml/x", "z",
                                io.jenkins.plugins.gitopsrelease.files.FileChange.Kind.CREATED))))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("to be a directory");
                var files = new GitTreeFiles(repo, base, "t");
                assertThat(files.list()).containsExactly("a-c.yaml", "a/b.yaml");
            }
        }
    }
}
