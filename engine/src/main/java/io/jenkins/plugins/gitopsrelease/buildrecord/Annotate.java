package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The annotate verb: adds annotation events to a build's record, as referrer artifacts on the image digest.
 * {@code Annotate.image("reg/app:1.0").annotation("smoke", "passed").writer("jenkins").runUrl(url).call()}.
 * All keys are checked before anything is written; the image is resolved once, so every annotation of one call
 * lands on the same digest even if the tag moves meanwhile.
 */
public final class Annotate {
    private final ImageAccess access;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private String writer;
    private String runUrl;
    private Clock clock = Clock.systemUTC();
    private Progress progress = Progress.NONE;

    private Annotate(String image) {
        this.access = new ImageAccess("image", image);
    }

    public static Annotate image(String ref) {
        return new Annotate(ref);
    }

    public Annotate annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    public Annotate annotations(Map<String, String> kv) {
        annotations.putAll(kv);
        return this;
    }

    /** Who or what writes (a user, {@code jenkins:JOB}, a tool); shown in the record. */
    public Annotate writer(String w) {
        this.writer = w;
        return this;
    }

    public Annotate runUrl(String url) {
        this.runUrl = url;
        return this;
    }

    public Annotate auth(RegistryAuth auth) {
        access.auth = auth == null ? RegistryAuth.anonymous() : auth;
        return this;
    }

    public Annotate insecure(Collection<String> hosts) {
        access.insecure(hosts);
        return this;
    }

    public Annotate caFile(Path f) {
        access.caFile = f;
        return this;
    }

    public Annotate listener(RequestListener l) {
        access.listener = l == null ? RequestListener.NONE : l;
        return this;
    }

    public Annotate progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    /** Tests fix the time. */
    public Annotate clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** What was written: the image digest and one entry per annotation. */
    public record Result(String image, String digest, List<Annotation> annotations, List<String> artifactDigests,
            boolean referrersApi) {
    }

    public Result call() {
        if (annotations.isEmpty()) {
            throw new InvalidInputException("annotations: give at least one KEY=VALUE, e.g. smoke=passed");
        }
        Instant now = clock.instant();
        List<Annotation> events = new ArrayList<>();
        annotations.forEach((k, v) -> events.add(new Annotation(k, v, writer, now, runUrl))); // checks every key first
        ImageReference ref = access.reference();
        RegistryClient client = access.client(ref);
        Manifest image = access.manifest(client, ref);
        Descriptor subject = RecordStore.subjectOf(image);
        RecordStore store = new RecordStore(client, ref.getRepository());
        List<String> digests = new ArrayList<>();
        boolean api = false;
        for (Annotation a : events) {
            RecordStore.Written w = store.write(subject, a, progress);
            digests.add(w.digest());
            api |= w.referrersApi();
            progress.step("annotated " + ImageRefs.repository(ref) + "@" + image.digest() + ": " + a.key() + "="
                    + a.value());
        }
        return new Result(ImageRefs.repository(ref) + "@" + image.digest(), image.digest(), events, digests, api);
    }
}
