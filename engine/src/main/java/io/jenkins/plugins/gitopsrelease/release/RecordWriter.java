package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotate;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.deploy.WatchResult;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How steps add to a build's record as a side note of their own work: a failure to annotate is reported and
 * returned, never fails a deployment or promotion that already happened (a policy that needs the annotation will
 * say it is missing). After a write the record is read back once, so the front end can show it without going to the
 * registry itself (the Jenkins controller never does).
 */
public final class RecordWriter {
    private RecordWriter() {
    }

    /** Whether the annotation was written, and the record read right after (null when it could not be read). */
    public record Recorded(boolean written, BuildRecord record) {
    }

    /**
     * {@code deployed.<environment>} = time to ready (ISO-8601) on {@code image} when {@code watch} is ready and the
     * image was given by digest (a tag could have moved: the record belongs to a digest); null when not applicable.
     * The Jenkins step and the CLI's {@code watch-deployment} both come here.
     */
    public static Recorded deployed(String image, String environment, WatchResult watch, String writer,
            Map<String, String> env, List<String> insecure, Path caFile, RegistryAuth auth, Progress progress) {
        if (!watch.ready() || environment == null || image == null || !image.contains("@sha256:")) {
            return null;
        }
        return annotate(image, "deployed." + environment, watch.durationToReady() == null ? "ready"
                : watch.durationToReady().toString(), writer, env, insecure, caFile, auth, progress);
    }

    /** Whether {@code deployed.<environment>} is a valid key (checked before the watch starts). */
    public static void checkEnvironment(String environment) {
        Annotation.checkKey("deployed." + environment);
    }

    static Recorded annotate(String image, String key, String value, String writer, Map<String, String> env,
            List<String> insecure, Path caFile, RegistryAuth auth, Progress progress) {
        Annotate.Result written;
        try {
            written = Annotate.image(image).annotation(key, value).writer(writer + jobSuffix(env))
                    .runUrl(env.get("BUILD_URL")).insecure(insecure).caFile(caFile).auth(auth).call();
            progress.step("recorded " + key + "=" + value + " on " + image);
        } catch (GitOpsReleaseException | IllegalArgumentException e) {
            progress.step("WARNING: could not record " + key + " on " + image + ": " + e.getMessage());
            return new Recorded(false, null);
        }
        return new Recorded(true, read(written.image(), insecure, caFile, auth, progress));
    }

    /** The record of {@code image} (by digest), or null with a warning: showing it is never worth failing a step. */
    static BuildRecord read(String image, List<String> insecure, Path caFile, RegistryAuth auth, Progress progress) {
        try {
            return ReadRecord.image(image).insecure(insecure).caFile(caFile).auth(auth).call();
        } catch (GitOpsReleaseException | IllegalArgumentException e) {
            progress.detail("could not read the record of " + image + " back: " + e.getMessage());
            return null;
        }
    }

    private static String jobSuffix(Map<String, String> env) {
        String job = env.get("JOB_NAME");
        String n = env.get("BUILD_NUMBER");
        return job == null ? "" : " (" + job + (n == null ? "" : " #" + n) + ")";
    }
}
