package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.policy.CheckPolicy;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy}: the per-environment promotion policies of the settings. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Promotion policies per environment.",
        subcommands = {PolicyCommand.Check.class})
final class PolicyCommand extends CommandGroup {

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Evaluate the target environment's policy (from --config) on a build's record and print"
                    + " every rule, met or not.",
            footer = {"", "Exit codes: 0 every rule met, 1 refused (or the registry failed), 2 bad input."})
    static final class Check implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        RegistryOptions.WithCaFile registry;
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IMAGE", description = "The build: REPO:TAG or REPO@sha256:DIGEST.")
        String image;

        @Option(names = "--target-env", required = true, paramLabel = "ENV", description = "The environment to enter.")
        String targetEnv;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "gitops-release.yaml",
                description = "Settings with the environments and their policies (default: ${DEFAULT-VALUE}).")
        Path config;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            ReleaseSettings settings = ReleaseSettings.load(config);
            CheckPolicy.Evaluation e = CheckPolicy.image(image).field("IMAGE").targetEnv(targetEnv).settings(settings)
                    .insecure(registry.insecure).caFile(registry.caFile).auth(registry.auth(image)).call();
            PolicyResult p = e.result();
            output.say("policy of " + p.environment() + " for " + p.image() + ":");
            if (p.rules().isEmpty()) {
                output.say("  (no rules)");
            }
            for (PolicyResult.Rule r : p.rules()) {
                output.say("  " + (r.met() ? "MET    " : "UNMET  ") + r.rule() + " — " + r.detail());
            }
            output.say(p.allowed() ? "allowed" : "refused: " + p.unmet().size() + " rule"
                    + (p.unmet().size() == 1 ? "" : "s") + " unmet");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("environment", p.environment());
            json.put("image", p.image());
            json.put("allowed", p.allowed());
            json.put("rules", p.rules());
            output.result(json);
            if (!p.allowed()) {
                // like every other failure (exit 1), the run ends in one error line on stderr
                output.err().println("error: " + io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine("policy of "
                        + p.environment() + " refuses " + p.image() + ": " + p.unmet().size() + " rule"
                        + (p.unmet().size() == 1 ? "" : "s") + " unmet (" + String.join("; ", p.unmet().stream()
                        .map(PolicyResult.Rule::rule).toList()) + ")"));
            }
            return p.allowed() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
