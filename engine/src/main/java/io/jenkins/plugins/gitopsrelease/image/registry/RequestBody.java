package io.jenkins.plugins.gitopsrelease.image.registry;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.function.Supplier;

/**
 * A request body of a known length that can be produced again for a retry: bytes held in memory, or a fresh stream
 * from a factory (a blob read from the source registry).
 */
record RequestBody(byte[] bytes, Supplier<InputStream> stream, long length) {
    static final RequestBody EMPTY = of(new byte[0]);

    static RequestBody of(byte[] bytes) {
        return new RequestBody(bytes, null, bytes.length);
    }

    static RequestBody stream(Supplier<InputStream> stream, long length) {
        return new RequestBody(null, stream, length);
    }

    InputStream open() {
        return bytes != null ? new ByteArrayInputStream(bytes) : stream.get();
    }

    /** The same body for {@code java.net.http} (PATCH). */
    BodyPublisher publisher() {
        return bytes != null ? BodyPublishers.ofByteArray(bytes)
                : BodyPublishers.fromPublisher(new InputStreamPublisher(stream), length);
    }
}
