package io.jenkins.plugins.gitopsrelease.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Request body from an InputStream in large buffers. Unlike {@code BodyPublishers.ofInputStream}, which reads 16 KiB
 * at a time and turns a read error into a silent end of stream, this one reports the error to the HTTP client, so a
 * digest mismatch detected while streaming aborts the upload with its own message.
 */
final class InputStreamPublisher implements Flow.Publisher<ByteBuffer> {
    private static final int BUFFER = 256 * 1024;
    private final Supplier<InputStream> source;

    InputStreamPublisher(Supplier<InputStream> source) {
        this.source = source;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        InputStream in;
        try {
            in = source.get();
        } catch (RuntimeException e) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(e);
            return;
        }
        subscriber.onSubscribe(new Sub(subscriber, in));
    }

    private static final class Sub implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final InputStream in;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private boolean done;

        Sub(Flow.Subscriber<? super ByteBuffer> subscriber, InputStream in) {
            this.subscriber = subscriber;
            this.in = in;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("non-positive request " + n));
            } else {
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        // the usual serialised drain loop: one thread emits at a time, re-entrant request() only adds demand
        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!done && !cancelled && demand.get() > 0) {
                    byte[] buf = new byte[BUFFER];
                    int n;
                    try {
                        n = in.readNBytes(buf, 0, BUFFER);
                    } catch (IOException | RuntimeException e) {
                        done = true;
                        close();
                        subscriber.onError(e);
                        break;
                    }
                    if (n == 0) {
                        done = true;
                        close();
                        subscriber.onComplete();
                        break;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(ByteBuffer.wrap(buf, 0, n));
                }
                if (cancelled && !done) {
                    done = true;
                    close();
                }
            } while (wip.decrementAndGet() != 0);
        }

        private void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the upload is over either way
            }
        }
    }
}
