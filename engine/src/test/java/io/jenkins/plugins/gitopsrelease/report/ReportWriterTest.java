package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void htmlExtensionsWriteAPage() throws Exception {
        for (String name : new String[] {"report.html", "REPORT.HTM", "sub/dir/r.htm"}) {
            Path file = dir.resolve(name);
            ReportWriter.write(SampleReports.realistic(), file);
            assertThat(Files.readString(file)).isEqualTo(ReportHtml.renderPage(SampleReports.realistic()));
        }
    }

    @Test
    void jsonExtensionWritesJson() {
        Path file = dir.resolve("report.JSON");
        ReportWriter.write(SampleReports.failed(), file);
        assertThat(ReportJson.read(file)).isEqualTo(SampleReports.failed());
    }

    @Test
    void otherExtensionsAreRefusedAndNothingIsWritten() throws Exception {
        for (String name : new String[] {"report.txt", "report", "report.html.bak"}) {
            Path file = dir.resolve(name);
            assertThatThrownBy(() -> ReportWriter.write(SampleReports.realistic(), file))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("--report: invalid value '" + file + "': name the file with .html or .htm (a page to"
                            + " open in a browser) or .json (for tools)");
        }
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }
}
