package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotate;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.util.List;
import java.util.Map;

/**
 * How steps add to a build's record as a side note of their own work: a failure to annotate is reported and
 * returned, never fails a deployment or promotion that already happened (a policy that needs the annotation will
 * say it is missing).
 */
final class RecordWriter {
    private RecordWriter() {
    }

    static boolean annotate(String image, String key, String value, String writer, Map<String, String> env,
            List<String> insecure, RegistryAuth auth, Progress progress) {
        try {
            Annotate.image(image).annotation(key, value).writer(writer + jobSuffix(env)).runUrl(env.get("BUILD_URL"))
                    .insecure(insecure).auth(auth).call();
            progress.step("recorded " + key + "=" + value + " on " + image);
            return true;
        } catch (GitOpsReleaseException | IllegalArgumentException e) {
            progress.step("WARNING: could not record " + key + " on " + image + ": " + e.getMessage());
            return false;
        }
    }

    private static String jobSuffix(Map<String, String> env) {
        String job = env.get("JOB_NAME");
        String n = env.get("BUILD_NUMBER");
        return job == null ? "" : " (" + job + (n == null ? "" : " #" + n) + ")";
    }
}
