package io.jenkins.plugins.gitopsrelease.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP exchange on {@link HttpURLConnection}, answered as a {@code java.net.http} {@link HttpResponse} so that
 * {@link RegistryClient} reads both transports alike. Why not {@code java.net.http} for everything: in a fresh CLI
 * process its asynchronous pipeline runs cold (about 70 ms more to the first answer than this), and a blob passes
 * through it in 16 KiB buffers handed between threads and subscribers, which cost twice skopeo's CPU for a 210 MB
 * promotion; here one thread reads the source, hashes and writes the destination socket (docs/benchmarks.md, issue
 * 17). {@code HttpURLConnection} refuses PATCH, so chunked uploads stay on {@code java.net.http}.
 *
 * <p>No proxy (as the {@code java.net.http} client, which had none configured); redirects are returned, not
 * followed ({@link RegistryClient} follows them so that credentials stay with the registry); no cache.
 */
final class UrlConnectionExchange {
    private static final int BUFFER = 256 * 1024;
    private static final java.net.Authenticator NO_AUTHENTICATOR = new java.net.Authenticator() {
        // asked for nothing: getPasswordAuthentication() answers null
    };

    private UrlConnectionExchange() {
    }

    /**
     * Sends one request and returns the response with its body open (an empty stream for HEAD and bodiless
     * answers); the caller reads or drains and closes it, which lets the connection be reused. A failure while
     * sending the body (the source stream's own error, such as a digest mismatch, included) drops the connection
     * and is thrown as the {@link IOException} it was.
     *
     * @param readTimeout the longest wait for any read, null for none (uploads: the registry may take long to
     *     commit a large blob)
     * @param tls the socket factory for HTTPS, or null for the JVM's default trust
     */
    static HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, RequestBody body,
            Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) throws IOException {
        return send(method, uri, headers, body, connectTimeout, readTimeout, tls, null);
    }

    /** As above; {@code handle} (if not null) can abort the exchange from another thread. */
    static HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, RequestBody body,
            Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls, Handle handle) throws IOException {
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("invalid URI scheme " + scheme); // as java.net.http refuses it
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection s) {
            SSLSocketFactory f = tls;
            if (handle != null) { // the handle must reach the socket: the handshake runs before disconnect() can
                f = handle.tracking(f != null ? f : (SSLSocketFactory) SSLSocketFactory.getDefault());
            }
            if (f != null) {
                s.setSSLSocketFactory(f);
            }
        }
        // Never the JVM's default Authenticator (a Jenkins agent has one): on a 401 it could answer with another
        // service's credentials. Credentials go only in the Authorization header RegistryClient sets.
        c.setAuthenticator(NO_AUTHENTICATOR);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        c.setReadTimeout(readTimeout == null ? 0 : (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        if (handle != null) {
            handle.set(c);
        }
        boolean answered = false;
        try {
            if (body != null) {
                c.setDoOutput(true);
                // streamed at a fixed length; a 401 still arrives as a response (getResponseCode reads its status
                // line although HttpURLConnection will not resend a streamed body itself)
                c.setFixedLengthStreamingMode(body.length());
                try (InputStream in = body.open(); OutputStream out = c.getOutputStream()) {
                    byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, body.length()))];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                    }
                }
            }
            int status = c.getResponseCode();
            Map<String, List<String>> fields = new LinkedHashMap<>();
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null) { // the status line
                    fields.put(k, v);
                }
            });
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            answered = true;
            return new Response(status, uri, HttpHeaders.of(fields, (k, v) -> true),
                    in == null ? InputStream.nullInputStream() : in);
        } finally {
            if (!answered) {
                c.disconnect(); // a half-sent request: the connection must not be reused
            }
        }
    }

    /**
     * Aborts an exchange from another thread: closing its connection ends a read that would otherwise wait for its
     * timeout (a TLS handshake with a plain-HTTP server that waits for a line end, holding that server's thread).
     */
    static final class Handle {
        private final List<java.net.Socket> sockets = new java.util.ArrayList<>();
        private HttpURLConnection connection;
        private boolean aborted;

        synchronized void set(HttpURLConnection c) throws IOException {
            if (aborted) {
                throw new IOException("aborted");
            }
            connection = c;
        }

        synchronized void abort() {
            aborted = true;
            for (java.net.Socket s : sockets) {
                try {
                    s.close(); // ends a TLS handshake in progress, which disconnect() cannot reach
                } catch (IOException ignored) {
                    // closed already
                }
            }
            if (connection != null) {
                connection.disconnect();
            }
        }

        private synchronized <T extends java.net.Socket> T track(T s) throws IOException {
            sockets.add(s);
            if (aborted) {
                s.close();
            }
            return s;
        }

        /** {@code base}, remembering each socket it makes so that {@link #abort} can close it. */
        SSLSocketFactory tracking(SSLSocketFactory base) {
            return new SSLSocketFactory() {
                @Override
                public String[] getDefaultCipherSuites() {
                    return base.getDefaultCipherSuites();
                }

                @Override
                public String[] getSupportedCipherSuites() {
                    return base.getSupportedCipherSuites();
                }

                // No unconnected createSocket(): HttpsURLConnection then connects a plain socket and layers TLS on it
                // here, and abort() closes that plain socket (closing the TLS socket would wait for the handshake's
                // read to finish).
                @Override
                public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose)
                        throws IOException {
                    track(s);
                    return base.createSocket(s, host, port, autoClose);
                }

                @Override
                public java.net.Socket createSocket(String host, int port) throws IOException {
                    return track(base.createSocket(host, port));
                }

                @Override
                public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                        throws IOException {
                    return track(base.createSocket(host, port, local, localPort));
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
                    return track(base.createSocket(host, port));
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress address, int port,
                        java.net.InetAddress local, int localPort) throws IOException {
                    return track(base.createSocket(address, port, local, localPort));
                }
            };
        }
    }

    /** A response of this transport; it has no {@link HttpRequest} object and no previous response. */
    private record Response(int statusCode, URI uri, HttpHeaders headers, InputStream body)
            implements HttpResponse<InputStream> {
        @Override
        public HttpRequest request() {
            throw new UnsupportedOperationException("an HttpURLConnection exchange has no HttpRequest");
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
