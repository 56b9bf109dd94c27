package io.jenkins.plugins.gitopsrelease.bench;

import io.jenkins.plugins.gitopsrelease.image.PromoteImage;
import io.jenkins.plugins.gitopsrelease.image.PromoteResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * In-JVM promotion figures for bench/promote.sh (not a test): blob throughput of full copies into fresh
 * repositories, and the time of a re-promotion when everything exists. Args: SRC_REF DEST_REPO_PREFIX ROUNDS
 * (both registries plain HTTP on 127.0.0.1).
 */
public final class PromoteBench {
    public static void main(String[] args) {
        String src = args[0];
        String destPrefix = args[1];
        int rounds = Integer.parseInt(args[2]);
        String tag = src.substring(src.lastIndexOf(':') + 1);
        // warm-up: JIT, TLS-free connection pools
        copy(src, destPrefix + "warm:" + tag);
        List<Double> mbps = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            PromoteResult r = copy(src, destPrefix + "full" + i + "_" + System.nanoTime() + ":" + tag);
            double s = r.duration().toNanos() / 1e9;
            mbps.add(r.bytesCopied() / 1e6 / s);
            System.out.printf("full copy %d: %.1f MB in %.3f s = %.0f MB/s%n", i, r.bytesCopied() / 1e6, s,
                    r.bytesCopied() / 1e6 / s);
        }
        String again = destPrefix + "again:" + tag;
        copy(src, again);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < Math.max(rounds * 4, 10); i++) {
            PromoteResult r = copy(src, again);
            if (r.blobsCopied() != 0) {
                throw new IllegalStateException("re-promotion copied blobs");
            }
            ms.add(r.duration().toNanos() / 1e6);
        }
        System.out.printf("JVM_FULL_MBPS=%.0f%n", median(mbps));
        System.out.printf("JVM_REPROMOTE_MS=%.1f%n", median(ms));
    }

    static PromoteResult copy(String src, String dest) {
        return PromoteImage.from(src).to(dest).srcInsecure(true).destInsecure(true).call();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
