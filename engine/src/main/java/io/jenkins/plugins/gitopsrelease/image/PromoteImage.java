package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.DigestingInputStream.DigestMismatchException;
import io.jenkins.plugins.gitopsrelease.image.PromotionGate.Referrer;
import io.jenkins.plugins.gitopsrelease.image.registry.Descriptor;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.MediaTypes;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient.RegistryStatusException;
import io.jenkins.plugins.gitopsrelease.image.registry.RegistryClient.TransferException;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Promotes an image from one registry/repository to another, digest for digest: never rebuilds, so the bytes that
 * passed one environment are the bytes that reach the next. Resolves the source tag to a digest, copies every blob
 * the destination lacks (streamed, hashed on the fly, several at a time; mounted when both sides are the same
 * registry), pushes manifests by digest (children before their index), carries referrers and cosign tags when
 * asked, then moves the tag — last, so it never points at an incomplete image — and verifies the destination
 * digest. Usage: {@code PromoteImage.from(src).to(dest).auth(auth).allPlatforms(true).call()}.
 */
public final class PromoteImage {
    private static final List<String> COSIGN_SUFFIXES = List.of(".sig", ".att", ".sbom");

    private final String from;
    private String to;
    private String fromField = "--from";
    private String toField = "--to";
    private RegistryAuth auth = RegistryAuth.anonymous();
    private boolean srcInsecure;
    private boolean destInsecure;
    private String srcInsecureHint = "pass --src-insecure";
    private String destInsecureHint = "pass --dest-insecure";
    private Path srcCaFile;
    private Path destCaFile;
    private boolean allPlatforms;
    private String platform;
    private boolean withReferrers;
    private Progress progress = Progress.NONE;
    private int parallelism = 4;
    private String expectedDigest;
    private final List<PromotionGate> gates = new ArrayList<>();
    private RequestListener listener = RequestListener.NONE;
    private long chunkSize = 64L << 20;
    private int maxAttempts = 5;
    private Duration backoff = Duration.ofMillis(200);

    private PromoteImage(String from) {
        this.from = from;
    }

    public static PromoteImage from(String source) {
        return new PromoteImage(source);
    }

    public PromoteImage to(String destination) {
        this.to = destination;
        return this;
    }

    /** Option names used in error messages (defaults {@code --from}/{@code --to}). */
    public PromoteImage fields(String fromField, String toField) {
        this.fromField = fromField;
        this.toField = toField;
        return this;
    }

    public PromoteImage auth(RegistryAuth auth) {
        this.auth = auth;
        return this;
    }

    /**
     * What to tell the user when a registry answers plain HTTP to TLS, per side (default {@code pass --src-insecure}
     * and {@code pass --dest-insecure}, the CLI's flags).
     */
    public PromoteImage insecureHints(String source, String destination) {
        this.srcInsecureHint = source;
        this.destInsecureHint = destination;
        return this;
    }

    public PromoteImage srcInsecure(boolean v) {
        this.srcInsecure = v;
        return this;
    }

    public PromoteImage destInsecure(boolean v) {
        this.destInsecure = v;
        return this;
    }

    public PromoteImage srcCaFile(Path f) {
        this.srcCaFile = f;
        return this;
    }

    public PromoteImage destCaFile(Path f) {
        this.destCaFile = f;
        return this;
    }

    /** Copy every platform of an index (the index digest is kept). */
    public PromoteImage allPlatforms(boolean v) {
        this.allPlatforms = v;
        return this;
    }

    /** Copy only this platform ({@code os/arch[/variant]}) of an index; the destination gets that manifest's digest. */
    public PromoteImage platform(String osArch) {
        this.platform = osArch;
        return this;
    }

    /** Carry signatures, attestations and SBOMs attached to the digest (referrers API, tag index, cosign tags). */
    public PromoteImage withReferrers(boolean v) {
        this.withReferrers = v;
        return this;
    }

    public PromoteImage progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    /** Blobs copied at the same time (default 4). */
    public PromoteImage parallelism(int n) {
        this.parallelism = Math.max(1, n);
        return this;
    }

    /** The digest the source must resolve to (e.g. from build_result.json); anything else fails. */
    public PromoteImage expectDigest(String digest) {
        this.expectedDigest = digest;
        return this;
    }

    public PromoteImage gate(PromotionGate gate) {
        this.gates.add(gate);
        return this;
    }

    /** Sees every HTTP request to either registry (tests count them). */
    public PromoteImage listener(RequestListener l) {
        this.listener = l;
        return this;
    }

    /** Blobs larger than this go up in resumable PATCH chunks of this size (default 64 MiB). */
    public PromoteImage chunkSize(long bytes) {
        this.chunkSize = Math.max(1, bytes);
        return this;
    }

    /** Tries per request and per blob (default 5), and the first backoff (default 200 ms, doubling, jittered). */
    public PromoteImage retries(int maxAttempts, Duration backoff) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
        return this;
    }

    // ---------------------------------------------------------------- the copy

    public PromoteResult call() {
        long t0 = System.nanoTime();
        ImageReference src = ImageRefs.parse(fromField, from);
        ImageReference dst = ImageRefs.parse(toField, to);
        if (src.getDigest().isEmpty() && src.usesDefaultTag()) {
            throw InvalidInputException.invalid(fromField, from, "give the tag (or @sha256 digest) to promote;"
                    + " an implicit :latest is never promoted");
        }
        String destTag = dst.usesDefaultTag() ? src.getTag().filter(t -> !src.usesDefaultTag()).orElse(null)
                : dst.getTag().orElse(null);
        if (dst.usesDefaultTag() && src.getTag().isEmpty()) {
            destTag = null; // digest to digest
        }
        Copy c = new Copy(src, dst, destTag);
        try {
            return c.run(t0);
        } finally {
            c.shutdown();
        }
    }

    private RegistryClient client(String host, boolean insecure, String insecureHint, Path ca, String caField) {
        RegistryClient.Builder b = RegistryClient.builder(host).insecure(insecure).insecureHint(insecureHint)
                .listener(listener)
                .maxAttempts(maxAttempts).backoff(backoff);
        auth.lookup(host).ifPresent(b::credential);
        if (ca != null) {
            b.caFile(ca, caField);
        }
        return b.build();
    }

    /** State of one promotion. */
    private final class Copy {
        final ImageReference src;
        final ImageReference dst;
        final String destTag;
        final String srcRepo;
        final String destRepo;
        final RegistryClient source;
        final RegistryClient dest;
        final boolean sameRegistry;
        final Map<String, Descriptor> blobs = new LinkedHashMap<>();
        final List<Manifest> manifests = new ArrayList<>(); // push order: children before parents
        final Set<String> planned = new HashSet<>();
        final AtomicInteger copied = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        ExecutorService pool;

        Copy(ImageReference src, ImageReference dst, String destTag) {
            this.src = src;
            this.dst = dst;
            this.destTag = destTag;
            this.srcRepo = src.getRepository();
            this.destRepo = dst.getRepository();
            // separate clients even for one registry: each side's blocking reads stay on its own HTTP threads
            this.source = client(src.getRegistry(), srcInsecure, srcInsecureHint, srcCaFile, "--src-ca-file");
            this.dest = client(dst.getRegistry(), destInsecure, destInsecureHint, destCaFile, "--dest-ca-file");
            this.sameRegistry = src.getRegistry().equals(dst.getRegistry());
        }

        PromoteResult run(long t0) {
            String srcRef = src.getDigest().orElseGet(() -> src.getTag().orElseThrow());
            Manifest root = source.getManifest(srcRepo, srcRef).orElseThrow(() -> unknown(srcRef));
            if (expectedDigest != null && !expectedDigest.equals(root.digest())) {
                throw new OperationFailedException("digest mismatch: expected " + expectedDigest + " but "
                        + ImageRefs.withoutDigest(src) + " resolves to " + root.digest() + " in the source registry;"
                        + " the tag moved since the build — promote by digest or rebuild");
            }
            if (!MediaTypes.isSupported(root.mediaType())) {
                throw new OperationFailedException(from + " is a " + root.mediaType() + " manifest; only OCI and"
                        + " Docker schema 2 images and indexes can be promoted");
            }
            List<String> platforms = new ArrayList<>();
            if (root.isIndex()) {
                root.manifests().forEach(d -> platforms.add(d.platform() == null ? d.digest() : d.platform()));
                if (!allPlatforms) {
                    if (platform == null) {
                        throw new InvalidInputException(fromField + ": " + from + " is a multi-platform index "
                                + platforms + ": pass --all-platforms to promote it whole (same digest), or"
                                + " --platform OS/ARCH for one platform");
                    }
                    Descriptor one = root.manifests().stream().filter(d -> platform.equals(d.platform())).findFirst()
                            .orElseThrow(() -> InvalidInputException.invalid("--platform", platform,
                                    "the index has " + platforms + "; pick one of those"));
                    root = fetch(srcRepo, one.digest());
                    platforms.retainAll(List.of(platform));
                }
            }
            if (dst.getDigest().isPresent() && !dst.getDigest().get().equals(root.digest())) {
                throw InvalidInputException.invalid(toField, to, "its digest differs from the source digest "
                        + root.digest() + "; promotion keeps digests — drop @sha256:... from the destination");
            }
            final Manifest subject = root;
            List<Referrer> referrers = new ArrayList<>();
            boolean referrersLoaded = false;
            for (PromotionGate gate : gates) {
                Optional<String> refused = gate.check(new PromotionGate.Context(ImageRefs.withoutDigest(src), subject,
                        () -> {
                            if (referrers.isEmpty()) {
                                referrers.addAll(discoverReferrers(subject.digest()));
                            }
                            return List.copyOf(referrers);
                        }));
                if (refused.isPresent()) {
                    throw new OperationFailedException("promotion refused by gate: " + refused.get());
                }
            }
            progress.step("promoting " + ImageRefs.withoutDigest(src) + "@" + root.digest() + " to "
                    + ImageRefs.repository(dst) + (destTag != null ? ":" + destTag : ""));

            if (!withReferrers) {
                // A re-run: the destination already resolves to this digest. A registry stores a manifest only
                // with all its blobs and children, so there is nothing to copy or push: one HEAD instead of the
                // manifest HEADs, the tag PUT and the verification.
                String check = destTag != null ? destTag : root.digest();
                Optional<Descriptor> have = dest.headManifest(destRepo, check);
                if (have.isPresent() && have.get().digest().equals(root.digest())) {
                    int present = root.isIndex() ? 0 : root.blobs().size();
                    String destination = ImageRefs.repository(dst) + (destTag != null ? ":" + destTag : "") + "@"
                            + root.digest();
                    progress.step("already promoted: " + destination + " (nothing to copy)");
                    return new PromoteResult(ImageRefs.withoutDigest(src) + "@" + root.digest(), root.digest(),
                            destination, root.digest(), root.mediaType(), platforms, 0, present, 0, 0, 0,
                            List.of(), Duration.ofNanos(System.nanoTime() - t0));
                }
            }
            plan(root);
            List<Manifest> referrerManifests = new ArrayList<>();
            Map<String, Manifest> cosignTags = new LinkedHashMap<>();
            if (withReferrers) {
                if (!referrersLoaded && referrers.isEmpty()) {
                    referrers.addAll(discoverReferrers(root.digest()));
                }
                for (Referrer r : referrers) {
                    Manifest m = fetchOptional(srcRepo, r.descriptor().digest());
                    if (m == null || !MediaTypes.isSupported(m.mediaType())) {
                        progress.detail("skipping referrer " + r.descriptor().digest() + " ("
                                + (m == null ? "missing" : m.mediaType()) + ")");
                        continue;
                    }
                    plan(m);
                    if (r.cosignTag() != null) {
                        cosignTags.put(r.cosignTag(), m);
                    } else {
                        referrerManifests.add(m);
                    }
                }
            }

            copyBlobs();
            boolean referrersApi = false;
            for (Manifest m : manifests) {
                RegistryClient.PushResult pr = dest.putManifest(destRepo, m.digest(), m);
                referrersApi |= pr.referrersSupported();
            }
            for (Map.Entry<String, Manifest> e : cosignTags.entrySet()) {
                Optional<Descriptor> have = dest.headManifest(destRepo, e.getKey());
                if (have.isEmpty() || !have.get().digest().equals(e.getValue().digest())) {
                    dest.putManifest(destRepo, e.getKey(), e.getValue());
                }
            }
            if (!referrerManifests.isEmpty() && !referrersApi) {
                updateReferrersTagIndex(root.digest(), referrerManifests);
            }
            // the tag moves last: until now it still points at the previous complete image (or nothing)
            if (destTag != null) {
                dest.putManifest(destRepo, destTag, root);
            }
            String check = destTag != null ? destTag : root.digest();
            String destDigest = dest.headManifest(destRepo, check).map(Descriptor::digest).orElse(null);
            if (!root.digest().equals(destDigest)) {
                throw new OperationFailedException("verification failed: " + ImageRefs.repository(dst) + ":" + check
                        + " resolves to " + destDigest + ", expected " + root.digest());
            }
            List<String> refDigests = new ArrayList<>();
            cosignTags.values().forEach(m -> refDigests.add(m.digest()));
            referrerManifests.forEach(m -> refDigests.add(m.digest()));
            String destination = ImageRefs.repository(dst) + (destTag != null ? ":" + destTag : "") + "@" + destDigest;
            progress.step("promoted " + destination + " (" + copied.get() + " blobs copied, " + skipped.get()
                    + " present, " + mounted.get() + " mounted, " + bytes.get() + " bytes)");
            return new PromoteResult(ImageRefs.withoutDigest(src) + "@" + root.digest(), root.digest(), destination,
                    destDigest, root.mediaType(), platforms, copied.get(), skipped.get(), mounted.get(), bytes.get(),
                    manifests.size(), refDigests, Duration.ofNanos(System.nanoTime() - t0));
        }

        private InvalidInputException unknown(String ref) {
            List<String> tags;
            try {
                tags = source.tags(srcRepo);
            } catch (RuntimeException e) {
                tags = List.of();
            }
            String have = tags.isEmpty() ? "the repository has no tags (or does not exist)"
                    : "the repository has " + (tags.size() > 10 ? tags.subList(0, 10) + " ..." : tags);
            return InvalidInputException.invalid(fromField, from, "no such " + (ref.startsWith("sha256:") ? "digest"
                    : "tag") + " in " + src.getRegistry() + "/" + srcRepo + "; " + have);
        }

        private Manifest fetch(String repo, String digest) {
            Manifest m = fetchOptional(repo, digest);
            if (m == null) {
                throw new OperationFailedException(source.host() + "/" + repo + ": manifest " + digest
                        + " is listed by the index but missing; the source image is incomplete");
            }
            return m;
        }

        private Manifest fetchOptional(String repo, String digest) {
            return source.getManifest(repo, digest).orElse(null);
        }

        /** Adds what the destination lacks of this manifest tree; a manifest present there is complete. */
        private void plan(Manifest m) {
            if (!planned.add(m.digest())) {
                return;
            }
            if (dest.headManifest(destRepo, m.digest()).isPresent()) {
                return;
            }
            if (m.isIndex()) {
                for (Descriptor child : m.manifests()) {
                    plan(fetch(srcRepo, child.digest()));
                }
            } else {
                for (Descriptor b : m.blobs()) {
                    blobs.putIfAbsent(b.digest(), b);
                }
            }
            manifests.add(m);
        }

        private List<Referrer> discoverReferrers(String digest) {
            List<Referrer> out = new ArrayList<>();
            Optional<List<Descriptor>> api = source.referrers(srcRepo, digest);
            List<Descriptor> found = api.orElseGet(() -> source.getManifest(srcRepo, tagSchema(digest))
                    .filter(Manifest::isIndex).map(Manifest::manifests).orElse(List.of()));
            found.forEach(d -> out.add(new Referrer(d, null)));
            for (String suffix : COSIGN_SUFFIXES) {
                String tag = tagSchema(digest) + suffix;
                source.headManifest(srcRepo, tag).ifPresent(d -> out.add(new Referrer(d, tag)));
            }
            return out;
        }

        /** The OCI referrers tag schema: registries without the API keep an index under {@code sha256-<hex>}. */
        private static String tagSchema(String digest) {
            return digest.replace(':', '-');
        }

        private void updateReferrersTagIndex(String subjectDigest, List<Manifest> referrers) {
            String tag = tagSchema(subjectDigest);
            if (dest.referrers(destRepo, subjectDigest).isPresent()) {
                return; // the destination serves the API itself
            }
            Optional<Manifest> existing = dest.getManifest(destRepo, tag);
            ObjectNode index;
            if (existing.isPresent() && existing.get().isIndex()) {
                index = (ObjectNode) existing.get().json();
            } else {
                index = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                index.put("schemaVersion", 2);
                index.put("mediaType", MediaTypes.OCI_INDEX);
                index.putArray("manifests");
            }
            ArrayNode list = (ArrayNode) index.withArray("manifests");
            Set<String> have = new HashSet<>();
            list.forEach(n -> have.add(n.path("digest").asText()));
            boolean changed = false;
            for (Manifest m : referrers) {
                if (have.add(m.digest())) {
                    ObjectNode d = list.addObject();
                    d.put("mediaType", m.mediaType());
                    d.put("digest", m.digest());
                    d.put("size", m.size());
                    if (m.artifactType() != null) {
                        d.put("artifactType", m.artifactType());
                    }
                    if (!m.annotations().isEmpty()) {
                        ObjectNode a = d.putObject("annotations");
                        m.annotations().forEach(a::put);
                    }
                    changed = true;
                }
            }
            if (changed) {
                try {
                    dest.putManifest(destRepo, tag, new Manifest(MediaTypes.OCI_INDEX, io.jenkins.plugins.gitopsrelease.core.ParseLimits.json().writeValueAsBytes(index)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        // ------------------------------------------------------------ blobs

        private void copyBlobs() {
            if (blobs.isEmpty()) {
                return;
            }
            int threads = Math.min(parallelism, blobs.size());
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "promote-blob-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ExecutorCompletionService<Void> cs = new ExecutorCompletionService<>(pool);
            List<Future<Void>> futures = new ArrayList<>();
            for (Descriptor d : blobs.values()) {
                futures.add(cs.submit(() -> {
                    copyBlob(d);
                    return null;
                }));
            }
            try {
                for (int i = 0; i < futures.size(); i++) {
                    cs.take().get();
                }
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new OperationFailedException("blob copy failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new OperationFailedException("interrupted while copying blobs");
            }
        }

        void shutdown() {
            if (pool != null) {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void copyBlob(Descriptor d) {
            if (dest.blobExists(destRepo, d.digest())) {
                skipped.incrementAndGet();
                return;
            }
            URI location = null;
            if (sameRegistry && !srcRepo.equals(destRepo)) {
                RegistryClient.MountResult m = dest.mount(destRepo, d.digest(), srcRepo);
                if (m.mounted()) {
                    mounted.incrementAndGet();
                    return;
                }
                location = m.location();
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (location == null) {
                        location = dest.startUpload(destRepo);
                    }
                    if (d.size() > chunkSize) {
                        chunked(d, location);
                    } else {
                        monolithic(d, location);
                    }
                    copied.incrementAndGet();
                    return;
                } catch (TransferException | RegistryStatusException e) {
                    String mismatch = mismatch(e);
                    if (mismatch != null) {
                        throw new OperationFailedException("digest mismatch: " + mismatch + "; the source registry"
                                + " holds corrupt data, nothing was tagged", e);
                    }
                    boolean transientFailure = e instanceof TransferException
                            || ((RegistryStatusException) e).status() >= 500
                            || ((RegistryStatusException) e).status() == 429;
                    if (!transientFailure || attempt >= maxAttempts) {
                        throw new OperationFailedException("copying blob " + d.digest() + " to " + dest.host() + "/"
                                + destRepo + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": "
                                + e.getMessage(), e);
                    }
                    progress.detail("blob " + d.digest() + ": " + e.getMessage() + "; retrying");
                    dest.pause(attempt, null);
                    location = null; // a monolithic upload cannot resume: start a new session
                }
            }
        }

        private String mismatch(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof DigestMismatchException dm) {
                    return dm.getMessage();
                }
                if (t instanceof RegistryStatusException rs && rs.getMessage().contains("DIGEST_INVALID")) {
                    return rs.getMessage();
                }
            }
            return null;
        }

        private void monolithic(Descriptor d, URI location) {
            String name = d.digest().substring(7, 19);
            AtomicLong done = new AtomicLong();
            dest.putUpload(destRepo, location, d.digest(), () -> new DigestingInputStream(
                    source.openBlob(srcRepo, d.digest(), 0), sha256(), d.digest(), d.size(), k -> {
                        bytes.addAndGet(k);
                        progress.transfer(name, done.addAndGet(k), d.size());
                    }), d.size());
        }

        /** PATCH chunks; after a failure, ask the registry how much it holds and resume there, else restart. */
        private void chunked(Descriptor d, URI start) {
            String name = d.digest().substring(7, 19);
            URI location = start;
            long offset = 0;
            MessageDigest md = sha256();
            int failures = 0;
            while (offset < d.size()) {
                long len = Math.min(chunkSize, d.size() - offset);
                MessageDigest before = saved(md);
                long off = offset;
                try {
                    MessageDigest chunkMd = md;
                    location = dest.patchUpload(destRepo, location, () -> new DigestingInputStream(
                            new BoundedInputStream(source.openBlob(srcRepo, d.digest(), off), len), chunkMd, null, len,
                            k -> {
                                bytes.addAndGet(k);
                                progress.transfer(name, off + k, d.size());
                            }), off, len);
                    offset += len;
                } catch (TransferException | RegistryStatusException e) {
                    boolean transientFailure = e instanceof TransferException
                            || ((RegistryStatusException) e).status() >= 500;
                    if (!transientFailure || ++failures >= maxAttempts) {
                        throw e;
                    }
                    dest.pause(failures, null);
                    md = before;
                    OptionalLong have;
                    try {
                        have = dest.uploadOffset(destRepo, location);
                    } catch (RuntimeException statusFailed) {
                        have = OptionalLong.empty();
                    }
                    if (have.isPresent() && have.getAsLong() == offset) {
                        progress.detail("blob " + d.digest() + ": resuming upload at byte " + offset);
                        continue;
                    }
                    progress.detail("blob " + d.digest() + ": restarting upload");
                    location = dest.startUpload(destRepo);
                    offset = 0;
                    md = sha256();
                }
            }
            String actual = "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
            if (!actual.equals(d.digest())) {
                throw new OperationFailedException("digest mismatch: the source served bytes with digest " + actual
                        + " for blob " + d.digest() + "; the source registry holds corrupt data, nothing was tagged");
            }
            dest.completeUpload(destRepo, location, d.digest());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest saved(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 state cannot be saved for resuming", e);
        }
    }

    /** Reads at most {@code limit} bytes and leaves the rest (closing closes the underlying stream). */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws java.io.IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
