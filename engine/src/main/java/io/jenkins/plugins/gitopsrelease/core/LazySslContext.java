package io.jenkins.plugins.gitopsrelease.core;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} made on first use. {@code java.net.http.HttpClient} asks for a context when it is built;
 * making the JDK default (its trust store, the security providers) costs 0.1–0.2 s of a short CLI run, and a client
 * that only speaks plain HTTP to its registry never needs it. Should such a client be redirected to HTTPS (blob
 * storage behind a plain-HTTP registry), the real context is made then, with the JDK's own trust.
 * Give the client explicit {@link SSLParameters} too ({@code new SSLParameters()}: the engine's defaults), or it reads
 * the default parameters from the context at build time and so makes it.
 */
public final class LazySslContext extends SSLContext {

    /** A context that becomes {@code SSLContext.getDefault()} when a TLS connection is first made. */
    public static SSLContext ofDefault() {
        return of(() -> {
            try {
                return SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context in this JVM", e);
            }
        });
    }

    /** A context that becomes {@code make}'s on first use (once, whatever the number of threads). */
    public static SSLContext of(Supplier<SSLContext> make) {
        return new LazySslContext(make);
    }

    private LazySslContext(Supplier<SSLContext> make) {
        super(new Spi(make), null, "TLS");
    }

    private static final class Spi extends SSLContextSpi {
        private final Supplier<SSLContext> make;
        private volatile SSLContext real;

        Spi(Supplier<SSLContext> make) {
            this.make = make;
        }

        private SSLContext real() {
            SSLContext r = real;
            if (r == null) {
                synchronized (this) {
                    r = real;
                    if (r == null) {
                        r = make.get();
                        real = r;
                    }
                }
            }
            return r;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("a lazily made default context cannot be initialised again");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}
