package io.jenkins.plugins.gitopsrelease.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.core.DurationText;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a build must show before it may enter an environment (platform-owned: {@code gitops-release.yaml} or the
 * Jenkins global configuration, never the Jenkinsfile).
 *
 * @param requiredAnnotations {@code KEY} (present, any value) or {@code KEY=VALUE} (latest value equals), e.g.
 *                            {@code deployed.staging}, {@code smoke=passed}
 * @param minimumSoak         how long the build must have been deployed in the previous environment (from its
 *                            {@code deployed.<previous>} annotation), e.g. {@code 30m}; null for none
 * @param allowedBranches     source branches (the build's {@code io.jenkins.gitops-release.branch} attribute) that
 *                            may enter; {@code *} matches within a path segment, {@code **} across; empty for any
 * @param approvers           who may approve (the latest {@code approved-by} annotation must name one); empty for no
 *                            approval
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record EnvironmentPolicy(List<String> requiredAnnotations, String minimumSoak, List<String> allowedBranches,
        List<String> approvers) implements Serializable {
    public static final String APPROVED_BY = "approved-by";

    public EnvironmentPolicy {
        requiredAnnotations = clean(requiredAnnotations);
        allowedBranches = clean(allowedBranches);
        approvers = clean(approvers);
        minimumSoak = minimumSoak == null || minimumSoak.isBlank() ? null : minimumSoak.trim();
        for (String r : requiredAnnotations) {
            Annotation.parsePair("policy requiredAnnotations", r);
        }
        if (minimumSoak != null) {
            DurationText.parse("policy minimumSoak", minimumSoak);
        }
    }

    public static EnvironmentPolicy none() {
        return new EnvironmentPolicy(null, null, null, null);
    }

    public boolean isEmpty() {
        return requiredAnnotations.isEmpty() && minimumSoak == null && allowedBranches.isEmpty() && approvers.isEmpty();
    }

    public Duration soak() {
        return minimumSoak == null ? Duration.ZERO : DurationText.parse("policy minimumSoak", minimumSoak);
    }

    /** Whether {@code branch} matches one of the allowed patterns. */
    public boolean branchAllowed(String branch) {
        if (allowedBranches.isEmpty()) {
            return true;
        }
        return branch != null && allowedBranches.stream().anyMatch(p -> glob(p).matcher(branch).matches());
    }

    static Pattern glob(String p) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static List<String> clean(List<String> in) {
        List<String> out = new ArrayList<>();
        if (in != null) {
            in.stream().filter(s -> s != null && !s.isBlank()).map(String::trim).forEach(out::add);
        }
        if (out.stream().anyMatch(s -> s.length() > 256)) {
            throw InvalidInputException.invalid("policy", out, "entries are at most 256 characters");
        }
        return List.copyOf(out);
    }
}
