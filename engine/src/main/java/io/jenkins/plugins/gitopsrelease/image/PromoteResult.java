package io.jenkins.plugins.gitopsrelease.image;

import java.time.Duration;
import java.util.List;

/**
 * What a promotion did. {@code sourceDigest} equals {@code destinationDigest} by construction (the copy is verified).
 * {@code referrers} lists the digests of signatures, attestations and SBOMs carried along.
 */
public record PromoteResult(String source, String sourceDigest, String destination, String destinationDigest,
        String mediaType, List<String> platforms, int blobsCopied, int blobsSkipped, int blobsMounted,
        long bytesCopied, int manifestsPushed, List<String> referrers, Duration duration) {

    public PromoteResult {
        platforms = List.copyOf(platforms);
        referrers = List.copyOf(referrers);
    }
}
