package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.deploy.KubeAccess;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to reach the Kubernetes API, shared by watch-deployment and promote-image's --require-deployed gate. */
final class KubeAccessOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig (default: $KUBECONFIG,"
            + " ~/.kube/config, or the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "C", description = "Kubeconfig context (default: current).")
    String context;

    @Option(names = "--server", paramLabel = "URL", description = "API server URL (instead of a kubeconfig).")
    String server;

    @Option(names = "--token-env", paramLabel = "VAR", description = "Environment variable holding the bearer token.")
    String tokenEnv;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token.")
    Path tokenFile;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA certificate of --server.")
    Path caFile;

    /** True when a kubeconfig or context was given, so a server URL from the settings must not override it. */
    boolean kubeconfigGiven() {
        return kubeconfig != null || context != null;
    }

    /** The access the options describe; {@code serverUrl} is --server or one resolved from the settings. */
    KubeAccess access(String serverUrl) {
        boolean tokenGiven = tokenEnv != null || tokenFile != null;
        if (tokenEnv != null && tokenFile != null) {
            throw new InvalidInputException("--token-env and --token-file: give one of them, not both");
        }
        if (serverUrl == null) {
            if (tokenGiven || caFile != null) {
                throw new InvalidInputException("--token-env/--token-file/--ca-file need --server (a kubeconfig"
                        + " carries its own credentials)");
            }
            return kubeconfig == null && context == null ? KubeAccess.defaults()
                    : KubeAccess.kubeconfig(kubeconfig, context);
        }
        if (kubeconfigGiven()) {
            throw new InvalidInputException("--server and --kubeconfig/--context: give one way to reach the cluster");
        }
        Secret token = Secret.fromEnvOrFile("--token-env", tokenEnv, "--token-file", tokenFile);
        return KubeAccess.server(serverUrl, token, caFile, null);
    }

    KubeAccess access() {
        return access(server);
    }
}
