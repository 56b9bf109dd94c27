package io.jenkins.plugins.gitopsrelease.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.release.ReleaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule met and unmet, on records built in memory (the registry side is tested in buildrecord). */
class PoliciesTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path tmp;

    static BuildRecord record(String branch, Annotation... annotations) {
        return new BuildRecord("reg/app@sha256:" + "a".repeat(64), "sha256:" + "a".repeat(64),
                branch == null ? Map.of() : Map.of("io.jenkins.gitops-release.branch", branch), List.of(annotations),
                "tag-schema", List.of());
    }

    static Annotation ann(String key, String value, String time) {
        return new Annotation(key, value, "ci", Instant.parse(time), null);
    }

    static final EnvironmentPolicy PROD = new EnvironmentPolicy(List.of("deployed.staging", "smoke=passed"), "30m",
            List.of("main", "release/*"), List.of("alice", "bob"));

    @Test
    void everyRuleMet() {
        BuildRecord r = record("release/1.2", ann("deployed.staging", "PT20S", "2026-03-01T11:00:00Z"),
                ann("smoke", "passed", "2026-03-01T11:05:00Z"), ann("approved-by", "alice", "2026-03-01T11:50:00Z"));
        PolicyResult p = Policies.evaluate(r, "production", PROD, "staging", NOW);
        assertThat(p.allowed()).isTrue();
        assertThat(p.rules()).hasSize(5).allMatch(PolicyResult.Rule::met);
    }

    @Test
    void everyRuleUnmetIsListed() {
        BuildRecord r = record("feature/x", ann("smoke", "failed", "2026-03-01T11:05:00Z"),
                ann("approved-by", "mallory", "2026-03-01T11:50:00Z"));
        PolicyResult p = Policies.evaluate(r, "production", PROD, "staging", NOW);
        assertThat(p.allowed()).isFalse();
        assertThat(p.unmet()).hasSize(5);
        assertThat(p.refusal()).contains("5 rules unmet").contains("1) deployed.staging — no annotation deployed.staging")
                .contains("smoke=passed — latest is smoke=failed").contains("never deployed in staging")
                .contains("built from feature/x").contains("mallory, who is not an approver");
    }

    @Test
    void theLatestValueCountsAndSoakCountsFromTheLatestDeployment() {
        BuildRecord r = record("main", ann("deployed.staging", "PT1S", "2026-03-01T10:00:00Z"),
                ann("smoke", "passed", "2026-03-01T10:05:00Z"), ann("smoke", "failed", "2026-03-01T10:10:00Z"),
                ann("deployed.staging", "PT1S", "2026-03-01T11:45:00Z"), ann("approved-by", "bob", "2026-03-01T11:50:00Z"));
        PolicyResult p = Policies.evaluate(r, "production", PROD, "staging", NOW);
        assertThat(p.unmet()).extracting(PolicyResult.Rule::rule).containsExactly("smoke=passed", "soak 30m in staging");
        assertThat(p.unmet().get(1).detail()).contains("15m ago").contains("15m to go");
    }

    @Test
    void soakWithoutAPreviousEnvironmentAndBranchWithoutTheAttributeAreUnmet() {
        EnvironmentPolicy pol = new EnvironmentPolicy(null, "10m", List.of("main"), null);
        PolicyResult p = Policies.evaluate(record(null), "development", pol, null, NOW);
        assertThat(p.unmet()).extracting(PolicyResult.Rule::detail).containsExactly(
                "development has no previous environment in the settings to soak in",
                "the build has no io.jenkins.gitops-release.branch attribute");
    }

    @Test
    void anEmptyPolicyAllowsEverything() {
        assertThat(Policies.evaluate(record(null), "dev", EnvironmentPolicy.none(), null, NOW).allowed()).isTrue();
        assertThat(EnvironmentPolicy.none().isEmpty()).isTrue();
    }

    @Test
    void branchGlobs() {
        EnvironmentPolicy p = new EnvironmentPolicy(null, null, List.of("main", "release/*", "hotfix/**"), null);
        assertThat(p.branchAllowed("main")).isTrue();
        assertThat(p.branchAllowed("release/1.0")).isTrue();
        assertThat(p.branchAllowed("release/1.0/x")).isFalse();
        assertThat(p.branchAllowed("hotfix/a/b")).isTrue();
        assertThat(p.branchAllowed("mainline")).isFalse();
        assertThat(p.branchAllowed(null)).isFalse();
    }

    @Test
    void policiesReadFromGitopsReleaseYaml() throws Exception {
        Path f = tmp.resolve("gitops-release.yaml");
        Files.writeString(f, """
                environments:
                  - name: staging
                    policy:
                      requiredAnnotations: [deployed.development]
                  - name: production
                    policy:
                      requiredAnnotations: [deployed.staging, smoke=passed]
                      minimumSoak: 30m
                      allowedBranches: [main]
                      approvers: [alice]
                """);
        ReleaseSettings s = ReleaseSettings.load(f);
        assertThat(s.environment("production").orElseThrow().policy()).isEqualTo(new EnvironmentPolicy(
                List.of("deployed.staging", "smoke=passed"), "30m", List.of("main"), List.of("alice")));
        assertThat(s.previous("production").orElseThrow().name()).isEqualTo("staging");
        assertThat(s.previous("staging")).isEmpty();

        Files.writeString(f, "environments:\n  - name: prod\n    policy:\n      minimumSoke: 30m\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("minimumSoke");
        Files.writeString(f, "environments:\n  - name: prod\n    policy:\n      minimumSoak: soon\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("soon");
        Files.writeString(f, "environments:\n  - name: prod\n    policy:\n      requiredAnnotations: ['Smoke Test']\n");
        assertThatThrownBy(() -> ReleaseSettings.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Smoke Test");
    }

    /** Generated: any set of required annotations, all present with the wanted value, is met; drop one, unmet. */
    @Property(tries = 200)
    void requiredAnnotationsProperty(@ForAll List<@AlphaChars @StringLength(min = 1, max = 12) String> raw) {
        List<String> keys = raw.stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
        List<String> specs = new ArrayList<>();
        List<Annotation> all = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            specs.add(i % 2 == 0 ? keys.get(i) : keys.get(i) + "=v" + i);
            all.add(ann(keys.get(i), "v" + i, "2026-01-01T00:00:00Z"));
        }
        EnvironmentPolicy pol = new EnvironmentPolicy(specs, null, null, null);
        assertThat(Policies.evaluate(record(null, all.toArray(Annotation[]::new)), "e", pol, null, NOW).allowed()).isTrue();
        if (!all.isEmpty()) {
            List<Annotation> fewer = all.subList(1, all.size());
            PolicyResult p = Policies.evaluate(record(null, fewer.toArray(Annotation[]::new)), "e", pol, null, NOW);
            assertThat(p.unmet()).extracting(PolicyResult.Rule::rule).containsExactly(specs.get(0));
        }
    }
}
