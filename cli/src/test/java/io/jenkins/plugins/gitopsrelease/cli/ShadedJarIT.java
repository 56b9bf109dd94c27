package io.jenkins.plugins.gitopsrelease.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.gitopsrelease.testinfra.ForgeMock;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code gitops-release.jar} as users run it ({@code java -jar}): open-pr through the GitLab forge, whose
 * gitlab4j client runs on Jersey + HK2, found through META-INF/services entries the shade plugin must merge.
 */
class ShadedJarIT {
    static final String GIT_PASSWORD = "canary-it-git-s3cr3t";
    static final String TOKEN = "canary-it-gitlab-t0ken";

    @RegisterExtension
    static GitServerFixture git = GitServerFixture.withAuth("bot", GIT_PASSWORD);

    @RegisterExtension
    static ForgeMock forge = new ForgeMock();

    @TempDir
    Path tmp;

    @Test
    void openPrThroughGitLabFromTheShadedJar() throws Exception {
        Path jar = Path.of(System.getProperty("gitopsrelease.cliJar", "target/gitops-release.jar"));
        assertThat(jar).as("run through failsafe after package").isRegularFile();
        Path examples = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        String url = git.createRepository("shaded", examples.resolve("gitops-repo"), "main");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, GIT_PASSWORD + "\n");

        String p = "/api/v4/projects/grp%2Fgitops";
        String mr = "{\"iid\":5,\"state\":\"%s\",\"source_branch\":\"release/hello-web-it1\",\"target_branch\":\"main\","
                + "\"sha\":\"ffff\",\"merge_commit_sha\":%s,\"web_url\":\"https://gl.example/grp/gitops/-/merge_requests/5\"}";
        var s = forge.server();
        s.stubFor(get(urlPathEqualTo(p)).willReturn(okJson("{\"id\":3,\"path_with_namespace\":\"grp/gitops\"}")));
        s.stubFor(get(urlPathEqualTo("/api/v4/projects/3/merge_requests")).willReturn(okJson("[]")));
        s.stubFor(post(p + "/merge_requests").willReturn(status(201).withHeader("Content-Type", "application/json")
                .withBody(mr.formatted("opened", "null"))));
        s.stubFor(put(p + "/merge_requests/5").willReturn(okJson(mr.formatted("opened", "null"))));
        s.stubFor(put(p + "/merge_requests/5/merge").willReturn(okJson(mr.formatted("opened", "null"))));
        s.stubFor(get(urlPathEqualTo(p + "/merge_requests/5")).willReturn(okJson(mr.formatted("merged", "\"abc123\""))));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "open-pr", "--repo", url, "--project", "shop", "--component", "hello-web",
                "--image", "registry.example.com/shop/hello-web:1.0", "--descriptor",
                examples.resolve("hello-web/workload.yaml").toString(), "--release-name", "hello-web-it1",
                "--git-username", "bot", "--git-password-file", pw.toString(), "--forge", "gitlab", "--forge-url",
                forge.url(), "--forge-repo", "grp/gitops", "--token-env", "IT_GITLAB_TOKEN", "--label", "release",
                "--auto-merge", "--wait-merge"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("IT_GITLAB_TOKEN", TOKEN);
        Process proc = pb.start();
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
        }
        String output = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);

        assertThat(proc.exitValue()).as(output).isZero();
        assertThat(output).contains("pr      #5").contains("merged  abc123").doesNotContain(TOKEN)
                .doesNotContain(GIT_PASSWORD)
                // Jersey complains on stderr (JUL) when a provider or the injection manager is not found.
                .doesNotContain("SEVERE").doesNotContain("WARNING");
        s.verify(postRequestedFor(urlEqualTo(p + "/merge_requests")).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
        s.verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5")).withFormParam("add_labels", equalTo("release")));
        s.verify(putRequestedFor(urlEqualTo(p + "/merge_requests/5/merge"))
                .withFormParam("merge_when_pipeline_succeeds", equalTo("true")));
    }
}
