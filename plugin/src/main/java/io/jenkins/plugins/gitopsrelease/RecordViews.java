package io.jenkins.plugins.gitopsrelease;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Build records and policy results as the run and job pages and {@code /api/json} show them: read-only views of the
 * engine's values, made from what a step captured on the agent (the controller never reads the registry).
 */
final class RecordViews {
    private RecordViews() {
    }

    /** A build's record: attributes (sorted by key), annotations in time order, rejected listing entries. */
    @ExportedBean(defaultVisibility = 3)
    public static final class RecordView {
        private final BuildRecord record;

        RecordView(BuildRecord record) {
            this.record = record;
        }

        @Exported
        public String getImage() {
            return record.image();
        }

        @Exported
        public String getDigest() {
            return record.digest();
        }

        /** {@code referrers-api}, {@code tag-schema}, or {@code build-time} (attributes only, as buildImage wrote them). */
        @Exported
        public String getListing() {
            return record.listing();
        }

        @Exported
        public Map<String, String> getAttributes() {
            return new TreeMap<>(record.attributes());
        }

        @Exported(inline = true)
        public List<AnnotationView> getAnnotations() {
            return record.annotations().stream().map(AnnotationView::new).toList();
        }

        @Exported
        public List<String> getRejected() {
            return record.rejected();
        }
    }

    /** One annotation event: key, value, who/what wrote it, when, and the run that wrote it. */
    @ExportedBean(defaultVisibility = 3)
    public static final class AnnotationView {
        private final Annotation a;

        AnnotationView(Annotation a) {
            this.a = a;
        }

        @Exported
        public String getKey() {
            return a.key();
        }

        @Exported
        public String getValue() {
            return a.value();
        }

        @Exported
        public String getWriter() {
            return a.writer();
        }

        @Exported
        public String getTime() {
            return a.time().toString();
        }

        @Exported
        public String getRunUrl() {
            return a.runUrl();
        }

        /**
         * The run URL as a link target, only when it is an http(s) URL (a Jenkins {@code BUILD_URL}): the value is
         * whatever the writer put there, so {@code javascript:} and the like are shown as text, never linked.
         */
        public String getRunLink() {
            String u = a.runUrl();
            return u != null && (u.startsWith("https://") || u.startsWith("http://")) ? u : null;
        }
    }

    /** One environment's policy verdict on a build: every rule, met or not, with what the record showed. */
    @ExportedBean(defaultVisibility = 3)
    public static final class PolicyView {
        private final PolicyResult p;

        PolicyView(PolicyResult p) {
            this.p = p;
        }

        @Exported
        public String getEnvironment() {
            return p.environment();
        }

        @Exported
        public String getImage() {
            return p.image();
        }

        @Exported
        public boolean isAllowed() {
            return p.allowed();
        }

        @Exported(inline = true)
        public List<RuleView> getRules() {
            return p.rules().stream().map(RuleView::new).toList();
        }
    }

    @ExportedBean(defaultVisibility = 3)
    public static final class RuleView {
        private final PolicyResult.Rule r;

        RuleView(PolicyResult.Rule r) {
            this.r = r;
        }

        @Exported
        public String getRule() {
            return r.rule();
        }

        @Exported
        public boolean isMet() {
            return r.met();
        }

        @Exported
        public String getDetail() {
            return r.detail();
        }
    }
}
