package io.jenkins.plugins.gitopsrelease.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Tells a server that speaks plain HTTP on a port given as {@code https://} apart, at once. Such a server never answers
 * a TLS ClientHello (it waits for the end of a request line), so without this the first request waits for the whole
 * connect timeout, on every retry. {@link #race} sends the first HTTPS request while a plain-HTTP {@code GET} goes to
 * the same port on a daemon thread; the first to show what the server speaks decides. A TLS server drops the probe
 * or answers it 400 ("plain HTTP request sent to an HTTPS port"), so a TLS server costs one extra connection and
 * nothing else, and later requests skip the probe.
 */
public final class PlainHttpProbe {
    /** What a plain-HTTP request to the port showed. */
    public enum Result {
        /** an HTTP answer other than 400: the server speaks plain HTTP on this port */
        PLAIN_HTTP,
        /** connected, then nothing within the bound */
        SILENT,
        /** anything else: refused, a TLS alert, a 400, closed */
        OTHER
    }

    private final URI uri;
    private final Duration bound;
    private CompletableFuture<Result> future;
    private volatile boolean tlsAnswered;

    /** A probe of {@code uri}'s host and port (path: what the probe asks for), each step bounded by {@code bound}. */
    public PlainHttpProbe(URI uri, Duration bound) {
        this.uri = uri;
        this.bound = bound;
    }

    /** Whether {@code other} goes to the probed host and port. */
    public boolean covers(URI other) {
        return other != null && other.getHost() != null && other.getHost().equalsIgnoreCase(uri.getHost())
                && port(other) == port(uri);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    /** Starts the probe once; later calls return the same future. */
    public synchronized CompletableFuture<Result> start() {
        if (future == null) {
            CompletableFuture<Result> f = new CompletableFuture<>();
            Thread t = new Thread(() -> f.complete(probe(uri, bound)), "plain-http-probe " + uri.getHost());
            t.setDaemon(true);
            t.start();
            future = f;
        }
        return future;
    }

    /** The probe's result, waiting at most the bound; {@link Result#OTHER} when it has none by then. */
    public Result result() throws InterruptedException {
        try {
            return start().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Result.OTHER;
        }
    }

    /**
     * Sends {@code request}; until a response came over TLS once, races it against the probe and throws
     * {@code plainHttp} when the server answered the probe in plain HTTP first, or when the request failed and the
     * probe shows plain HTTP. Other failures are thrown as the client threw them (a silent server is left to the
     * client's connect timeout).
     */
    public <T> HttpResponse<T> race(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler,
            Supplier<? extends RuntimeException> plainHttp) throws IOException, InterruptedException {
        if (tlsAnswered || !"https".equalsIgnoreCase(request.uri().getScheme())) {
            return http.send(request, handler);
        }
        CompletableFuture<HttpResponse<T>> response = http.sendAsync(request, handler);
        return race(response, plainHttp, null, () -> response.cancel(true));
    }

    /**
     * The same race for a blocking exchange ({@code send} runs on a daemon thread of its own): {@code plainHttp} when
     * the probe shows plain HTTP first (or after the request failed), {@code silent} when the server neither answered
     * the request nor the probe within the bound (it took the connection and never completed a TLS handshake).
     * Without TLS, or once a response came over TLS, {@code send} runs on the calling thread.
     */
    public <T> T race(URI target, java.util.concurrent.Callable<T> send, Supplier<? extends RuntimeException> plainHttp,
            Supplier<? extends RuntimeException> silent, Runnable abort) throws IOException, InterruptedException {
        if (tlsAnswered || !"https".equalsIgnoreCase(target.getScheme())) {
            return call(send);
        }
        CompletableFuture<T> response = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                response.complete(send.call());
            } catch (Throwable e) {
                response.completeExceptionally(e);
            }
        }, "tls-request " + target.getHost());
        t.setDaemon(true);
        t.start();
        return race(response, plainHttp, silent, abort);
    }

    /**
     * The race itself: the request's {@code response} against the probe. {@code abort} lets go of the request when
     * the probe decides (or on interrupt); with {@code silent} null a silent server does not decide.
     */
    private <T> T race(CompletableFuture<T> response, Supplier<? extends RuntimeException> plainHttp,
            Supplier<? extends RuntimeException> silent, Runnable abort) throws IOException, InterruptedException {
        CompletableFuture<Result> probe = start();
        try {
            CompletableFuture.anyOf(response, probe).get();
            if (!response.isDone()) {
                Result r = probe.join();
                if (r == Result.PLAIN_HTTP || r == Result.SILENT && silent != null) {
                    abort.run(); // the request must not hold the connection (and the server's thread)
                    throw r == Result.PLAIN_HTTP ? plainHttp.get() : silent.get();
                }
            }
            T r = response.get();
            tlsAnswered = true;
            return r;
        } catch (InterruptedException e) {
            abort.run();
            throw e;
        } catch (ExecutionException e) {
            throw failure(e, plainHttp);
        }
    }

    /** What a failed request throws: {@code plainHttp} if the probe shows plain HTTP, else the request's own failure. */
    private IOException failure(ExecutionException e, Supplier<? extends RuntimeException> plainHttp)
            throws InterruptedException {
        if (result() == Result.PLAIN_HTTP) {
            throw plainHttp.get();
        }
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }

    private static <T> T call(java.util.concurrent.Callable<T> send) throws IOException, InterruptedException {
        try {
            return send.call();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Sends a plain-HTTP {@code GET} to {@code uri}'s host and port. A TLS server drops it, answers with a TLS alert or
     * with 400; any other HTTP status means plain HTTP.
     */
    public static Result probe(URI uri, Duration bound) {
        int port = port(uri);
        int ms = (int) Math.min(Integer.MAX_VALUE, bound.toMillis());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost().replaceAll("^\\[|]$", ""), port), ms);
            s.setSoTimeout(ms);
            // Host from host and port only: user-info (a credential) never goes into the probe
            String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head;
            try {
                head = s.getInputStream().readNBytes(12);
            } catch (SocketTimeoutException e) {
                return Result.SILENT;
            }
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.matches("HTTP/1\\.[01] [1-5][0-9][0-9]") && !line.endsWith(" 400") ? Result.PLAIN_HTTP
                    : Result.OTHER;
        } catch (IOException | RuntimeException e) {
            return Result.OTHER;
        }
    }
}
