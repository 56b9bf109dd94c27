package io.jenkins.plugins.gitopsrelease.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.policy.PolicyRefusedException;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;
import io.jenkins.plugins.gitopsrelease.report.ReleaseReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Records and policy results survive the trip as JSON text (agent → controller → build.xml) unchanged. */
class RecordJsonTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    static BuildRecord record(String value) {
        return new BuildRecord("reg.example/shop@sha256:" + "a".repeat(64), "sha256:" + "a".repeat(64),
                Map.of("org.opencontainers.image.revision", "abc", "io.jenkins.gitops-release.branch", "main"),
                List.of(new Annotation("deployed.staging", "PT42S", "watchDeployment (shop #9)", T,
                        "https://ci.example/job/shop/9/"), new Annotation("smoke", value, "qa", T.plusSeconds(60), null)),
                "tag-schema", List.of("tag sha256-x.gra.y (forged)"));
    }

    @Test
    void recordAndPolicyRoundTrip() {
        BuildRecord r = record("<script>alert(1)</script>");
        assertThat(RecordJson.record(RecordJson.toJson(r), "test")).isEqualTo(r);
        PolicyResult p = new PolicyResult("production", r.image(), List.of(new PolicyResult.Rule("smoke=passed", false,
                "latest is smoke=failed"), new PolicyResult.Rule("deployed.staging", true, "deployed")));
        PolicyResult back = RecordJson.policy(RecordJson.toJson(p), "test");
        assertThat(back).isEqualTo(p);
        assertThat(back.allowed()).isFalse();
    }

    @Property(tries = 200)
    void anyAnnotationValueRoundTrips(@ForAll @StringLength(max = 1024) String value) {
        BuildRecord r = record(value);
        assertThat(RecordJson.record(RecordJson.toJson(r), "test")).isEqualTo(r);
    }

    @Test
    void garbageIsInvalidInputNamingTheSource() {
        assertThatThrownBy(() -> RecordJson.record("{\"annotations\":[{\"key\":\"Bad Key\"}]}", "build.xml"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("build.xml: not a BuildRecord");
        assertThatThrownBy(() -> RecordJson.policy("[", "build.xml")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aRefusedStepCarriesItsEvaluationAndAddsOnlyAFailedStage() {
        PolicyResult p = new PolicyResult("staging", "reg.example/shop@sha256:" + "a".repeat(64),
                List.of(new PolicyResult.Rule("smoke=passed", false, "no annotation smoke")));
        StepResult s = StepResult.refused(Verbs.GENERATE, new PolicyRefusedException(p, record("x")), p.refusal(),
                Duration.ofMillis(5));
        assertThat(s.failure()).contains("1 rule unmet").contains("smoke=passed");
        assertThat(s.values()).isEmpty();
        assertThat(s.policyJson()).extracting(j -> RecordJson.policy(j, "t")).containsExactly(p);
        ReleaseReport.Builder b = ReleaseReport.builder().setComponent("shop").setProject("p").setStartedAt(T)
                .setReleaseName("shop-1");
        s.contributeTo(b);
        ReleaseReport rep = b.setFinishedAt(T.plusSeconds(1)).build();
        assertThat(rep.releaseName()).isEqualTo("shop-1"); // not erased by the refused generate
        assertThat(rep.errors()).hasSize(1);
    }
}
