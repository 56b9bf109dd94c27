package io.jenkins.plugins.gitopsrelease.policy;

import java.io.Serializable;
import java.util.List;

/** The evaluation of one environment's policy for one build: every rule, met or not, with why. */
public record PolicyResult(String environment, String image, List<Rule> rules) implements Serializable {

    /** One rule: what it asks ({@code smoke=passed}, {@code soak 30m in staging}) and what the record shows. */
    public record Rule(String rule, boolean met, String detail) implements Serializable {
    }

    public PolicyResult {
        rules = List.copyOf(rules);
    }

    public boolean allowed() {
        return rules.stream().allMatch(Rule::met);
    }

    public List<Rule> unmet() {
        return rules.stream().filter(r -> !r.met()).toList();
    }

    /** One line listing each unmet rule, for the refusal. */
    public String refusal() {
        List<Rule> u = unmet();
        StringBuilder sb = new StringBuilder("policy of environment '" + environment + "' refuses " + image + ": "
                + u.size() + " rule" + (u.size() == 1 ? "" : "s") + " unmet: ");
        for (int i = 0; i < u.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(u.get(i).rule()).append(" — ")
                    .append(u.get(i).detail());
        }
        return sb.append(" (see: gitops-release policy check)").toString();
    }
}
