package io.jenkins.plugins.gitopsrelease.release;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotate;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code annotateBuild} step: {@code annotateBuild image: env.IMAGE, annotations: [smoke: 'passed']} adds events
 * to the build's record; the writer is the job and run, the run URL the build's. Keys are checked when the request
 * is made (on the controller), before anything runs.
 */
public final class AnnotateBuildRequest implements StepRequest {
    private static final long serialVersionUID = 1L;

    private String image;
    private final LinkedHashMap<String, String> annotations = new LinkedHashMap<>();
    private final ArrayList<String> insecureRegistries = new ArrayList<>();
    private String username;
    private Secret password;

    @Override
    public String verb() {
        return Verbs.ANNOTATE_BUILD;
    }

    public static AnnotateBuildRequest create() {
        return new AnnotateBuildRequest();
    }

    public AnnotateBuildRequest image(String image) {
        GenerateRequest.require(image, "image");
        ImageRefs.parse("image", image);
        this.image = image.trim();
        return this;
    }

    public AnnotateBuildRequest annotations(Map<String, ?> kv) {
        if (kv == null || kv.isEmpty()) {
            throw new InvalidInputException("annotations: give at least one, e.g. annotations: [smoke: 'passed']");
        }
        kv.forEach((k, v) -> annotations.put(Annotation.checkKey(k == null ? null : k.trim()),
                v == null ? "" : String.valueOf(v)));
        return this;
    }

    public AnnotateBuildRequest insecureRegistries(List<String> hosts) {
        if (hosts != null) {
            insecureRegistries.addAll(hosts);
        }
        return this;
    }

    public AnnotateBuildRequest credentials(String username, Secret password) {
        this.username = username;
        this.password = password;
        return this;
    }

    @Override
    public List<Secret> secrets() {
        return password == null ? List.of() : List.of(password);
    }

    @Override
    public StepResult run(Path workspace, Map<String, String> env, Progress progress) {
        long start = System.nanoTime();
        RegistryAuth auth = RegistryAuth.fromEnvironment();
        if (password != null) {
            auth = auth.with(ImageRefs.displayRegistry(ImageRefs.parse("image", image)), username, password);
        }
        String job = env.get("JOB_NAME");
        String writer = job == null ? "annotateBuild" : "jenkins:" + job + (env.get("BUILD_NUMBER") == null ? ""
                : " #" + env.get("BUILD_NUMBER"));
        Annotate.Result r = Annotate.image(image).annotations(annotations).writer(writer).runUrl(env.get("BUILD_URL"))
                .insecure(insecureRegistries).auth(auth).progress(progress).call();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image", r.image());
        values.put("digest", r.digest());
        values.put("keys", new ArrayList<>(annotations.keySet()));
        // the record after the write, for the run's page (the controller never reads the registry itself)
        return new StepResult(Verbs.ANNOTATE_BUILD, values, null, Duration.ofNanos(System.nanoTime() - start))
                .withRecord(RecordWriter.read(r.image(), insecureRegistries, null, auth, progress));
    }
}
