package io.jenkins.plugins.gitopsrelease.image.build;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.isRegularFile(cacerts)) {
                try (InputStream in = Files.newInputStream(cacerts)) {
                    ks.load(in, null);
                }
            } else {
                ks.load(null, null);
            }
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(caFile)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw InvalidInputException.invalid("--ca-file", caFile, "no PEM certificate found in the file");
            }
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("gitops-release-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (InvalidInputException e) {
            throw e;
        } catch (java.security.cert.CertificateException e) {
            throw InvalidInputException.invalid("--ca-file", caFile, "not a PEM/DER certificate (" + e.getMessage() + ")");
        } catch (Exception e) {
            throw new OperationFailedException("cannot load --ca-file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
