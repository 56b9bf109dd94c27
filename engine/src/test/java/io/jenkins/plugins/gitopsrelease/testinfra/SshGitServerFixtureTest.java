package io.jenkins.plugins.gitopsrelease.testinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SSH Git fixture listens on loopback only and serves the seeded repository to the real OpenSSH client. */
class SshGitServerFixtureTest {
    @RegisterExtension
    static SshGitServerFixture server = SshGitServerFixture.gitopsExample();

    @Test
    void listensOnLoopbackOnly() {
        assertThat(server.boundAddresses()).isNotEmpty().allMatch(SshGitServerFixture::isLoopback);
        assertThat(server.url()).isEqualTo("ssh://git@127.0.0.1:" + server.port() + "/repo");
        assertThat(server.hostKeyLine()).startsWith("[127.0.0.1]:" + server.port() + " ssh-ed25519 ");
    }

    @Test
    void openSshClientListsTheSeededBranchWithStrictHostKeyChecking() {
        String refs = ExternalTool.run(gitOverSsh(server.userKey(), "ls-remote", server.url()), null, 30);
        assertThat(refs).contains("refs/heads/main");
        String tree = ExternalTool.run(List.of("git", "--git-dir", server.repository().getDirectory().toString(),
                "ls-tree", "-r", "--name-only", "main"), null, 30);
        assertThat(tree).contains("namespaces/default/projects/shop/project.yaml", "README.md");
    }

    @Test
    void unknownKeyIsRefused() {
        int before = server.authFailures();
        assertThatThrownBy(() -> ExternalTool.run(gitOverSsh(server.strangerKey(), "ls-remote", server.url()), null,
                30)).hasMessageContaining("Permission denied");
        assertThat(server.authFailures()).isGreaterThan(before);
    }

    static List<String> gitOverSsh(Path key, String... args) {
        ExternalTool.require("ssh", "openssh-client");
        String ssh = "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=" + server.knownHosts() + " -i " + key;
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "core.sshCommand=" + ssh));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
