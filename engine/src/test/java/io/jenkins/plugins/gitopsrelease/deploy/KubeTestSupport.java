package io.jenkins.plugins.gitopsrelease.deploy;

import io.jenkins.plugins.gitopsrelease.testinfra.RecordingProgress;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.testinfra.KubeMockFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers: a watch pointed at the mock with a canary token, and a driver that changes status mid-watch. */
final class KubeTestSupport {
    static final String CANARY = "canary-s3cr3t-KUBE-7f3a";
    private static final AtomicInteger NS = new AtomicInteger();

    private KubeTestSupport() {
    }

    /** A fresh namespace name per test, so tests do not see each other's objects. */
    static String namespace() {
        return "ns-" + NS.incrementAndGet();
    }


    static WatchDeployment watch(KubeMockFixture kube, Target target, RecordingProgress lines) {
        return WatchDeployment.create()
                .setAccess(KubeAccess.server(kube.url(), Secret.of(CANARY), null, null))
                .setTarget(target)
                .setTimeout(Duration.ofSeconds(30))
                .setProgress(lines);
    }

    /**
     * Runs the steps on another thread once the watch is open (so the transitions arrive through the watch, not
     * through the first read). Join the future to surface the driver's failures.
     */
    static CompletableFuture<Void> afterWatchOpens(KubeMockFixture kube, Runnable... steps) {
        return CompletableFuture.runAsync(() -> {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (kube.openWatches() == 0) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the watch never opened");
                }
                sleep(5);
            }
            for (Runnable step : steps) {
                step.run();
            }
        });
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
