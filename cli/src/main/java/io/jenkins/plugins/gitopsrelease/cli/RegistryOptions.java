package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.image.RegistryAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The registry options of build-image and the record verbs (annotate, record show, policy check: with
 * {@code --ca-file}, {@link WithCaFile}), and of watch-deployment (whose {@code --ca-file} is the API server's).
 */
class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST", description = "Registry host[:port] reached over plain HTTP (repeatable).")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--registry-auth-file", paramLabel = "FILE",
            description = "docker config.json / containers auth.json to read (default: the usual files).")
    Path registryAuthFile;

    @Option(names = "--registry-username", paramLabel = "USER", description = "User for the image's registry (with --registry-password-env or -file).")
    String registryUsername;

    @Option(names = "--registry-password-env", paramLabel = "VAR", description = "Environment variable holding the password or token.")
    String registryPasswordEnv;

    @Option(names = "--registry-password-file", paramLabel = "FILE", description = "File holding the password or token.")
    Path registryPasswordFile;

    /** Credentials for the registry of {@code image}: explicit ones, else the auth file(s). */
    RegistryAuth auth(String image) {
        return authFor(() -> ImageRefs.displayRegistry(ImageRefs.parse("IMAGE", image)));
    }

    /** The auth file(s), plus the explicit credentials for the host {@code host} names (asked only when given). */
    RegistryAuth authFor(java.util.function.Supplier<String> host) {
        RegistryAuth auth = registryAuthFile != null ? RegistryAuth.fromFile(registryAuthFile) : RegistryAuth.fromEnvironment();
        Secret password = Secret.fromEnvOrFile("--registry-password-env", registryPasswordEnv,
                "--registry-password-file", registryPasswordFile);
        if (password == null && registryUsername == null) {
            return auth;
        }
        if (password == null || registryUsername == null) {
            throw new InvalidInputException("--registry-username needs --registry-password-env or"
                    + " --registry-password-file, and the other way round");
        }
        return auth.with(host.get(), registryUsername, password);
    }

    /** The CA file to trust for the registry; none here (the JVM's trust store). */
    Path caFile() {
        return null;
    }

    /** build-image's and the record verbs' form: the registry options plus {@code --ca-file} for the registries. */
    static final class WithCaFile extends RegistryOptions {
        @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA certificate to trust for the registries.")
        Path caFile;

        @Override
        Path caFile() {
            return caFile;
        }
    }
}
