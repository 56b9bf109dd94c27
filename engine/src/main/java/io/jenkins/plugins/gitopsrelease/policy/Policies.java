package io.jenkins.plugins.gitopsrelease.policy;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.Attributes;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Evaluates a policy against a build record; pure (the time is given), so every rule is testable on its own. */
public final class Policies {
    private Policies() {
    }

    /**
     * @param previousEnvironment the environment before {@code environment} in promotion order (for the soak rule),
     *                            or null
     */
    public static PolicyResult evaluate(BuildRecord record, String environment, EnvironmentPolicy policy,
            String previousEnvironment, Instant now) {
        List<PolicyResult.Rule> rules = new ArrayList<>();
        for (String spec : policy.requiredAnnotations()) {
            String[] kv = Annotation.parsePair("requiredAnnotations", spec);
            boolean anyValue = !spec.contains("=");
            Optional<Annotation> latest = record.latest(kv[0]);
            if (latest.isEmpty()) {
                rules.add(new PolicyResult.Rule(spec, false, "no annotation " + kv[0]));
            } else if (anyValue || latest.get().value().equals(kv[1])) {
                rules.add(new PolicyResult.Rule(spec, true, describe(latest.get())));
            } else {
                rules.add(new PolicyResult.Rule(spec, false, "latest is " + kv[0] + "=" + latest.get().value()
                        + " (" + latest.get().writer() + ", " + latest.get().time() + ")"));
            }
        }
        if (policy.minimumSoak() != null) {
            Duration soak = policy.soak();
            String rule = "soak " + policy.minimumSoak() + " in " + (previousEnvironment == null ? "the previous"
                    + " environment" : previousEnvironment);
            if (previousEnvironment == null) {
                rules.add(new PolicyResult.Rule(rule, false, environment + " has no previous environment in the"
                        + " settings to soak in"));
            } else {
                Optional<Annotation> deployed = record.latest("deployed." + previousEnvironment);
                if (deployed.isEmpty()) {
                    rules.add(new PolicyResult.Rule(rule, false, "never deployed in " + previousEnvironment
                            + " (no deployed." + previousEnvironment + " annotation)"));
                } else {
                    Duration ran = Duration.between(deployed.get().time(), now);
                    boolean met = ran.compareTo(soak) >= 0;
                    rules.add(new PolicyResult.Rule(rule, met, "deployed there at " + deployed.get().time() + ", "
                            + text(ran.isNegative() ? Duration.ZERO : ran) + " ago"
                            + (met ? "" : "; " + text(soak.minus(ran)) + " to go")));
                }
            }
        }
        if (!policy.allowedBranches().isEmpty()) {
            String branch = record.attributes().get(Attributes.BRANCH);
            boolean met = policy.branchAllowed(branch);
            rules.add(new PolicyResult.Rule("branch in " + policy.allowedBranches(), met, branch == null
                    ? "the build has no " + Attributes.BRANCH + " attribute" : "built from " + branch));
        }
        if (!policy.approvers().isEmpty()) {
            String rule = EnvironmentPolicy.APPROVED_BY + " one of " + policy.approvers();
            Optional<Annotation> approval = record.latest(EnvironmentPolicy.APPROVED_BY);
            if (approval.isEmpty()) {
                rules.add(new PolicyResult.Rule(rule, false, "no " + EnvironmentPolicy.APPROVED_BY + " annotation"));
            } else {
                boolean met = policy.approvers().contains(approval.get().value());
                rules.add(new PolicyResult.Rule(rule, met, "approved by "
                        + approval.get().value() + (met ? "" : ", who is not an approver") + " at "
                        + approval.get().time()));
            }
        }
        return new PolicyResult(environment, record.image(), rules);
    }

    /** {@code 1h5m}, {@code 12m30s}, {@code 40s}. */
    static String text(Duration d) {
        long s = d.getSeconds();
        String out = (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? (s % 3600) / 60 + "m" : "")
                + (s % 60 != 0 || s == 0 ? s % 60 + "s" : "");
        return out;
    }

    private static String describe(Annotation a) {
        return a.key() + "=" + a.value() + " by " + a.writer() + " at " + a.time();
    }
}
