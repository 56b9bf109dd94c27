package io.jenkins.plugins.gitopsrelease.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One release run, as the CLI, the plugin's run page and the JSON file show it. Immutable; every constructor
 * validates, so a report parsed from JSON is held to the same rules as one made with {@link #builder()}.
 * Optional values are {@code null}; lists are never {@code null}. Serializable so a Jenkins agent can return it
 * (record deserialization runs the validating constructor). For XStream persistence (build.xml) store
 * {@link ReportJson#toJson} instead: XStream cannot instantiate records.
 */
public record ReleaseReport(
        String component,
        String project,
        String namespace,
        Image image,
        String imageBuilder,
        String releaseName,
        List<FileChanged> filesChanged,
        PullRequest pullRequest,
        List<EnvironmentStatus> environments,
        List<Promotion> promotions,
        List<StageTiming> stages,
        List<StageError> errors,
        List<String> notes,
        Outcome outcome,
        Instant startedAt,
        Instant finishedAt,
        String componentLink,
        String imageLink) implements Serializable {

    /** Stage names the release command uses, in pipeline order (issue 9); other names are allowed. */
    public static final class Stages {
        public static final String BUILD = "build";
        public static final String PUSH = "push";
        public static final String GENERATE = "generate";
        public static final String PUSH_BRANCH = "push branch";
        public static final String PR = "PR";
        public static final String WATCH = "watch";
        public static final String PROMOTE = "promote";

        private Stages() {
        }
    }

    public enum Outcome { SUCCESS, FAILED }

    public enum EnvironmentState { PENDING, DEPLOYED, FAILED, PROMOTED }

    public enum StageOutcome { OK, FAILED, SKIPPED }

    /** BRANCH_PUSHED: no forge configured; the release branch is in the repository and no PR exists yet. */
    public enum PullRequestState { BRANCH_PUSHED, OPEN, MERGED, CLOSED }

    // Registry digests: algorithm ":" encoded (OCI image spec); sha256 must be 64 lowercase hex digits.
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public record Image(String repository, String tag, String digest) implements Serializable {
        public Image {
            require("image.repository", repository, "give the image repository, e.g. registry.example.com/team/app");
            tag = blankToNull(tag);
            digest = blankToNull(digest);
            if (digest != null) {
                checkDigest("image.digest", digest);
            }
        }

        /** repository:tag@digest, leaving out what is unknown. */
        public String reference() {
            return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        }
    }

    public record FileChanged(String path, FileChange.Kind change) implements Serializable {
        public FileChanged {
            require("filesChanged.path", path, "give the repository-relative path of the changed file");
            RepoPaths.check(path);
            Objects.requireNonNull(change, "filesChanged.change");
        }
    }

    public record PullRequest(String url, Integer number, PullRequestState state, String branch, String title,
                              String mergeSha) implements Serializable {
        public PullRequest {
            url = blankToNull(url);
            branch = blankToNull(branch);
            title = blankToNull(title);
            mergeSha = blankToNull(mergeSha);
            if (state == null) {
                throw new InvalidInputException("pullRequest.state: missing: set one of BRANCH_PUSHED, OPEN, MERGED,"
                        + " CLOSED");
            }
            if (number != null && number <= 0) {
                throw InvalidInputException.invalid("pullRequest.number", number, "PR numbers are positive");
            }
            if (state != PullRequestState.BRANCH_PUSHED && url == null && number == null) {
                throw new InvalidInputException("pullRequest: state " + state + " needs a url or a number;"
                        + " use BRANCH_PUSHED when no PR was opened");
            }
            if (state == PullRequestState.BRANCH_PUSHED && branch == null) {
                throw new InvalidInputException("pullRequest.branch: missing: a BRANCH_PUSHED pull request names"
                        + " the pushed branch");
            }
            if (mergeSha != null && !mergeSha.matches("[0-9a-f]{7,64}")) {
                throw InvalidInputException.invalid("pullRequest.mergeSha", mergeSha,
                        "give the hexadecimal commit id of the merge");
            }
        }
    }

    public record EnvironmentStatus(String name, EnvironmentState state, String releaseName, String digest,
                                    @JsonProperty("timeToReadyMs") Duration timeToReady, String link)
            implements Serializable {
        public EnvironmentStatus {
            require("environments.name", name, "give the environment name, e.g. development");
            if (state == null) {
                throw new InvalidInputException("environments[" + name + "].state: missing: set one of PENDING,"
                        + " DEPLOYED, FAILED, PROMOTED");
            }
            releaseName = blankToNull(releaseName);
            digest = blankToNull(digest);
            link = blankToNull(link);
            if (digest != null) {
                checkDigest("environments[" + name + "].digest", digest);
            }
            checkDuration("environments[" + name + "].timeToReady", timeToReady);
        }
    }

    public record Promotion(String from, String to, String sourceRef, String destinationRef, String digest) implements Serializable {
        public Promotion {
            require("promotions.from", from, "give the source environment name");
            require("promotions.to", to, "give the destination environment name");
            require("promotions.digest", digest, "a promotion copies one digest; give it");
            checkDigest("promotions.digest", digest);
            sourceRef = blankToNull(sourceRef);
            destinationRef = blankToNull(destinationRef);
        }
    }

    public record StageTiming(String stage, @JsonProperty("durationMs") Duration duration, StageOutcome outcome)
            implements Serializable {
        public StageTiming {
            require("stages.stage", stage, "give the stage name, e.g. build");
            if (duration == null) {
                throw new InvalidInputException("stages[" + stage + "].duration: missing: give how long it took"
                        + " (zero for a skipped stage)");
            }
            checkDuration("stages[" + stage + "].duration", duration);
            if (outcome == null) {
                throw new InvalidInputException("stages[" + stage + "].outcome: missing: set OK, FAILED or SKIPPED");
            }
        }
    }

    public record StageError(String stage, String message) implements Serializable {
        public StageError {
            require("errors.stage", stage, "name the stage that failed, e.g. push");
            require("errors.message", message, "give the error message");
        }
    }

    public ReleaseReport {
        component = require("component", component, "give the component name");
        project = require("project", project, "give the project name");
        namespace = blankToNull(namespace);
        imageBuilder = blankToNull(imageBuilder);
        releaseName = blankToNull(releaseName);
        componentLink = blankToNull(componentLink);
        imageLink = blankToNull(imageLink);
        filesChanged = copy(filesChanged, "filesChanged");
        environments = copy(environments, "environments");
        promotions = copy(promotions, "promotions");
        stages = copy(stages, "stages");
        errors = copy(errors, "errors");
        notes = copy(notes, "notes");
        if (startedAt == null) {
            throw new InvalidInputException("startedAt: missing: give the time the release started");
        }
        if (finishedAt != null && finishedAt.isBefore(startedAt)) {
            throw new InvalidInputException("finishedAt: " + finishedAt + " is before startedAt " + startedAt
                    + ": give the time the release ended");
        }
        Set<String> seen = new HashSet<>();
        for (EnvironmentStatus env : environments) {
            if (!seen.add(env.name())) {
                throw InvalidInputException.invalid("environments.name", env.name(),
                        "each environment appears once; update its status instead of adding it again");
            }
        }
        String failure = failureSummary(stages, errors, environments);
        if (outcome == null) {
            outcome = failure == null ? Outcome.SUCCESS : Outcome.FAILED;
        } else if (outcome == Outcome.SUCCESS && failure != null) {
            // A report must never claim success for a run that failed somewhere.
            throw InvalidInputException.invalid("outcome", outcome, "the run has " + failure + "; set FAILED");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this report's values, to add what a later stage learned. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.component = component;
        b.project = project;
        b.namespace = namespace;
        b.image = image;
        b.imageBuilder = imageBuilder;
        b.releaseName = releaseName;
        b.filesChanged.addAll(filesChanged);
        b.pullRequest = pullRequest;
        b.environments.addAll(environments);
        b.promotions.addAll(promotions);
        b.stages.addAll(stages);
        b.errors.addAll(errors);
        b.notes.addAll(notes);
        // SUCCESS is always derivable, so leave it unset: a later stage may still add a failure.
        b.outcome = outcome == Outcome.FAILED ? Outcome.FAILED : null;
        b.startedAt = startedAt;
        b.finishedAt = finishedAt;
        b.componentLink = componentLink;
        b.imageLink = imageLink;
        return b;
    }

    /** Wall-clock time of the run, when it has finished. */
    @JsonIgnore
    public Optional<Duration> totalDuration() {
        return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
    }

    /** The status of one environment, by name. */
    public Optional<EnvironmentStatus> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private static String failureSummary(List<StageTiming> stages, List<StageError> errors,
                                         List<EnvironmentStatus> environments) {
        if (!errors.isEmpty()) {
            return errors.size() + " error(s), first in stage '" + errors.get(0).stage() + "'";
        }
        for (StageTiming s : stages) {
            if (s.outcome() == StageOutcome.FAILED) {
                return "a failed stage '" + s.stage() + "'";
            }
        }
        for (EnvironmentStatus e : environments) {
            if (e.state() == EnvironmentState.FAILED) {
                return "a failed environment '" + e.name() + "'";
            }
        }
        return null;
    }

    static String require(String field, String value, String fix) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + ": missing: " + fix);
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void checkDigest(String field, String digest) {
        if (!DIGEST.matcher(digest).matches() || (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches())) {
            throw InvalidInputException.invalid(field, digest,
                    "give a registry digest such as sha256: followed by 64 lowercase hex digits");
        }
    }

    private static void checkDuration(String field, Duration d) {
        if (d != null && d.isNegative()) {
            throw InvalidInputException.invalid(field, d, "durations cannot be negative");
        }
    }

    private static <T> List<T> copy(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        for (T t : list) {
            if (t == null) {
                throw new InvalidInputException(field + ": contains an empty entry: remove it");
            }
        }
        return List.copyOf(list);
    }

    /** Collects a report step by step; {@link #build()} validates. */
    public static final class Builder {
        private String component;
        private String project;
        private String namespace;
        private Image image;
        private String imageBuilder;
        private String releaseName;
        private final List<FileChanged> filesChanged = new ArrayList<>();
        private PullRequest pullRequest;
        private final List<EnvironmentStatus> environments = new ArrayList<>();
        private final List<Promotion> promotions = new ArrayList<>();
        private final List<StageTiming> stages = new ArrayList<>();
        private final List<StageError> errors = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private Outcome outcome;
        private Instant startedAt;
        private Instant finishedAt;
        private String componentLink;
        private String imageLink;

        private Builder() {
        }

        public Builder setComponent(String component) {
            this.component = component;
            return this;
        }

        public Builder setProject(String project) {
            this.project = project;
            return this;
        }

        public Builder setNamespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder setImage(String repository, String tag, String digest) {
            this.image = new Image(repository, tag, digest);
            return this;
        }

        public Builder setImage(Image image) {
            this.image = image;
            return this;
        }

        /** The image builder that ran: jib, dockerfile (buildah), buildpacks... */
        public Builder setImageBuilder(String imageBuilder) {
            this.imageBuilder = imageBuilder;
            return this;
        }

        /** The release this run has named so far (generate, open PR), or null. */
        public String releaseName() {
            return releaseName;
        }

        public Builder setReleaseName(String releaseName) {
            this.releaseName = releaseName;
            return this;
        }

        public Builder addFileChanged(String path, FileChange.Kind change) {
            filesChanged.add(new FileChanged(path, change));
            return this;
        }

        /** Records the files a generation produced (paths and kinds; content is not part of the report). */
        public Builder addFilesChanged(List<FileChange> changes) {
            for (FileChange c : changes) {
                addFileChanged(c.path(), c.kind());
            }
            return this;
        }

        public Builder setPullRequest(PullRequest pullRequest) {
            this.pullRequest = pullRequest;
            return this;
        }

        /**
         * Adds an environment, or replaces the status of one already present (keeping its position, and its release
         * name when the new status names none: a watch by component does not know the release the PR bound).
         */
        public Builder putEnvironment(EnvironmentStatus status) {
            Objects.requireNonNull(status, "status");
            for (int i = 0; i < environments.size(); i++) {
                EnvironmentStatus was = environments.get(i);
                if (was.name().equals(status.name())) {
                    environments.set(i, status.releaseName() != null || was.releaseName() == null ? status
                            : new EnvironmentStatus(status.name(), status.state(), was.releaseName(), status.digest(),
                                    status.timeToReady(), status.link()));
                    return this;
                }
            }
            environments.add(status);
            return this;
        }

        public Builder addPromotion(Promotion promotion) {
            promotions.add(promotion);
            return this;
        }

        public Builder addStage(String stage, Duration duration, StageOutcome outcome) {
            stages.add(new StageTiming(stage, duration, outcome));
            return this;
        }

        public Builder addError(String stage, String message) {
            errors.add(new StageError(stage, message));
            return this;
        }

        public Builder addNote(String note) {
            notes.add(require("notes", note, "give the note text"));
            return this;
        }

        /** Optional: when not set, FAILED if any error, failed stage or failed environment, else SUCCESS. */
        public Builder setOutcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder setStartedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder setFinishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** Usually {@link LinkTemplate#expand}; only http(s) links are ever rendered as links. */
        public Builder setComponentLink(String componentLink) {
            this.componentLink = componentLink;
            return this;
        }

        public Builder setImageLink(String imageLink) {
            this.imageLink = imageLink;
            return this;
        }

        public ReleaseReport build() {
            return new ReleaseReport(component, project, namespace, image, imageBuilder, releaseName, filesChanged,
                    pullRequest, environments, promotions, stages, errors, notes, outcome, startedAt, finishedAt,
                    componentLink, imageLink);
        }
    }
}
