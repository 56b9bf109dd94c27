package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

import java.nio.file.Path;
import java.util.Locale;

/** Writes a report where {@code --report FILE} asks: the file name's extension chooses the format. */
public final class ReportWriter {
    public enum Format { HTML, JSON }

    private ReportWriter() {
    }

    /** .html/.htm → a full HTML page, .json → JSON; anything else is refused before the run starts. */
    public static Format formatFor(Path file) {
        Path name = file == null ? null : file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".html") || n.endsWith(".htm")) {
            return Format.HTML;
        }
        if (n.endsWith(".json")) {
            return Format.JSON;
        }
        throw InvalidInputException.invalid("--report", file,
                "name the file with .html or .htm (a page to open in a browser) or .json (for tools)");
    }

    /** Writes atomically; the parent directory is created if needed. */
    public static void write(ReleaseReport report, Path file) {
        switch (formatFor(file)) {
            case HTML -> AtomicFiles.writeString(file, ReportHtml.renderPage(report));
            case JSON -> ReportJson.write(report, file);
            default -> throw new IllegalStateException();
        }
    }
}
