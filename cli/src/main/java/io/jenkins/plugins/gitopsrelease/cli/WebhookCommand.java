package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.webhook.ComponentMatch;
import io.jenkins.plugins.gitopsrelease.webhook.Headers;
import io.jenkins.plugins.gitopsrelease.webhook.Provider;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookMatch;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code webhook}: the auto-build rules for push webhooks, so any CI can decide what a push starts. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Push webhooks from GitHub, GitLab and Bitbucket (OpenChoreo auto-build rules).",
        subcommands = {WebhookCommand.Match.class})
final class WebhookCommand extends CommandGroup {

    @Command(name = "match", mixinStandardHelpOptions = true,
            description = "Authenticate a delivery and print the components it starts (auto-build components of the"
                    + " pushed repository and branch with a pushed file under their appPath).")
    static final class Match implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Spec
        CommandSpec spec;

        @Option(names = "--provider", required = true, description = "github, gitlab or bitbucket.")
        String provider;
        @Option(names = "--event", required = true, description = "The delivery's body, byte for byte.")
        Path event;
        @Option(names = "--headers", required = true,
                description = "The delivery's headers, one 'Name: value' per line.")
        Path headers;
        @Option(names = "--secret-env", paramLabel = "VAR",
                description = "Environment variable holding the webhook secret (GitLab: the secret token).")
        String secretEnv;
        @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the webhook secret.")
        Path secretFile;
        @Option(names = "--hook-uuid", description = "Bitbucket Cloud webhooks without a secret: the hook's UUID"
                + " (X-Hook-UUID) to accept.")
        String hookUuid;
        @Option(names = "--root-dir", required = true, description = "The GitOps repository checkout holding the"
                + " Component resources.")
        Path rootDir;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            Provider p = Provider.of(provider);
            Secret secret = Secret.fromEnvOrFile("--secret-env", secretEnv, "--secret-file", secretFile);
            if (secret == null && (p != Provider.BITBUCKET || hookUuid == null)) {
                throw new InvalidInputException("--secret-env or --secret-file: give the webhook secret"
                        + (p == Provider.BITBUCKET ? " (or --hook-uuid for a Bitbucket Cloud hook without one)" : "")
                        + "; deliveries are never accepted unauthenticated");
            }
            Headers h = Headers.parse(read("--headers", headers, 1024 * 1024), headers.toString());
            byte[] body = readBytes("--event", event, p.maxBodyBytes());
            DirectoryFiles files = new DirectoryFiles(rootDir);
            WebhookMatch.Result r = WebhookMatch.of(p, h, body).secret(secret).hookUuid(hookUuid).repository(files)
                    .call();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ComponentMatch m : r.matches()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("namespace", m.namespace());
                row.put("project", m.project());
                row.put("component", m.component());
                row.put("appPath", m.appPath());
                row.put("provider", m.provider().id());
                row.put("repository", m.repository());
                row.put("branch", m.branch());
                row.put("commit", m.commit());
                row.put("commitUrl", m.commitUrl());
                row.put("matchedPaths", m.matchedPaths());
                row.put("allPaths", m.allPaths());
                rows.add(row);
                if (!global.json()) {
                    output.out().println(m.project() + "/" + m.component() + " " + m.commit());
                }
            }
            output.err().println(r.summary());
            output.result(rows);
            return ExitCodes.OK;
        }

        private static byte[] readBytes(String field, Path file, long max) {
            try {
                long size = Files.size(file);
                if (size > max) {
                    throw new WebhookRejectedException(WebhookRejectedException.Reason.TOO_LARGE, field + ": " + file
                            + " holds " + size + " bytes, over the provider's limit of " + max);
                }
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw InvalidInputException.invalid(field, file, "the file cannot be read ("
                        + e.getClass().getSimpleName() + "); give the path of the saved delivery");
            }
        }

        private static String read(String field, Path file, long max) {
            return new String(readBytes(field, file, max), StandardCharsets.UTF_8);
        }
    }
}
