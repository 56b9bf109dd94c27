package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.WarExploder;

/**
 * The plugin in a live controller: {@code bench/jenkins-live.sh} starts jenkins.war with the packaged hpi and the
 * resolved plugins, configured by JCasC against the real fixtures, runs buildImage → openReleasePr →
 * watchDeployment → promoteImage through the REST API and checks the result, the pages and the logs (28 checks).
 * Runs after {@code package} (failsafe), so it tests the hpi users install.
 */
class LiveControllerIT {
    @Test
    void aReleaseRunsInALiveController() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
        File war = WarExploder.findJenkinsWar();
        Path shots = Files.createTempDirectory("jenkins-live-shots");
        ProcessBuilder pb = new ProcessBuilder("bash", "bench/jenkins-live.sh").directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().put("WAR", war.getAbsolutePath());
        pb.environment().put("SCREENSHOTS", shots.toString());
        Process p = pb.start();
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println(line);
                if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        boolean done = p.waitFor(40, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat("the script finished", done, is(true));
        assertThat(last, matchesPattern("jenkins-live: [1-9][0-9]* passed, 0 failed"));
        assertThat(p.exitValue(), is(0));
        assertThat(Files.exists(shots.resolve("jenkins-release-page.png")), is(true));
    }
}
