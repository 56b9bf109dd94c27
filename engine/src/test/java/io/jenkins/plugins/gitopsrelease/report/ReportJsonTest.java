package io.jenkins.plugins.gitopsrelease.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportJsonTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsRealisticFailedAndHostileReports() {
        for (ReleaseReport r : new ReleaseReport[] {SampleReports.realistic(), SampleReports.failed(),
                SampleReports.hostile()}) {
            String json = ReportJson.toJson(r);
            assertThat(ReportJson.parse(json, "test")).isEqualTo(r);
        }
    }

    @Test
    void roundTripsAMinimalReport() {
        ReleaseReport r = ReleaseReport.builder().setComponent("c").setProject("p")
                .setStartedAt(SampleReports.STARTED).build();
        ReleaseReport back = ReportJson.parse(ReportJson.toJson(r), "test");
        assertThat(back).isEqualTo(r);
        assertThat(back.image()).isNull();
        assertThat(back.stages()).isEmpty();
    }

    @Test
    void usesIsoInstantsAndMillisecondDurations() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportJson.toJson(SampleReports.realistic()));
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("startedAt").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(json.get("finishedAt").asText()).isEqualTo("2025-03-01T10:01:06.870Z");
        assertThat(json.get("stages").get(0).get("durationMs").asLong()).isEqualTo(12_400);
        assertThat(json.get("stages").get(0).get("outcome").asText()).isEqualTo("OK");
        assertThat(json.get("environments").get(0).get("timeToReadyMs").asLong()).isEqualTo(41_250);
        assertThat(json.get("environments").get(2).has("timeToReadyMs")).isFalse();
        assertThat(json.get("image").get("digest").asText()).isEqualTo(SampleReports.DIGEST);
        assertThat(json.get("pullRequest").get("number").asInt()).isEqualTo(42);
        assertThat(json.get("filesChanged").get(1).get("change").asText()).isEqualTo("CREATED");
        assertThat(json.get("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(json.get("errors").isArray()).isTrue();
        assertThat(json.has("totalDuration")).isFalse();
    }

    @Test
    void durationsKeepMillisecondPrecision() {
        ReleaseReport r = ReleaseReport.builder().setComponent("c").setProject("p").setStartedAt(SampleReports.STARTED)
                .addStage("build", Duration.ofNanos(1_234_567_890), ReleaseReport.StageOutcome.OK).build();
        assertThat(ReportJson.parse(ReportJson.toJson(r), "t").stages().get(0).duration())
                .isEqualTo(Duration.ofMillis(1_234));
    }

    @Test
    void ignoresUnknownFieldsFromNewerWriters() {
        String json = ReportJson.toJson(SampleReports.realistic()).replaceFirst("\\{", "{\"addedLater\": [1, 2],");
        assertThat(ReportJson.parse(json, "t")).isEqualTo(SampleReports.realistic());
    }

    @Test
    void invalidContentGivesTheModelsMessageWithTheSource() {
        String json = ReportJson.toJson(SampleReports.realistic()).replace("\"component\" : \"checkout-service\"",
                "\"component\" : \"\"");
        assertThatThrownBy(() -> ReportJson.parse(json, "r.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("r.json: component: missing: give the component name");
        String badDigest = ReportJson.toJson(SampleReports.realistic()).replace(SampleReports.DIGEST, "sha256:zz");
        assertThatThrownBy(() -> ReportJson.parse(badDigest, "r.json"))
                .hasMessageStartingWith("r.json: image.digest: invalid value 'sha256:zz'");
    }

    @Test
    void refusesOtherSchemaVersionsAndNonReports() {
        String v2 = ReportJson.toJson(SampleReports.realistic()).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2");
        assertThatThrownBy(() -> ReportJson.parse(v2, "r.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("r.json: schemaVersion: invalid value '2'");
        assertThatThrownBy(() -> ReportJson.parse("[1]", "r.json")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> ReportJson.parse("{\"schemaVersion\": 1, ", "r.json"))
                .hasMessageStartingWith("r.json: not valid JSON");
        assertThatThrownBy(() -> ReportJson.parse("{\"schemaVersion\": 1, \"component\": \"c\", \"project\": \"p\","
                + " \"startedAt\": \"yesterday\"}", "r.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("r.json: not a valid release report");
    }

    @Test
    void writesAtomicallyAndReadsBack() throws Exception {
        Path file = dir.resolve("out/report.json");
        ReportJson.write(SampleReports.failed(), file);
        ReportJson.write(SampleReports.realistic(), file);
        assertThat(ReportJson.read(file)).isEqualTo(SampleReports.realistic());
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("report.json");
        }
    }

    @Test
    void readingAMissingFileIsAClearError() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ReportJson.read(missing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cannot read release report " + missing);
    }
}
