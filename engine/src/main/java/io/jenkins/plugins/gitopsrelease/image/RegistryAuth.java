package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials by host, from (in this order) credentials the caller passed explicitly (Jenkins credentials,
 * CLI env/file), {@code REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}, and
 * {@code ~/.docker/config.json} ({@code auths}, {@code credHelpers}, {@code credsStore}) — the files buildah, podman,
 * skopeo and docker already use on the agent. Immutable; secrets stay {@link Secret}s.
 */
public final class RegistryAuth {

    /** A username/password (or token-as-password) pair for one registry. */
    public record Credential(String username, Secret password) {
        @Override
        public String toString() {
            return username + ":****";
        }
    }


    private final Map<String, Credential> explicit;
    private final List<Path> authFiles;

    private RegistryAuth(Map<String, Credential> explicit, List<Path> authFiles) {
        this.explicit = Map.copyOf(explicit);
        this.authFiles = List.copyOf(authFiles);
    }

    /** No credentials at all: anonymous pulls and pushes. */
    public static RegistryAuth anonymous() {
        return new RegistryAuth(Map.of(), List.of());
    }

    /** The agent's usual files, as buildah/podman/docker would read them. */
    public static RegistryAuth fromEnvironment() {
        List<Path> files = new ArrayList<>();
        String authFile = System.getenv("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            files.add(Path.of(xdg, "containers", "auth.json"));
        }
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        files.add(dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json"));
        return new RegistryAuth(Map.of(), files);
    }

    /** Reads only the given auth file (the CLI's {@code --registry-auth-file}); it must exist. */
    public static RegistryAuth fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--registry-auth-file", file,
                    "the file does not exist; give a docker config.json or containers auth.json");
        }
        return new RegistryAuth(Map.of(), List.of(file));
    }

    /** A copy with explicit credentials for {@code host} that take precedence over every file. */
    public RegistryAuth with(String host, String username, Secret password) {
        if (host == null || host.isBlank() || host.contains("/")) {
            throw InvalidInputException.invalid("registry host", host, "give host[:port] only, e.g. registry.example.com");
        }
        Map<String, Credential> m = new LinkedHashMap<>(explicit);
        m.put(normalizeHost(host), new Credential(username, password));
        return new RegistryAuth(m, authFiles);
    }

    /** Credentials for a registry host (host[:port]), or empty for anonymous access. */
    public Optional<Credential> lookup(String registryHost) {
        String host = normalizeHost(registryHost);
        Credential c = explicit.get(host);
        if (c != null) {
            return Optional.of(c);
        }
        for (Path file : authFiles) {
            Optional<Credential> found = fromAuthFile(file, host);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static String normalizeHost(String host) {
        String h = host.trim();
        h = h.replaceFirst("^https?://", "");
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        if (h.equals("registry-1.docker.io") || h.equals("index.docker.io")) {
            return "docker.io";
        }
        return h;
    }

    private static Optional<Credential> fromAuthFile(Path file, String host) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = io.jenkins.plugins.gitopsrelease.core.ParseLimits.tree(
                    io.jenkins.plugins.gitopsrelease.core.ParseLimits.readFile("registry auth file", file));
        } catch (IOException e) {
            throw new InvalidInputException("registry auth file " + file + " is not valid JSON: fix or remove it", e);
        }
        JsonNode auths = root.path("auths");
        for (var it = auths.fields(); it.hasNext(); ) {
            var e = it.next();
            if (normalizeHost(e.getKey()).equals(host)) {
                String auth = e.getValue().path("auth").asText("");
                if (!auth.isEmpty()) {
                    String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon < 0) {
                        throw new InvalidInputException("registry auth file " + file + ": entry for " + host
                                + " is not base64(user:password): log in again (e.g. skopeo login)");
                    }
                    return Optional.of(new Credential(decoded.substring(0, colon), Secret.of(decoded.substring(colon + 1))));
                }
                String token = e.getValue().path("identitytoken").asText("");
                if (!token.isEmpty()) {
                    return Optional.of(new Credential("<token>", Secret.of(token)));
                }
            }
        }
        String helper = root.path("credHelpers").path(host).asText("");
        if (helper.isEmpty()) {
            helper = root.path("credsStore").asText("");
        }
        if (!helper.isEmpty()) {
            return fromHelper(helper, host);
        }
        return Optional.empty();
    }

    /** Runs {@code docker-credential-<helper> get} with the host on stdin, as docker does. */
    private static Optional<Credential> fromHelper(String helper, String host) {
        String exe = "docker-credential-" + helper;
        try {
            Process p = new ProcessBuilder(exe, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().write(host.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new OperationFailedException(exe + " did not answer within 30 s for " + host);
            }
            if (p.exitValue() != 0) {
                return Optional.empty(); // "credentials not found" is a non-zero exit by the helper protocol
            }
            JsonNode n = io.jenkins.plugins.gitopsrelease.core.ParseLimits.tree(out);
            return Optional.of(new Credential(n.path("Username").asText(), Secret.of(n.path("Secret").asText())));
        } catch (IOException e) {
            throw new OperationFailedException("credential helper " + exe + " configured for " + host
                    + " cannot be run: install it or remove it from the docker config", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while asking " + exe, e);
        }
    }
}
