package io.jenkins.plugins.gitopsrelease.image.build;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.Ports;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Progress;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Builds with Jib core in this JVM: no daemon, no Dockerfile. Digests are reproducible (Jib fixes creation and
 * file times), so the same input gives the same digest; file modes are kept from the source (scripts stay
 * executable).
 */
final class JibImageBuilder {
    private static final Object HTTP_CREDENTIALS_LOCK = new Object();
    private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

    private JibImageBuilder() {
    }

    /** Builds and pushes (or writes the OCI layout); returns the manifest digest. */
    static String build(JibPlan plan, ImageTarget target, RegistryAccess access, Progress progress) {
        try {
            return TrustedCa.with(access.caFile(), () -> buildWithTrust(plan, target, access, progress));
        } catch (GitOpsReleaseException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e, plan, target);
        }
    }

    private static String buildWithTrust(JibPlan plan, ImageTarget target, RegistryAccess access, Progress progress)
            throws Exception {
        JibContainerBuilder jib = from(plan, access);
        for (JibPlan.Layer layer : plan.layers()) {
            FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(layer.name());
            for (JibPlan.Entry e : layer.entries()) {
                b.addEntryRecursive(e.source(), AbsoluteUnixPath.get(e.destination()), KEEP_MODES,
                        (src, dest) -> FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
            }
            jib.addFileEntriesLayer(b.build());
        }
        if (plan.entrypoint() != null) {
            jib.setEntrypoint(plan.entrypoint());
        }
        if (plan.cmd() != null) {
            jib.setProgramArguments(plan.cmd());
        }
        plan.env().forEach(jib::addEnvironmentVariable);
        plan.labels().forEach(jib::addLabel);
        if (!plan.ports().isEmpty()) {
            try {
                Ports.parse(plan.ports()).forEach(jib::addExposedPort);
            } catch (RuntimeException e) {
                throw InvalidInputException.invalid("--port", String.join(",", plan.ports()),
                        "give PORT[/tcp|/udp] or a range, e.g. 8080 or 53/udp");
            }
        }
        if (plan.user() != null) {
            jib.setUser(plan.user());
        }
        if (plan.workingDir() != null) {
            jib.setWorkingDirectory(AbsoluteUnixPath.get(plan.workingDir()));
        }
        if (plan.platform() != null) {
            String[] p = plan.platform().split("/");
            jib.setPlatforms(Set.of(new Platform(p[1], p[0])));
        }

        Containerizer containerizer;
        Path tar = null;
        Set<String> hosts = new LinkedHashSet<>();
        if (target instanceof ImageTarget.Registry r) {
            RegistryImage image = RegistryImage.named(r.ref());
            access.credential(r.host()).ifPresent(c -> image.addCredential(c.username(), c.password().reveal()));
            containerizer = Containerizer.to(image);
            hosts.add(r.host());
        } else {
            ImageTarget.OciLayout oci = (ImageTarget.OciLayout) target;
            jib.setFormat(ImageFormat.OCI);
            tar = Files.createTempFile("gitops-release-oci", ".tar");
            containerizer = Containerizer.to(TarImage.at(tar).named(ImageReference.of(null, "image", oci.tag())));
        }
        if (plan.base() != null) {
            hosts.add(ImageRefs.displayRegistry(ImageRefs.parse("--base", plan.base())));
        }
        boolean insecure = hosts.stream().anyMatch(access::insecure);
        containerizer.setAllowInsecureRegistries(insecure)
                .setToolName("gitops-release")
                .addEventHandler(LogEvent.class, e -> log(progress, e));
        if (plan.cacheDir() != null) {
            containerizer.setBaseImageLayersCache(plan.cacheDir().resolve("base"))
                    .setApplicationLayersCache(plan.cacheDir().resolve("application"));
        }
        // Basic auth over plain HTTP is off in Jib unless this JVM-wide property is set; set it only while a build
        // sends credentials to a host the caller named insecure.
        boolean credentialsOverHttp = hosts.stream().anyMatch(h -> access.insecure(h) && access.credential(h).isPresent());
        try {
            JibContainer result;
            if (credentialsOverHttp) {
                synchronized (HTTP_CREDENTIALS_LOCK) {
                    String previous = System.getProperty(SEND_CREDENTIALS_OVER_HTTP);
                    System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
                    try {
                        result = jib.containerize(containerizer);
                    } finally {
                        if (previous == null) {
                            System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
                        } else {
                            System.setProperty(SEND_CREDENTIALS_OVER_HTTP, previous);
                        }
                    }
                }
            } else {
                result = jib.containerize(containerizer);
            }
            if (tar != null) {
                ImageTarget.OciLayout oci = (ImageTarget.OciLayout) target;
                return OciLayoutDir.importTar(tar, oci.dir(), oci.tag(), result.getDigest().toString());
            }
            return result.getDigest().toString();
        } finally {
            if (tar != null) {
                Files.deleteIfExists(tar);
            }
        }
    }

    private static JibContainerBuilder from(JibPlan plan, RegistryAccess access) {
        if (plan.base() == null || plan.base().equals("scratch")) {
            return Jib.fromScratch();
        }
        ImageReference base = ImageRefs.parse("--base", plan.base());
        RegistryImage image = RegistryImage.named(base);
        access.credential(ImageRefs.displayRegistry(base))
                .ifPresent(c -> image.addCredential(c.username(), c.password().reveal()));
        return Jib.from(image);
    }

    private static final FilePermissionsProvider KEEP_MODES = (source, inImage) -> {
        try {
            return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
        } catch (IOException | UnsupportedOperationException e) {
            return Files.isDirectory(source) ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
                    : FilePermissions.DEFAULT_FILE_PERMISSIONS;
        }
    };

    private static void log(Progress progress, LogEvent e) {
        switch (e.getLevel()) {
            case ERROR, WARN, LIFECYCLE -> progress.step(e.getMessage());
            default -> progress.detail(e.getMessage());
        }
    }

    /** One-line errors naming the registry and the fix; Jib's messages never carry the password. */
    static GitOpsReleaseException translate(Throwable e, JibPlan plan, ImageTarget target) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String where = target.display();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RegistryUnauthorizedException u) {
                return new OperationFailedException("the registry refused the credentials for "
                        + u.getImageReference() + " (HTTP 401/403): check the user and password/token for that host"
                        + " (--registry-username with --registry-password-env/-file, or --registry-auth-file)", e);
            }
            if (c instanceof InsecureRegistryException) {
                return new OperationFailedException("cannot push " + where + " over HTTPS: " + c.getMessage()
                        + "; for a plain-HTTP registry pass --insecure-registry HOST, for a private CA --ca-file", e);
            }
            if (c instanceof SSLException) {
                return new OperationFailedException("TLS to the registry failed for " + where + ": " + c.getMessage()
                        + "; pass --ca-file with the registry's CA", e);
            }
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return new OperationFailedException("cannot reach the registry for " + where + ": " + c.getMessage()
                        + "; check the host and port and that the registry is running", e);
            }
        }
        if (t instanceof RegistryException) {
            return new OperationFailedException("registry error for " + where + ": " + t.getMessage(), e);
        }
        if (t instanceof IOException) {
            return new OperationFailedException("building " + where + " failed: " + t.getMessage(), e);
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new OperationFailedException("build of " + where + " interrupted", e);
        }
        return new OperationFailedException("building " + where + " failed: " + t, e);
    }
}
