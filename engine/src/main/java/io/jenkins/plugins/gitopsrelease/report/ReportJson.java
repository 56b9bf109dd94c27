package io.jenkins.plugins.gitopsrelease.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.gitopsrelease.core.AtomicFiles;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The report as JSON (schema version 1): instants are ISO-8601 UTC strings ({@code "2025-03-01T10:00:00Z"}),
 * durations are whole milliseconds in fields named {@code ...Ms}, absent values are left out, lists are always
 * present. Readers ignore fields they do not know, so later versions may add fields without a version bump.
 */
public final class ReportJson {
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder(io.jenkins.plugins.gitopsrelease.core.ParseLimits
                    .jsonFactory())
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("durations-as-millis")
                    .addSerializer(Duration.class, new MillisSerializer())
                    .addDeserializer(Duration.class, new MillisDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ReportJson() {
    }

    public static String toJson(ReleaseReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.setAll((ObjectNode) MAPPER.valueToTree(report));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    /** Parses a report; {@code source} names the input in error messages (a file name, "stdin"...). */
    public static ReleaseReport parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source + ": not a release report: expected a JSON object");
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.canConvertToExactIntegral() || version.asInt() != SCHEMA_VERSION) {
            throw InvalidInputException.invalid(source + ": schemaVersion", version,
                    "this version reads release reports with schemaVersion " + SCHEMA_VERSION);
        }
        ((ObjectNode) root).remove("schemaVersion");
        try {
            return MAPPER.treeToValue(root, ReleaseReport.class);
        } catch (JsonProcessingException e) {
            // The records validate in their constructors; show that message, not Jackson's wrapper.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof GitOpsReleaseException g) {
                    throw new InvalidInputException(source + ": " + g.getMessage(), e);
                }
            }
            throw new InvalidInputException(source + ": not a valid release report: " + e.getOriginalMessage(), e);
        }
    }

    public static ReleaseReport read(Path file) {
        String json;
        try {
            json = AtomicFiles.readString(file);
        } catch (UncheckedIOException e) {
            throw new InvalidInputException("cannot read release report " + file + ": " + e.getCause()
                    + ": give the path of a JSON report written by --report", e);
        }
        return parse(json, file.toString());
    }

    /** Writes atomically: a reader sees the previous report or this one, never a partial file. */
    public static void write(ReleaseReport report, Path file) {
        AtomicFiles.writeString(file, toJson(report));
    }

    private static final class MillisSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(value.toMillis());
        }
    }

    private static final class MillisDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            return Duration.ofMillis(p.getLongValue());
        }
    }
}
