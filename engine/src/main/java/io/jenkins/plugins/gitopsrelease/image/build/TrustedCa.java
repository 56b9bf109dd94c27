package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.TlsTrust;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;

/**
 * Jib's HTTP client takes its TLS settings from the JVM default {@link SSLContext}; it has no per-build trust
 * option. For a {@code --ca-file} this installs a default context trusting the JDK's CAs plus that file for the
 * duration of one build, then restores the previous one. Builds with a CA file run one at a time in a JVM.
 */
final class TrustedCa {
    private static final Object LOCK = new Object();

    private TrustedCa() {
    }

    static <T> T with(Path caFile, Callable<T> work) throws Exception {
        if (caFile == null) {
            return work.call();
        }
        SSLContext ctx = context(caFile);
        synchronized (LOCK) {
            SSLContext previous = SSLContext.getDefault();
            SSLContext.setDefault(ctx);
            try {
                return work.call();
            } finally {
                SSLContext.setDefault(previous);
            }
        }
    }

    static SSLContext context(Path caFile) {
        return TlsTrust.sslContext(caFile, "--ca-file", true);
    }
}
