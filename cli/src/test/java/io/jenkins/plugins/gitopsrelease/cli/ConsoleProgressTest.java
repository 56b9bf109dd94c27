package io.jenkins.plugins.gitopsrelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void logsGetOneLinePerFinishedTransferNotOnePerChunk() {
        StringWriter err = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err, true), false, false);
        for (long done = 0; done <= 1000; done += 10) {
            p.transfer("blob sha256:abc", done, 1000);
        }
        p.step("pushed manifest");
        assertThat(err.toString().lines()).containsExactly("blob sha256:abc 1000 B / 1000 B done", "pushed manifest");
    }

    @Test
    void terminalGetsARedrawnBar() {
        StringWriter err = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(err, true), false, true);
        p.transfer("layer", 0, 4 * 1024 * 1024);
        p.transfer("layer", 4 * 1024 * 1024, 4 * 1024 * 1024);
        assertThat(err.toString()).contains("\r").contains("[" + "#".repeat(30) + "] 100% layer 4.0 MiB / 4.0 MiB");
    }

    @Test
    void detailsOnlyWhenVerbose() {
        StringWriter quiet = new StringWriter();
        new ConsoleProgress(new PrintWriter(quiet, true), false, false).detail("GET /v2/");
        StringWriter loud = new StringWriter();
        new ConsoleProgress(new PrintWriter(loud, true), true, false).detail("GET /v2/");
        assertThat(quiet.toString()).isEmpty();
        assertThat(loud.toString()).contains("GET /v2/");
    }
}
