package io.jenkins.plugins.gitopsrelease.core;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts that trust a private CA (a registry's or a cluster's), given as a PEM/DER file. */
public final class TlsTrust {
    private TlsTrust() {
    }

    /**
     * A context trusting the certificates in {@code caFile}, plus the JDK's own CAs when {@code withJdkCas} (for a
     * context that replaces the JVM default and must still reach public hosts).
     */
    public static SSLContext sslContext(Path caFile, String field, boolean withJdkCas) {
        if (!Files.isRegularFile(caFile)) {
            throw InvalidInputException.invalid(field, caFile, "the file does not exist; give a PEM certificate file");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (withJdkCas && Files.isRegularFile(cacerts)) {
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
                throw InvalidInputException.invalid(field, caFile, "no certificate found; give a PEM file");
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
            throw InvalidInputException.invalid(field, caFile, "not a PEM/DER certificate (" + e.getMessage() + ")");
        } catch (Exception e) {
            throw new OperationFailedException("cannot load " + field + " " + caFile + ": " + e.getMessage(), e);
        }
    }
}
