package io.jenkins.plugins.gitopsrelease.report;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentState;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.EnvironmentStatus;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.FileChanged;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.Promotion;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.PullRequest;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.StageError;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport.StageTiming;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders a report as HTML with no external resources (no CSS, JavaScript, fonts or images to fetch), so it can be
 * embedded in a Jenkins page or opened from disk. Every value from the report is escaped; only http(s) URLs become
 * links. All CSS is scoped under {@value #ROOT_CLASS} so it cannot restyle the page around it, and there is no
 * script and no inline {@code style} attribute (bars are SVG), which keeps it within strict content policies
 * that still allow a {@code <style>} element.
 */
public final class ReportHtml {
    public static final String ROOT_CLASS = "gitops-release-report";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String R = "." + ROOT_CLASS;
    private static final String CSS = String.join("\n",
            R + "{--grr-fg:#1f2328;--grr-muted:#59636e;--grr-border:#d1d9e0;--grr-bg:#fff;--grr-subtle:#f6f8fa;"
                    + "--grr-ok:#1a7f37;--grr-ok-bg:#dafbe1;--grr-fail:#cf222e;--grr-fail-bg:#ffebe9;"
                    + "--grr-info:#0969da;--grr-info-bg:#ddf4ff;--grr-wait:#9a6700;--grr-wait-bg:#fff8c5;"
                    + "--grr-skip:#59636e;--grr-skip-bg:#eff2f5;"
                    + "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
                    + "color:var(--grr-fg);background:var(--grr-bg);border:1px solid var(--grr-border);"
                    + "border-radius:8px;padding:16px 20px;max-width:1240px;text-align:left}",
            R + " *{box-sizing:border-box}",
            R + " a{color:var(--grr-info);text-decoration:none}",
            R + " a:hover{text-decoration:underline}",
            R + " code," + R + " .grr-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',"
                    + "monospace;font-size:12.5px}",
            R + " .grr-header{display:flex;align-items:center;flex-wrap:wrap;gap:6px 14px;padding-bottom:12px;"
                    + "border-bottom:1px solid var(--grr-border)}",
            R + " .grr-title{font-size:22px;font-weight:600;margin:0;word-break:break-word}",
            R + " .grr-sub{color:var(--grr-muted)}",
            R + " .grr-sub b{color:var(--grr-fg);font-weight:600}",
            R + " .grr-spacer{flex:1}",
            R + " .grr-badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;"
                    + "line-height:18px;border:1px solid transparent;white-space:nowrap;vertical-align:middle}",
            R + " .grr-badge-lg{font-size:13px;padding:3px 12px}",
            R + " .grr-ok{color:var(--grr-ok);background:var(--grr-ok-bg);border-color:#aceebb}",
            R + " .grr-fail{color:var(--grr-fail);background:var(--grr-fail-bg);border-color:#ffcecb}",
            R + " .grr-info{color:var(--grr-info);background:var(--grr-info-bg);border-color:#b6e3ff}",
            R + " .grr-wait{color:var(--grr-wait);background:var(--grr-wait-bg);border-color:#f5e0a0}",
            R + " .grr-skip{color:var(--grr-skip);background:var(--grr-skip-bg);border-color:var(--grr-border)}",
            R + " .grr-badge-lg.grr-ok{color:#fff;background:var(--grr-ok);border-color:var(--grr-ok)}",
            R + " .grr-badge-lg.grr-fail{color:#fff;background:var(--grr-fail);border-color:var(--grr-fail)}",
            R + " h3{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;"
                    + "color:var(--grr-muted);margin:16px 0 6px}",
            R + " .grr-facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px;"
                    + "margin-top:14px}",
            R + " .grr-fact{border:1px solid var(--grr-border);border-radius:6px;padding:8px 12px;"
                    + "background:var(--grr-subtle);min-width:0}",
            R + " .grr-fact-label{font-size:12px;color:var(--grr-muted);margin-bottom:2px}",
            R + " .grr-fact-main{font-weight:600;overflow-wrap:anywhere}",
            R + " .grr-fact-line{color:var(--grr-muted);font-size:12.5px;overflow-wrap:anywhere;margin-top:2px}",
            R + " .grr-pipeline{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:4px 0 8px}",
            R + " .grr-arrow{color:var(--grr-muted)}",
            R + " .grr-env{border:1px solid var(--grr-border);border-radius:6px;padding:3px 10px;font-weight:600}",
            R + " .grr-env-state{font-weight:400;font-size:12px;margin-left:6px;opacity:.85}",
            R + " .grr-nowrap,"+ R + " td.grr-nowrap{white-space:nowrap;overflow-wrap:normal}",
            R + " table{width:100%;border-collapse:collapse;font-size:13px}",
            R + " th{text-align:left;font-weight:600;color:var(--grr-muted);font-size:12px;padding:5px 8px;"
                    + "border-bottom:1px solid var(--grr-border);background:var(--grr-subtle)}",
            R + " td{padding:5px 8px;border-bottom:1px solid var(--grr-border);vertical-align:middle;"
                    + "overflow-wrap:anywhere}",
            R + " td.grr-num," + R + " th.grr-num{text-align:right;white-space:nowrap}",
            R + " .grr-cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 24px}",
            R + " .grr-bar{display:block}",
            R + " .grr-bar-bg{fill:var(--grr-skip-bg)}",
            R + " .grr-bar-OK{fill:var(--grr-ok)}",
            R + " .grr-bar-FAILED{fill:var(--grr-fail)}",
            R + " .grr-bar-SKIPPED{fill:#afb8c1}",
            R + " .grr-files{list-style:none;margin:0;padding:0}",
            R + " .grr-files li{padding:3px 0;border-bottom:1px solid var(--grr-border);overflow-wrap:anywhere}",
            R + " .grr-files .grr-badge{margin-right:8px;min-width:64px;text-align:center}",
            R + " .grr-errors{margin:14px 0 0}",
            R + " .grr-error{border:1px solid #ffcecb;border-left:4px solid var(--grr-fail);background:var(--grr-fail-bg);"
                    + "border-radius:6px;padding:8px 12px;margin-bottom:8px}",
            R + " .grr-error pre{margin:4px 0 0;white-space:pre-wrap;word-break:break-word;font-size:12.5px}",
            R + " .grr-notes{margin:10px 0 0;padding:8px 12px 8px 28px;background:var(--grr-info-bg);"
                    + "border:1px solid #b6e3ff;border-radius:6px}",
            R + " .grr-muted{color:var(--grr-muted)}",
            R + " .grr-footer{margin-top:14px;color:var(--grr-muted);font-size:12px}");

    private ReportHtml() {
    }

    /** A self-contained fragment: one {@code <div class="gitops-release-report">} with its own style. */
    public static String renderFragment(ReleaseReport r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<div class=\"").append(ROOT_CLASS).append("\">\n<style>\n").append(CSS).append("\n</style>\n");
        header(h, r);
        errors(h, r);
        facts(h, r);
        notes(h, r);
        environments(h, r);
        promotions(h, r);
        h.append("<div class=\"grr-cols\">\n<div>\n");
        stages(h, r);
        h.append("</div>\n<div>\n");
        files(h, r);
        h.append("</div>\n</div>\n");
        h.append("<div class=\"grr-footer\">Started ").append(time(r.startedAt()));
        if (r.finishedAt() != null) {
            h.append(" · finished ").append(time(r.finishedAt()));
        }
        h.append(" · GitOps Release report</div>\n</div>\n");
        return h.toString();
    }

    /** A complete HTML document around the fragment, for {@code --report report.html}. */
    public static String renderPage(ReleaseReport r) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Release " + esc(r.component()) + ": " + r.outcome() + "</title>\n"
                + "<style>body{margin:0;padding:20px;background:#eef1f4}</style>\n</head>\n<body>\n"
                + renderFragment(r) + "</body>\n</html>\n";
    }

    private static void header(StringBuilder h, ReleaseReport r) {
        h.append("<div class=\"grr-header\">\n<h2 class=\"grr-title\">").append(esc(r.component())).append("</h2>\n");
        h.append("<span class=\"grr-sub\">project <b>").append(esc(r.project())).append("</b>");
        if (r.namespace() != null) {
            h.append(" · namespace <b>").append(esc(r.namespace())).append("</b>");
        }
        h.append("</span>\n");
        boolean ok = r.outcome() == ReleaseReport.Outcome.SUCCESS;
        h.append("<span class=\"grr-badge grr-badge-lg ").append(ok ? "grr-ok" : "grr-fail").append("\">")
                .append(r.outcome()).append("</span>\n<span class=\"grr-spacer\"></span>\n");
        r.totalDuration().ifPresent(d -> h.append("<span class=\"grr-sub\">took <b>").append(duration(d))
                .append("</b></span>\n"));
        String link = link(r.componentLink(), "Open component ↗");
        if (link != null) {
            h.append("<span>").append(link).append("</span>\n");
        }
        h.append("</div>\n");
    }

    private static void errors(StringBuilder h, ReleaseReport r) {
        if (r.errors().isEmpty()) {
            return;
        }
        h.append("<div class=\"grr-errors\">\n");
        for (StageError e : r.errors()) {
            h.append("<div class=\"grr-error\"><b>Stage ").append(esc(e.stage())).append(" failed</b><pre>")
                    .append(esc(e.message())).append("</pre></div>\n");
        }
        h.append("</div>\n");
    }

    private static void facts(StringBuilder h, ReleaseReport r) {
        h.append("<div class=\"grr-facts\">\n");
        // Image
        h.append("<div class=\"grr-fact\"><div class=\"grr-fact-label\">Image</div>");
        if (r.image() == null) {
            h.append("<div class=\"grr-fact-main grr-muted\">not built</div>");
        } else {
            String ref = r.image().repository() + (r.image().tag() == null ? "" : ":" + r.image().tag());
            String href = safeHref(r.imageLink());
            h.append("<div class=\"grr-fact-main grr-mono\">").append(href == null ? slashBreaks(ref)
                    : anchor(href, slashBreaks(ref)))
                    .append("</div>");
            h.append("<div class=\"grr-fact-line\">").append(r.image().digest() == null ? "no digest yet"
                    : digest(r.image().digest())).append("</div>");
        }
        if (r.imageBuilder() != null) {
            h.append("<div class=\"grr-fact-line\">built with <b>").append(esc(r.imageBuilder())).append("</b></div>");
        }
        h.append("</div>\n");
        // Release
        h.append("<div class=\"grr-fact\"><div class=\"grr-fact-label\">Release</div><div class=\"grr-fact-main"
                + " grr-mono\">").append(r.releaseName() == null ? "<span class=\"grr-muted\">none</span>"
                : esc(r.releaseName())).append("</div>");
        h.append("<div class=\"grr-fact-line\">").append(r.filesChanged().size()).append(" file")
                .append(r.filesChanged().size() == 1 ? "" : "s").append(" changed</div></div>\n");
        // Pull request
        h.append("<div class=\"grr-fact\"><div class=\"grr-fact-label\">Pull request</div>");
        PullRequest pr = r.pullRequest();
        if (pr == null) {
            h.append("<div class=\"grr-fact-main grr-muted\">none</div>");
        } else {
            String label = (pr.number() == null ? "" : "#" + pr.number() + " ")
                    + (pr.title() == null ? (pr.number() == null ? "pull request" : "") : pr.title());
            String linked = link(pr.url(), label.strip());
            h.append("<div class=\"grr-fact-main\">");
            if (pr.state() == ReleaseReport.PullRequestState.BRANCH_PUSHED) {
                h.append("branch pushed, no PR opened");
            } else {
                h.append(linked != null ? linked : esc(label.strip()));
            }
            h.append(" ").append(badge(prClass(pr.state()), pr.state().name().replace('_', ' '))).append("</div>");
            if (pr.branch() != null) {
                h.append("<div class=\"grr-fact-line\">branch <code>").append(esc(pr.branch())).append("</code>");
                if (pr.mergeSha() != null) {
                    h.append(" · merged as <code title=\"").append(esc(pr.mergeSha())).append("\">")
                            .append(esc(shortSha(pr.mergeSha()))).append("</code>");
                }
                h.append("</div>");
            }
        }
        h.append("</div>\n");
        h.append("</div>\n");
    }

    private static void notes(StringBuilder h, ReleaseReport r) {
        if (r.notes().isEmpty()) {
            return;
        }
        h.append("<ul class=\"grr-notes\">\n");
        for (String n : r.notes()) {
            // A note ending in an http(s) URL (an OpenChoreo API object) links it; the text stays escaped.
            int sp = n.lastIndexOf(' ');
            String tail = sp < 0 ? n : n.substring(sp + 1);
            String linked = tail.startsWith("http://") || tail.startsWith("https://") ? link(tail, tail) : null;
            h.append("<li>").append(linked == null ? esc(n) : esc(n.substring(0, sp + 1)) + linked).append("</li>\n");
        }
        h.append("</ul>\n");
    }

    private static void environments(StringBuilder h, ReleaseReport r) {
        h.append("<h3>Environments</h3>\n");
        if (r.environments().isEmpty()) {
            h.append("<div class=\"grr-muted\">No environment was deployed.</div>\n");
            return;
        }
        h.append("<div class=\"grr-pipeline\">");
        boolean first = true;
        for (EnvironmentStatus e : r.environments()) {
            if (!first) {
                h.append("<span class=\"grr-arrow\">&rarr;</span>");
            }
            first = false;
            h.append("<span class=\"grr-env ").append(envClass(e.state())).append("\" title=\"")
                    .append(esc(e.name() + ": " + e.state())).append("\">").append(esc(e.name()))
                    .append("<span class=\"grr-env-state\">").append(e.state().name().toLowerCase(Locale.ROOT))
                    .append("</span></span>");
        }
        h.append("</div>\n<table>\n<thead><tr><th>Environment</th><th>Status</th><th>Release</th><th>Digest</th>"
                + "<th class=\"grr-num\">Time to ready</th><th>Link</th></tr></thead>\n<tbody>\n");
        for (EnvironmentStatus e : r.environments()) {
            h.append("<tr><td class=\"grr-nowrap\"><b>").append(esc(e.name())).append("</b></td><td>")
                    .append(badge(envClass(e.state()), e.state().name())).append("</td><td class=\"grr-mono\">")
                    .append(e.releaseName() == null ? "–" : esc(e.releaseName())).append("</td><td>")
                    .append(e.digest() == null ? "–" : digest(e.digest())).append("</td><td class=\"grr-num\">")
                    .append(e.timeToReady() == null ? "–" : duration(e.timeToReady())).append("</td><td>");
            String link = link(e.link(), "open ↗");
            h.append(link == null ? (e.link() == null ? "–" : esc(e.link())) : link).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void promotions(StringBuilder h, ReleaseReport r) {
        if (r.promotions().isEmpty()) {
            return;
        }
        h.append("<h3>Promotions</h3>\n<table>\n<thead><tr><th>From</th><th></th><th>To</th><th>Source</th>"
                + "<th>Destination</th><th>Digest</th></tr></thead>\n<tbody>\n");
        for (Promotion p : r.promotions()) {
            h.append("<tr><td class=\"grr-nowrap\"><b>").append(esc(p.from()))
                    .append("</b></td><td class=\"grr-arrow\">&rarr;</td><td class=\"grr-nowrap\"><b>")
                    .append(esc(p.to())).append("</b></td><td class=\"grr-mono\">")
                    .append(p.sourceRef() == null ? "–" : slashBreaks(p.sourceRef()))
                    .append("</td><td class=\"grr-mono\">")
                    .append(p.destinationRef() == null ? "–" : slashBreaks(p.destinationRef()))
                    .append("</td><td class=\"grr-nowrap\">")
                    .append(digest(p.digest())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void stages(StringBuilder h, ReleaseReport r) {
        h.append("<h3>Stage timings</h3>\n");
        if (r.stages().isEmpty()) {
            h.append("<div class=\"grr-muted\">No stage ran.</div>\n");
            return;
        }
        long max = 1;
        long total = 0;
        for (StageTiming s : r.stages()) {
            max = Math.max(max, s.duration().toMillis());
            total += s.duration().toMillis();
        }
        h.append("<table>\n<thead><tr><th>Stage</th><th>Outcome</th><th class=\"grr-num\">Duration</th><th></th>"
                + "</tr></thead>\n<tbody>\n");
        for (StageTiming s : r.stages()) {
            // Bar length is relative to the longest stage; a minimum keeps short stages visible.
            double width = s.duration().isZero() ? 0 : Math.max(1.5, 100.0 * s.duration().toMillis() / max);
            h.append("<tr><td>").append(esc(s.stage())).append("</td><td>")
                    .append(badge(stageClass(s.outcome()), s.outcome().name())).append("</td><td class=\"grr-num\">")
                    .append(duration(s.duration())).append("</td><td>")
                    .append("<svg class=\"grr-bar\" width=\"160\" height=\"10\" viewBox=\"0 0 100 10\""
                            + " preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                    .append(String.format(Locale.ROOT, "%.0f", 100.0 * s.duration().toMillis() / max))
                    .append("% of the longest stage\"><rect class=\"grr-bar-bg\" width=\"100\" height=\"10\""
                            + " rx=\"2\"/><rect class=\"grr-bar-").append(s.outcome().name()).append("\" width=\"")
                    .append(String.format(Locale.ROOT, "%.2f", width)).append("\" height=\"10\" rx=\"2\"/></svg>")
                    .append("</td></tr>\n");
        }
        h.append("<tr><td><b>total</b></td><td></td><td class=\"grr-num\"><b>").append(duration(Duration.ofMillis(total)))
                .append("</b></td><td></td></tr>\n</tbody>\n</table>\n");
    }

    private static void files(StringBuilder h, ReleaseReport r) {
        h.append("<h3>Files changed</h3>\n");
        if (r.filesChanged().isEmpty()) {
            h.append("<div class=\"grr-muted\">No file changed.</div>\n");
            return;
        }
        h.append("<ul class=\"grr-files\">\n");
        for (FileChanged f : r.filesChanged()) {
            boolean created = f.change() == FileChange.Kind.CREATED;
            h.append("<li>").append(badge(created ? "grr-ok" : "grr-info", created ? "created" : "updated"))
                    .append("<code>").append(slashBreaks(f.path())).append("</code></li>\n");
        }
        h.append("</ul>\n");
    }

    private static String badge(String cssClass, String text) {
        return "<span class=\"grr-badge " + cssClass + "\">" + esc(text) + "</span>";
    }

    private static String envClass(EnvironmentState s) {
        return switch (s) {
            case DEPLOYED -> "grr-ok";
            case PROMOTED -> "grr-info";
            case PENDING -> "grr-wait";
            case FAILED -> "grr-fail";
        };
    }

    private static String stageClass(ReleaseReport.StageOutcome o) {
        return switch (o) {
            case OK -> "grr-ok";
            case FAILED -> "grr-fail";
            case SKIPPED -> "grr-skip";
        };
    }

    private static String prClass(ReleaseReport.PullRequestState s) {
        return switch (s) {
            case OPEN -> "grr-ok";
            case MERGED -> "grr-info";
            case CLOSED -> "grr-fail";
            case BRANCH_PUSHED -> "grr-wait";
        };
    }

    /** Short digest shown, the full one in the title (hover) attribute. */
    private static String digest(String digest) {
        int colon = digest.indexOf(':');
        String hex = digest.substring(colon + 1);
        String shown = digest.substring(0, colon + 1) + (hex.length() > 12 ? hex.substring(0, 12) : hex);
        return "<code class=\"grr-nowrap\" title=\"" + esc(digest) + "\">" + esc(shown) + "</code>";
    }

    private static String shortSha(String sha) {
        return sha.length() > 10 ? sha.substring(0, 10) : sha;
    }

    /** An anchor if the URL is http(s), else null: a report must never carry javascript:, data: or file: links. */
    static String link(String url, String text) {
        String href = safeHref(url);
        if (href == null) {
            return null;
        }
        return anchor(href, esc(text));
    }

    private static String anchor(String href, String escapedContent) {
        return "<a href=\"" + esc(href) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + escapedContent
                + "</a>";
    }

    /** Escapes each segment and lets long paths and image references wrap after a '/'. */
    static String slashBreaks(String s) {
        StringBuilder out = new StringBuilder();
        String[] parts = s.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append("/<wbr>");
            }
            out.append(esc(parts[i]));
        }
        return out.toString();
    }

    static String safeHref(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return null; // browsers drop control characters and spaces, which can hide a scheme
            }
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null) {
                return null;
            }
            String s = scheme.toLowerCase(Locale.ROOT);
            return s.equals("http") || s.equals("https") ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String time(Instant t) {
        return esc(TIME.format(t));
    }

    /** HTML-escapes text for element content and double- or single-quoted attribute values. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
