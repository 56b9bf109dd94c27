package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.PathGuard;
import io.jenkins.plugins.gitopsrelease.openchoreo.ApiStore;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoApi;
import io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options occ's generation verbs share: {@code --mode file-system} (a GitOps checkout; applying or printing the
 * resulting changes) or {@code --mode api-server} (the OpenChoreo API at {@code --server}, with a bearer token or
 * OAuth client credentials, never in argv).
 */
final class FsModeOptions {
    static final String FILE_SYSTEM = "file-system";
    static final String API_SERVER = "api-server";

    @Option(names = "--mode", defaultValue = FILE_SYSTEM,
            description = "'file-system' (default: write into the GitOps repository at --root-dir) or 'api-server'"
                    + " (call the OpenChoreo API at --server).")
    String mode;

    @Option(names = "--server", paramLabel = "URL", description = "api-server mode: the OpenChoreo API URL.")
    String server;

    @Option(names = "--token-env", paramLabel = "VAR", description = "api-server mode: environment variable holding a bearer token.")
    String tokenEnv;

    @Option(names = "--token-file", paramLabel = "FILE", description = "api-server mode: file holding a bearer token.")
    Path tokenFile;

    @Option(names = "--client-id", description = "api-server mode: OAuth client id (client credentials grant).")
    String clientId;

    @Option(names = "--client-secret-env", paramLabel = "VAR", description = "Environment variable holding the OAuth client secret.")
    String clientSecretEnv;

    @Option(names = "--client-secret-file", paramLabel = "FILE", description = "File holding the OAuth client secret.")
    Path clientSecretFile;

    @Option(names = "--token-url", paramLabel = "URL",
            description = "OAuth token endpoint (default: discovered from the API's /.well-known/oauth-protected-resource).")
    String tokenUrl;

    @Option(names = "--scope", description = "OAuth scope to request (default: none).")
    String scope;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "api-server mode: per-request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--root-dir", description = "The GitOps repository checkout (default: the current directory).")
    Path rootDir;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output-path"}, description = "Where to write; relative paths are relative to --root-dir.")
    String outputPath;

    @Option(names = "--dry-run", description = "Print the files instead of writing them.")
    boolean dryRun;

    boolean apiMode() {
        if (API_SERVER.equals(mode)) {
            return true;
        }
        if (!FILE_SYSTEM.equals(mode)) {
            throw InvalidInputException.invalid("--mode", mode, "use 'file-system' or 'api-server'");
        }
        if (server != null || tokenEnv != null || tokenFile != null || clientId != null) {
            throw new InvalidInputException("--server, --token-*, --client-* are for --mode api-server: add it, or"
                    + " drop them for file-system mode");
        }
        return false;
    }

    DirectoryFiles files(String verb) {
        if (apiMode()) {
            throw new InvalidInputException(verb + " only supports file-system mode; use --mode file-system (got \""
                    + mode + "\")");
        }
        return new DirectoryFiles(rootDir != null ? rootDir : Paths.get("").toAbsolutePath());
    }

    /** The OpenChoreo API store for api-server mode; every option is checked before the first call. */
    ApiStore apiStore() {
        if (rootDir != null || outputPath != null || dryRun) {
            throw new InvalidInputException("--root-dir, --output-path and --dry-run are file-system mode options:"
                    + " drop them with --mode api-server");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw InvalidInputException.invalid("--timeout", timeoutSeconds, "give 1 to 3600 seconds");
        }
        Secret token = Secret.fromEnvOrFile("--token-env", tokenEnv, "--token-file", tokenFile);
        OpenChoreoAuth auth;
        if (clientId != null) {
            if (token != null) {
                throw new InvalidInputException("--token-env/--token-file and --client-id: give a token or client"
                        + " credentials, not both");
            }
            Secret secret = Secret.fromEnvOrFile("--client-secret-env", clientSecretEnv, "--client-secret-file",
                    clientSecretFile);
            if (secret == null) {
                throw new InvalidInputException("--client-id needs --client-secret-env VAR or --client-secret-file F");
            }
            URI te = null;
            if (tokenUrl != null) {
                try {
                    te = URI.create(tokenUrl);
                } catch (IllegalArgumentException e) {
                    throw InvalidInputException.invalid("--token-url", tokenUrl, "give the http(s) URL of the token endpoint");
                }
            }
            auth = new OpenChoreoAuth.ClientCredentials(clientId, secret, te, scope);
        } else if (token != null) {
            if (clientSecretEnv != null || clientSecretFile != null) {
                throw new InvalidInputException("--client-secret-env/--client-secret-file need --client-id");
            }
            auth = new OpenChoreoAuth.Token(token);
        } else {
            throw new InvalidInputException("--mode api-server needs credentials: --token-env VAR / --token-file F, or"
                    + " --client-id with --client-secret-env VAR / --client-secret-file F");
        }
        return new ApiStore(OpenChoreoApi.builder(server).auth(auth).timeout(Duration.ofSeconds(timeoutSeconds))
                .build());
    }

    /**
     * --output-path as a root-relative path. Absolute or relative, it must stay inside the root on disk: no
     * {@code ..} out of it, no symbolic link leading out, no NUL (PathGuard).
     */
    String outputPath(DirectoryFiles files) {
        if (outputPath == null) {
            return null;
        }
        Path p = PathGuard.path("--output-path", outputPath);
        Path abs = p.isAbsolute() ? p.normalize() : files.root().resolve(p).normalize();
        PathGuard.inside(files.root(), abs, "--output-path", outputPath);
        if (abs.equals(files.root())) {
            return ".";
        }
        return files.root().relativize(abs).toString().replace('\\', '/');
    }

    /** Writes (or with --dry-run prints) the changes; returns them as JSON-friendly rows. */
    List<Map<String, String>> apply(DirectoryFiles files, List<FileChange> changes, Output output) {
        List<Map<String, String>> rows = new ArrayList<>();
        if (dryRun) {
            for (FileChange c : changes) {
                output.say("# " + (c.kind() == FileChange.Kind.CREATED ? "Would create" : "Would update") + ": "
                        + files.resolve(c.path()));
                output.say(c.text().stripTrailing());
                output.say("---");
            }
        } else {
            files.apply(changes);
            for (FileChange c : changes) {
                output.say((c.kind() == FileChange.Kind.CREATED ? "Created: " : "Updated: ") + files.resolve(c.path()));
            }
        }
        for (FileChange c : changes) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("path", c.path());
            row.put("kind", c.kind().name().toLowerCase());
            rows.add(row);
        }
        return rows;
    }
}
