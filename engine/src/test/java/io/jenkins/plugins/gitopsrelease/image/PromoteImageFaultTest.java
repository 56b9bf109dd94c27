package io.jenkins.plugins.gitopsrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.image.registry.Manifest;
import io.jenkins.plugins.gitopsrelease.image.registry.RequestListener;
import io.jenkins.plugins.gitopsrelease.testinfra.RegistryFixture;
import io.jenkins.plugins.gitopsrelease.testinfra.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The destination registry goes away in the middle of a copy. Whether the copy then completes (registry back) or
 * fails (registry stays down), the destination tag must never exist before the image is complete.
 */
class PromoteImageFaultTest {
    @RegisterExtension
    static RegistryFixture a = RegistryFixture.plain();

    @RegisterExtension
    static RegistryFixture b = RegistryFixture.plain();

    static final AtomicInteger N = new AtomicInteger();
    final HttpClient probe = HttpClient.newHttpClient();

    @AfterEach
    void registryRunning() {
        if (!b.isRunning()) {
            b.start();
        }
    }

    /** Stops the destination once {@code trigger} matches a finished request; restarts it after {@code downMs}. */
    final class Outage implements RequestListener {
        final String trigger;
        final long downMs;
        final AtomicBoolean fired = new AtomicBoolean();
        final AtomicBoolean tagPutStarted = new AtomicBoolean();
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<Integer> tagStatusBeforeTagPut = new CopyOnWriteArrayList<>();
        final String tagPath;
        Thread restarter;

        Outage(String trigger, long downMs, String tagPath) {
            this.trigger = trigger;
            this.downMs = downMs;
            this.tagPath = tagPath;
        }

        @Override
        public void before(String method, URI uri) {
            if (!uri.getAuthority().equals(b.host()) || !b.isRunning()) {
                return;
            }
            if (method.equals("PUT") && uri.getPath().equals(tagPath)) {
                tagPutStarted.set(true);
            }
            if (!tagPutStarted.get()) {
                tagStatusBeforeTagPut.add(headStatus(tagPath));
            }
        }

        @Override
        public void after(String method, URI uri, int status) {
            if (!uri.getAuthority().equals(b.host())) {
                return;
            }
            log.add(method + " " + uri.getPath() + " " + status);
            if ((method + " " + uri.getPath()).matches(trigger) && fired.compareAndSet(false, true)) {
                b.stop();
                if (downMs >= 0) {
                    restarter = new Thread(() -> {
                        try {
                            Thread.sleep(downMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                        b.start();
                    });
                    restarter.start();
                }
            }
        }

        int headStatus(String path) {
            try {
                return probe.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }
    }

    @Test
    void destinationRestartedMidCopyRetriesAndCompletes() throws Exception {
        String repo = "fault/mono" + N.incrementAndGet();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 200_000, 300_000, 400_000);
        Outage outage = new Outage("PUT .*/blobs/uploads/.*", 700, "/v2/" + repo + "/manifests/1.0");

        PromoteResult r = PromoteImage.from(a.host() + "/" + repo + ":1.0").to(b.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).parallelism(1).listener(outage).call();
        outage.restarter.join();

        assertThat(outage.fired).isTrue();
        assertThat(outage.log).anyMatch(l -> l.endsWith(" -1")); // it really hit the outage
        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        assertThat(outage.tagStatusBeforeTagPut).contains(404).noneMatch(s -> s == 200); // -1: registry restarting
        int tagPut = indexOf(outage.log, "PUT /v2/" + repo + "/manifests/1.0 201");
        int digestPut = indexOf(outage.log, "PUT /v2/" + repo + "/manifests/" + img.digest() + " 201");
        assertThat(digestPut).isBetween(0, tagPut - 1);
        for (int i = 0; i < outage.log.size(); i++) {
            if (outage.log.get(i).contains("/blobs/uploads/")) {
                assertThat(i).isLessThan(digestPut);
            }
        }
    }

    @Test
    void chunkedUploadResumesAfterRestart() throws Exception {
        String repo = "fault/chunk" + N.incrementAndGet();
        Manifest img = TestImages.image(a, repo, "1.0", "amd64", 1_000_000);
        Outage outage = new Outage("PATCH .*", 500, "/v2/" + repo + "/manifests/1.0");

        PromoteResult r = PromoteImage.from(a.host() + "/" + repo + ":1.0").to(b.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).parallelism(1).chunkSize(256 * 1024).listener(outage).call();
        outage.restarter.join();

        assertThat(r.destinationDigest()).isEqualTo(img.digest());
        assertThat(b.skopeoDigest(repo + ":1.0")).isEqualTo(img.digest());
        // 4 chunks of the layer, none repeated: the upload resumed where the registry said it was
        assertThat(outage.log).filteredOn(l -> l.startsWith("PATCH") && l.endsWith(" 202")).hasSize(4);
        assertThat(outage.log).anyMatch(l -> l.startsWith("GET ") && l.contains("/blobs/uploads/"));
        assertThat(outage.tagStatusBeforeTagPut).contains(404).noneMatch(s -> s == 200);
    }

    @Test
    void destinationStaysDownFailsClearlyWithoutTag() {
        String repo = "fault/down" + N.incrementAndGet();
        TestImages.image(a, repo, "1.0", "amd64", 200_000, 300_000);
        Outage outage = new Outage("PUT .*/blobs/uploads/.*", -1, "/v2/" + repo + "/manifests/1.0");

        assertThatThrownBy(() -> PromoteImage.from(a.host() + "/" + repo + ":1.0").to(b.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).parallelism(1).retries(3, Duration.ofMillis(50))
                .listener(outage).call())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(b.host()).hasMessageContaining("after 3 attempts");
        b.start();
        assertThat(outage.headStatus("/v2/" + repo + "/manifests/1.0")).isEqualTo(404);
    }

    @Test
    void noBlobThreadsLeftBehind() throws InterruptedException {
        String repo = "fault/threads" + N.incrementAndGet();
        TestImages.image(a, repo, "1.0", "amd64", 1000, 2000, 3000, 4000, 5000);
        PromoteImage.from(a.host() + "/" + repo + ":1.0").to(b.host() + "/" + repo + ":1.0")
                .srcInsecure(true).destInsecure(true).call();
        // a terminated pool's workers may take a moment to leave Thread.run; poll, then assert
        for (int i = 0; i < 100 && blobThreads() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("promote-blob-"));
    }

    static long blobThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("promote-blob-")).count();
    }

    static int indexOf(List<String> log, String line) {
        int i = log.indexOf(line);
        assertThat(i).as("%s in %s", line, log).isGreaterThanOrEqualTo(0);
        return i;
    }
}
