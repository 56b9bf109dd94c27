package io.jenkins.plugins.gitopsrelease.buildrecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Annotations as referrers of an image digest in one repository.
 *
 * <p>A registry with the referrers API indexes an artifact by its {@code subject} when it is pushed by digest:
 * nothing else to do. A registry without it (distribution 2.x) needs the OCI tag schema: an index under tag
 * {@code sha256-<hex>} listing the referrers. That index is read-modify-write and distribution has no conditional
 * PUT, so concurrent writers could overwrite each other. Each annotation is therefore also tagged on its own
 * ({@code sha256-<hex>.gra.<32 hex of its digest>}): tags never collide, so the set of annotations is never lost and
 * the index is re-derivable from the tag list. A writer adds every tagged annotation the index lacks, then checks
 * again until it sees an index that covers every tag; the last index written therefore covers all of them, and a
 * reader also takes tags the index misses (a writer that died half-way).
 */
final class RecordStore {
    static final String LISTING_API = "referrers-api";
    static final String LISTING_TAGS = "tag-schema";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONVERGE_ROUNDS = 60;
    /** How long a registry found without the referrers API is not asked again (a registry may be upgraded). */
    static final long NO_REFERRERS_TTL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    /** Registries (host) known to lack the referrers API, until when: one probe, not one per read. */
    private static final Map<String, Long> NO_REFERRERS_UNTIL = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The read path's requests (tag index, tag list, config, stray tagged annotations) run here at the same time:
     * bounded, daemon threads that go away when idle. Not the common pool: its size follows the cores (1 worker on
     * 2 cores) and the CPU-bound digest checks use it.
     */
    static final java.util.concurrent.ExecutorService IO;

    static {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(8, 8, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "gitops-release-record-io");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        IO = pool;
    }

    private final RegistryClient client;
    private final String repo;

    RecordStore(RegistryClient client, String repo) {
        this.client = client;
        this.repo = repo;
    }

    static Descriptor subjectOf(Manifest m) {
        return new Descriptor(m.mediaType(), m.digest(), m.size(), null, null, null);
    }

    static String indexTag(String digest) {
        return digest.replace(':', '-');
    }

    static String tagPrefix(String subjectDigest) {
        return indexTag(subjectDigest) + ".gra.";
    }

    static String annotationTag(String subjectDigest, String artifactDigest) {
        return tagPrefix(subjectDigest) + artifactDigest.substring(7, 39);
    }

    /** Writes one annotation; returns the artifact's digest and whether the registry indexed it itself. */
    Written write(Descriptor subject, Annotation a, Progress progress) {
        Manifest m = AnnotationArtifact.manifest(subject, a);
        RegistryClient.PushResult pr = pushArtifact(a, m);
        if (pr.referrersSupported()) {
            NO_REFERRERS_UNTIL.remove(client.host()); // it has the API (now): readers must ask it again
            return new Written(m.digest(), true);
        }
        client.putManifest(repo, annotationTag(subject.digest(), m.digest()), m);
        converge(subject, m, progress);
        return new Written(m.digest(), false);
    }

    /**
     * The artifact's two blobs, then its manifest. Writers of one repository all push the same empty config blob;
     * distribution can answer a manifest PUT with MANIFEST_BLOB_UNKNOWN while another writer's upload of that blob is
     * being committed (seen with 20 concurrent writers), so that answer is retried a few times after pushing the
     * blobs again.
     */
    private RegistryClient.PushResult pushArtifact(Annotation a, Manifest m) {
        for (int attempt = 1; ; attempt++) {
            client.pushBlob(repo, AnnotationArtifact.EMPTY);
            client.pushBlob(repo, AnnotationArtifact.blob(a));
            try {
                return client.putManifest(repo, m.digest(), m);
            } catch (RegistryClient.RegistryStatusException e) {
                if (attempt >= 4 || e.status() != 400 || !String.valueOf(e.getMessage()).contains("MANIFEST_BLOB_UNKNOWN")) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    record Written(String digest, boolean referrersApi) {
    }

    /** Brings the tag-schema index up to the annotation tags (see the class comment). */
    private void converge(Descriptor subject, Manifest own, Progress progress) {
        Map<String, Manifest> verified = new HashMap<>();
        verified.put(annotationTag(subject.digest(), own.digest()), own);
        Set<String> forged = new HashSet<>();
        for (int round = 1; round <= CONVERGE_ROUNDS; round++) {
            Optional<Manifest> current = client.getManifest(repo, indexTag(subject.digest()));
            Set<String> listed = new HashSet<>();
            current.filter(Manifest::isIndex).ifPresent(i -> i.manifests().forEach(d -> listed.add(d.digest())));
            List<Manifest> missing = new ArrayList<>();
            for (String tag : annotationTags(subject.digest())) {
                if (forged.contains(tag) || listed.stream().anyMatch(d -> tag.endsWith("." + d.substring(7, 39)))) {
                    continue;
                }
                Manifest m = verified.get(tag);
                if (m == null) {
                    m = client.getManifest(repo, tag).orElse(null);
                    if (m == null || AnnotationArtifact.verify(subject, m).isEmpty()) {
                        forged.add(tag); // not ours to list: the reader rejects it too
                        continue;
                    }
                    verified.put(tag, m);
                }
                missing.add(m);
            }
            if (missing.isEmpty()) {
                return;
            }
            client.putManifest(repo, indexTag(subject.digest()), withEntries(current.orElse(null), missing));
            client.pause(1, java.time.Duration.ofMillis(10 + (long) (Math.random() * 40 * Math.min(round, 5))));
        }
        progress.detail("the referrers tag index of " + subject.digest() + " is still being rewritten by other"
                + " writers; the annotation is stored and tagged, readers find it by its tag");
    }

    private List<String> annotationTags(String subjectDigest) {
        String prefix = tagPrefix(subjectDigest);
        return client.tags(repo).stream().filter(t -> t.startsWith(prefix)).toList();
    }

    private static Manifest withEntries(Manifest existing, List<Manifest> add) {
        ObjectNode index;
        if (existing != null && existing.isIndex()) {
            index = (ObjectNode) existing.json();
        } else {
            index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
        }
        ArrayNode list = index.withArray("manifests");
        for (Manifest m : add) {
            ObjectNode d = list.addObject();
            d.put("mediaType", m.mediaType());
            d.put("digest", m.digest());
            d.put("size", m.size());
            d.put("artifactType", m.artifactType());
            ObjectNode ann = d.putObject("annotations");
            m.annotations().forEach(ann::put);
        }
        try {
            return new Manifest(MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(index));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every genuine annotation of the subject in time order, and what was rejected. */
    Listing read(Descriptor subject) {
        List<Annotation> found = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        // Without the API: the tag index and the tag list, fetched at the same time. A registry already found
        // without the API is not probed again (one request less per read, in a JVM that reads many records).
        Optional<List<Descriptor>> api = referrersApiKnownAbsent() ? Optional.empty()
                : client.referrers(repo, subject.digest());
        CompletableFuture<List<String>> tags;
        List<Descriptor> entries;
        if (api.isPresent()) {
            tags = CompletableFuture.completedFuture(List.of());
            entries = api.get();
        } else {
            NO_REFERRERS_UNTIL.put(client.host(), System.nanoTime() + NO_REFERRERS_TTL_NANOS);
            tags = CompletableFuture.supplyAsync(() -> annotationTags(subject.digest()), IO);
            entries = client.getManifest(repo, indexTag(subject.digest())).filter(Manifest::isIndex)
                    .map(Manifest::manifests).orElse(List.of());
        }
        Map<String, Descriptor> ours = new LinkedHashMap<>();
        for (Descriptor d : entries) {
            if (AnnotationArtifact.ARTIFACT_TYPE.equals(d.artifactType())) {
                ours.putIfAbsent(d.digest(), d); // signatures, SBOMs: not annotations
            }
        }
        // canonical digests: CPU only, checked in parallel
        Map<String, Optional<Annotation>> checked = new java.util.concurrent.ConcurrentHashMap<>();
        ours.values().parallelStream().forEach(d -> checked.put(d.digest(), AnnotationArtifact.verify(subject, d)));
        Set<String> acceptedHex = new HashSet<>();
        for (Descriptor d : ours.values()) {
            Optional<Annotation> a = checked.get(d.digest());
            if (a.isPresent()) {
                found.add(a.get());
                acceptedHex.add(d.digest().substring(7, 39));
            } else {
                rejected.add(d.digest() + " (listed as an annotation but not one of this image)");
            }
        }
        // tagged annotations the index lacks (a writer that died half-way, or a race): fetched in parallel
        Map<String, CompletableFuture<Optional<Manifest>>> stray = new LinkedHashMap<>();
        for (String tag : join(tags)) {
            String hex = tag.substring(tag.lastIndexOf('.') + 1);
            if (!acceptedHex.contains(hex) && !stray.containsKey(tag)) {
                stray.put(tag, CompletableFuture.supplyAsync(() -> client.getManifest(repo, tag), IO));
            }
        }
        for (Map.Entry<String, CompletableFuture<Optional<Manifest>>> e : stray.entrySet()) {
            String tag = e.getKey();
            String hex = tag.substring(tag.lastIndexOf('.') + 1);
            if (acceptedHex.contains(hex)) {
                continue;
            }
            Optional<Manifest> m = join(e.getValue());
            Optional<Annotation> a = m.flatMap(x -> AnnotationArtifact.verify(subject, x));
            if (a.isPresent() && m.get().digest().startsWith("sha256:" + hex)) {
                acceptedHex.add(hex);
                found.add(a.get());
            } else if (a.isEmpty()) {
                rejected.add("tag " + tag + " (not a referrer of this image with type "
                        + AnnotationArtifact.ARTIFACT_TYPE + ")");
            }
        }
        found.sort(Comparator.comparing(Annotation::time).thenComparing(Annotation::key));
        return new Listing(found, api.isPresent() ? LISTING_API : LISTING_TAGS, rejected);
    }

    private boolean referrersApiKnownAbsent() {
        Long until = NO_REFERRERS_UNTIL.get(client.host());
        return until != null && System.nanoTime() - until < 0;
    }

    /** Forgets what was learnt about registries' referrers API (tests that swap registries on one port). */
    static void forgetReferrersApi() {
        NO_REFERRERS_UNTIL.clear();
    }

    /** The value, or the engine exception the task threw (unwrapped). */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    record Listing(List<Annotation> annotations, String source, List<String> rejected) {
    }

    /** Attributes: the config's labels, then the manifest's (or index's) annotations, which win. */
    Map<String, String> attributes(Manifest m) {
        Map<String, String> out = new LinkedHashMap<>();
        // an index has no config: its own annotations are the attributes
        if (!m.isIndex() && !m.blobs().isEmpty()) {
            Descriptor cfg = m.blobs().get(0);
            try (InputStream in = client.openBlob(repo, cfg.digest(), 0)) {
                JsonNode labels = JSON.readTree(in.readNBytes(4 << 20)).path("config").path("Labels");
                labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new OperationFailedException(client.host() + "/" + repo + ": cannot read the image config "
                        + cfg.digest() + ": " + e.getMessage(), e);
            }
        }
        out.putAll(m.annotations());
        return out;
    }
}
