package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code release} is refused with exit 2 before anything is built or written. */
class ReleaseCommandTest {
    @TempDir
    Path tmp;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void needsProjectComponentAndARepository() {
        assertThat(run("release", "--context", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--project and --component");

        assertThat(run("release", "--project", "shop", "--component", "hello-web", "--context", tmp.toString(),
                "--report", tmp.resolve("r.html").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("repositoryUrl");
        assertThat(tmp.resolve("r.html")).doesNotExist();
    }

    @Test
    void refusesAReportThatIsNeitherHtmlNorJsonAndSecretsOnTheCommandLine() throws Exception {
        Path cfg = tmp.resolve("c.yaml");
        Files.writeString(cfg, "repositoryUrl: " + tmp.resolve("gitops.git") + "\n");
        assertThat(run("release", "--config", cfg.toString(), "--project", "shop", "--component", "hello-web",
                "--report", tmp.resolve("r.txt").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--report");
        assertThat(run("release", "--config", cfg.toString(), "--project", "shop", "--component", "hello-web",
                "--registry-password", "canary-in-argv")).isEqualTo(2);
        assertThat(out.toString() + err).doesNotContain("canary-in-argv");
    }

    @Test
    void theExampleIsFoundNextToTheBuild() {
        Path examples = ReleaseCommand.findExamples(tmp);
        assertThat(examples.resolve("hello-web/workload.yaml")).exists();
        assertThat(examples.resolve("gitops-release.yaml")).exists();
    }
}
