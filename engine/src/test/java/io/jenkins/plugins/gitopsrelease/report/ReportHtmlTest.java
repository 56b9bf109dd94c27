package io.jenkins.plugins.gitopsrelease.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jenkins.plugins.gitopsrelease.report.SampleReports.DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

class ReportHtmlTest {

    private static final String ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;";

    @Test
    void escapesEveryUserControlledValue() {
        String html = ReportHtml.renderPage(SampleReports.hostile());
        // Nothing the report carries can open a tag or close an attribute.
        assertThat(html).doesNotContain("<script").doesNotContain("alert(\"x\")").doesNotContain("</script>'");
        for (String prefix : new String[] {"comp", "proj", "ns", "builder", "release", "title", "branch", "env", "rel", "from", "to", "stage", "error", "note"}) {
            assertThat(html).as(prefix).contains(prefix + ESCAPED);
        }
        // Paths and image references may wrap after '/', so there the escaped text carries <wbr> after each '/'.
        String wrapped = ESCAPED.replace("/", "/<wbr>");
        assertThat(html).contains("registry.example.com/<wbr>app" + wrapped + ":t" + wrapped)
                .contains("dir/<wbr>file" + wrapped + ".yaml")
                .contains("src" + wrapped).contains("dst" + wrapped);
        assertThat(html).contains("<title>Release comp" + ESCAPED + ": FAILED</title>");
    }

    @Test
    void onlyHttpUrlsBecomeLinks() {
        String html = ReportHtml.renderFragment(SampleReports.hostile());
        assertThat(html.toLowerCase()).doesNotContain("javascript:alert(document")
                .doesNotContain("href=\"javascript").doesNotContain("href=\"data:").doesNotContain("href=\" ");
        assertThat(hrefs(html)).isEmpty();
        // The PR is still shown, as text, with its number and title.
        assertThat(html).contains("#7 title" + ESCAPED);

        String good = ReportHtml.renderFragment(SampleReports.realistic());
        assertThat(hrefs(good)).containsExactly(
                "https://console.example.com/ns/default/projects/online-store/components/checkout-service",
                "https://registry.example.com/online-store/checkout-service/tags/1.4.2",
                "https://github.example.com/acme/gitops/pull/42",
                "https://console.example.com/ns/default/projects/online-store/components/checkout-service/env/development",
                "https://console.example.com/ns/default/projects/online-store/components/checkout-service/env/staging",
                "https://console.example.com/ns/default/projects/online-store/components/checkout-service/env/production");
        assertThat(good).contains("rel=\"noopener noreferrer\"");
    }

    @Test
    void safeHrefRejectsEverythingButHttp() {
        assertThat(ReportHtml.safeHref("https://x.example/a?b=c")).isEqualTo("https://x.example/a?b=c");
        assertThat(ReportHtml.safeHref("HTTP://x.example/")).isEqualTo("HTTP://x.example/");
        assertThat(ReportHtml.safeHref("javascript:alert(1)")).isNull();
        assertThat(ReportHtml.safeHref(" JaVaScRiPt:alert(1)")).isNull();
        assertThat(ReportHtml.safeHref("java\tscript:alert(1)")).isNull();
        assertThat(ReportHtml.safeHref("data:text/html,x")).isNull();
        assertThat(ReportHtml.safeHref("file:///etc/passwd")).isNull();
        assertThat(ReportHtml.safeHref("//evil.example/x")).isNull();
        assertThat(ReportHtml.safeHref("https:/no-host")).isNull();
        assertThat(ReportHtml.safeHref("https://x.example/a b")).isNull();
        assertThat(ReportHtml.safeHref(null)).isNull();
    }

    @Test
    void fragmentIsSelfContainedAndScoped() {
        String html = ReportHtml.renderFragment(SampleReports.realistic());
        assertThat(html).startsWith("<div class=\"gitops-release-report\">").endsWith("</div>\n");
        String lower = html.toLowerCase();
        for (String external : new String[] {"<script", "<link", "src=", "url(", "@import", "@font-face",
                "style=\"", "onclick", "onerror"}) {
            assertThat(lower).as(external).doesNotContain(external);
        }
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertThat(style.find()).isTrue();
        int rules = 0;
        for (String rule : style.group(1).split("}")) {
            if (rule.isBlank()) {
                continue;
            }
            String selectors = rule.substring(0, rule.indexOf('{'));
            for (String selector : selectors.split(",")) {
                assertThat(selector.strip()).as("CSS selector").startsWith(".gitops-release-report");
            }
            rules++;
        }
        assertThat(rules).isGreaterThan(20);
    }

    @Test
    void pageWrapsTheFragment() {
        ReleaseReport r = SampleReports.realistic();
        String page = ReportHtml.renderPage(r);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
                .contains(ReportHtml.renderFragment(r)).endsWith("</html>\n");
    }

    @Test
    void showsTheRunsFacts() {
        String html = ReportHtml.renderFragment(SampleReports.realistic());
        assertThat(html).contains("<h2 class=\"grr-title\">checkout-service</h2>")
                .contains("project <b>online-store</b> · namespace <b>default</b>")
                .contains(">SUCCESS</span>")
                .contains("registry.example.com/<wbr>online-store/<wbr>checkout-service:1.4.2")
                .contains("<code class=\"grr-nowrap\" title=\"" + DIGEST + "\">sha256:4f2b8c1d9e0a</code>")
                .contains("built with <b>jib</b>")
                .contains("checkout-service-20250301-1")
                .contains("#42 Release checkout-service 1.4.2 to development")
                .contains(">MERGED</span>")
                .contains("merged as <code title=\"9fceb02d0ae598e95dc970b74767f19372d61af8\">9fceb02d0a</code>")
                .contains("41.3 s").contains("38.9 s")
                .contains("registry.staging.example.com/<wbr>online-store/<wbr>checkout-service:1.4.2")
                .contains("releases/<wbr>checkout-service-20250301-1.yaml")
                .contains("took <b>1 min 06 s</b>")
                .doesNotContain("class=\"grr-error\"");
        // Environments and stages appear in the order the run recorded them.
        assertThat(html.indexOf(">development<")).isLessThan(html.indexOf(">staging<"));
        assertThat(html.indexOf(">staging<")).isLessThan(html.indexOf(">production<"));
        assertThat(html.indexOf("<td>build</td>")).isLessThan(html.indexOf("<td>push</td>"));
        assertThat(html.indexOf("<td>watch</td>")).isLessThan(html.indexOf("<td>promote</td>"));
        // The longest stage (watch) has the full bar; build is 12.4/41.25 of it.
        assertThat(html).contains("class=\"grr-bar-OK\" width=\"100.00\"").contains("width=\"30.06\"");
    }

    @Test
    void failedRunShowsItsErrorsFirst() {
        String html = ReportHtml.renderFragment(SampleReports.failed());
        assertThat(html).contains(">FAILED</span>").contains("Stage watch failed")
                .contains("ProgressDeadlineExceeded after 600 s\n  pod checkout-service-7d9f-x2k4q: ImagePullBackOff")
                .contains("<span class=\"grr-badge grr-skip\">SKIPPED</span>")
                .doesNotContain("<h3>Promotions</h3>");
        assertThat(html.indexOf("class=\"grr-error\"")).isLessThan(html.indexOf("<h3>Environments</h3>"));
    }

    @Test
    void branchWithoutForgeSaysNoPrWasOpened() {
        String html = ReportHtml.renderFragment(SampleReports.realisticBuilder()
                .setPullRequest(new ReleaseReport.PullRequest(null, null,
                        ReleaseReport.PullRequestState.BRANCH_PUSHED, "release/checkout-service-1", null, null))
                .addNote("No forge is configured: open a pull request from release/checkout-service-1 to main.")
                .build());
        assertThat(html).contains("branch pushed, no PR opened").contains(">BRANCH PUSHED</span>")
                .contains("<li>No forge is configured: open a pull request from release/checkout-service-1 to main.</li>");
    }

    @Test
    void formatsDurations() {
        assertThat(ReportHtml.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(ReportHtml.duration(Duration.ofMillis(4_249))).isEqualTo("4.2 s");
        assertThat(ReportHtml.duration(Duration.ofSeconds(125))).isEqualTo("2 min 05 s");
        assertThat(ReportHtml.duration(Duration.ofMinutes(62))).isEqualTo("1 h 02 min");
    }

    @Test
    void escapeCoversAttributeAndTextContexts() {
        assertThat(ReportHtml.esc("a<b>\"c\"'d'&e")).isEqualTo("a&lt;b&gt;&quot;c&quot;&#39;d&#39;&amp;e");
        assertThat(ReportHtml.esc("plain")).isEqualTo("plain");
        assertThat(ReportHtml.esc(null)).isEmpty();
    }

    @Test
    void slashBreaksEscapesEachSegment() {
        assertThat(ReportHtml.slashBreaks("a/<b>/c&")).isEqualTo("a/<wbr>&lt;b&gt;/<wbr>c&amp;");
        assertThat(ReportHtml.slashBreaks("/x/")).isEqualTo("/<wbr>x/<wbr>");
    }

    private static java.util.List<String> hrefs(String html) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
