package io.jenkins.plugins.gitopsrelease.image.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to reach registries: credentials by host, which hosts speak plain HTTP (only those named), and an extra CA.
 * Also writes the short-lived files external tools need, so that no secret goes into an argument list.
 */
record RegistryAccess(RegistryAuth auth, Set<String> insecureHosts, Path caFile) {

    RegistryAccess {
        insecureHosts = insecureHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (caFile != null && !Files.isRegularFile(caFile)) {
            throw InvalidInputException.invalid("--ca-file", caFile, "the file does not exist; give a PEM certificate");
        }
    }

    boolean insecure(String host) {
        return host != null && insecureHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    Optional<RegistryAuth.Credential> credential(String host) {
        return auth.lookup(host);
    }

    /**
     * A containers auth.json (mode 0600, in {@code dir}) with the credentials of the given hosts, for
     * {@code --authfile}; an empty {@code auths} object when none has credentials (so the tool does not fall back
     * to files we did not choose). The caller deletes {@code dir}.
     */
    Path writeAuthFile(Path dir, Collection<String> hosts) {
        ObjectMapper json = io.jenkins.plugins.gitopsrelease.core.ParseLimits.json();
        ObjectNode root = json.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        for (String host : hosts) {
            credential(host).ifPresent(c -> auths.putObject(host).put("auth", Base64.getEncoder().encodeToString(
                    (c.username() + ":" + c.password().reveal()).getBytes(StandardCharsets.UTF_8))));
        }
        try {
            Path file = dir.resolve("auth.json");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, json.writeValueAsBytes(root));
            return file;
        } catch (IOException e) {
            throw new OperationFailedException("cannot write a temporary auth file in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A directory holding the CA as {@code ca.crt} (tools read only *.crt), or null without a CA. */
    Path writeCertDir(Path dir) {
        if (caFile == null) {
            return null;
        }
        try {
            Path certs = Files.createDirectories(dir.resolve("certs"));
            Files.copy(caFile, certs.resolve("ca.crt"));
            return certs;
        } catch (IOException e) {
            throw new OperationFailedException("cannot copy --ca-file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A registries.conf marking only the insecure hosts as plain HTTP (containers tools' per-host setting), for
     * {@code CONTAINERS_REGISTRIES_CONF}; short names resolve on docker.io as with docker.
     */
    Path writeRegistriesConf(Path dir) {
        StringBuilder sb = new StringBuilder("unqualified-search-registries = [\"docker.io\"]\nshort-name-mode = \"permissive\"\n");
        for (String host : insecureHosts) {
            sb.append("\n[[registry]]\nlocation = \"").append(host).append("\"\ninsecure = true\n");
        }
        try {
            return Files.writeString(dir.resolve("registries.conf"), sb.toString());
        } catch (IOException e) {
            throw new OperationFailedException("cannot write registries.conf in " + dir + ": " + e.getMessage(), e);
        }
    }

    static RegistryAccess anonymous() {
        return new RegistryAccess(RegistryAuth.anonymous(), Set.of(), null);
    }
}
