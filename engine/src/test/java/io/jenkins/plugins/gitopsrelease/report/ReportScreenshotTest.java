package io.jenkins.plugins.gitopsrelease.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Renders report pages in headless Chromium and checks the screenshots: the page loads from disk with no network,
 * the styles apply (the outcome badge colours are on screen) and the layout fills the viewport. The PNGs are kept
 * under target/report-screenshots for a person to look at; docs/images/release-report.png is a copy of one.
 */
class ReportScreenshotTest {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    private static final int OK_GREEN = 0x1a7f37;
    private static final int FAIL_RED = 0xcf222e;

    @TempDir
    Path tmp;

    @Test
    void successfulReleaseRendersInChromium() throws Exception {
        BufferedImage image = screenshot(SampleReports.realistic(), "release-report.png");
        assertThat(countNear(image, OK_GREEN)).as("pixels of the SUCCESS badge green").isGreaterThan(500);
        assertThat(countNear(image, FAIL_RED)).as("pixels of the FAILED red").isZero();
    }

    @Test
    void failedReleaseRendersItsErrorInRed() throws Exception {
        BufferedImage image = screenshot(SampleReports.failed(), "release-report-failed.png");
        assertThat(countNear(image, FAIL_RED)).as("pixels of the FAILED badge and error border").isGreaterThan(500);
    }

    private BufferedImage screenshot(ReleaseReport report, String name) throws Exception {
        Path chromium = chromium();
        Path html = tmp.resolve("report.html");
        ReportWriter.write(report, html);
        Path png = tmp.resolve(name);
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars", "--disable-domain-reliability",
                // No name resolves: nothing leaves the machine, and a page needing the network would show it.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
                "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png, html.toUri().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("chromium.log").toFile());
        pb.environment().put("HOME", profile.toString()); // keep Chromium's caches out of the real home
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish in 90 s: " + log());
        }
        assertThat(p.exitValue()).as("chromium exit code; log: %s", log()).isZero();
        assertThat(png).as("screenshot; log: %s", log()).exists();
        assertThat(Files.size(png)).as("PNG size").isGreaterThan(20_000);

        Path kept = Files.createDirectories(Path.of("target", "report-screenshots")).resolve(name);
        Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("decodable PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < HEIGHT; y += 3) {
            for (int x = 0; x < WIDTH; x += 3) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours.size()).as("distinct colours (text, badges, tables)").isGreaterThan(50);
        // Content reaches the lower part of the viewport: the page is laid out, not collapsed or blank.
        assertThat(nonBackgroundRows(image, HEIGHT / 2, HEIGHT)).as("rows with content in the lower half")
                .isGreaterThan(50);
        return image;
    }

    private static Path chromium() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "chromium");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("chromium not found: run .ci/run or apt-get install chromium");
    }

    private String log() {
        try {
            Path log = tmp.resolve("chromium.log");
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static int countNear(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int c = image.getRGB(x, y);
                if (Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 8
                        && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 8
                        && Math.abs((c & 0xff) - (rgb & 0xff)) <= 8) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Rows whose pixels are not all the same colour. */
    private static int nonBackgroundRows(BufferedImage image, int from, int to) {
        int rows = 0;
        for (int y = from; y < to; y++) {
            int first = image.getRGB(0, y);
            for (int x = 1; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != first) {
                    rows++;
                    break;
                }
            }
        }
        return rows;
    }
}
