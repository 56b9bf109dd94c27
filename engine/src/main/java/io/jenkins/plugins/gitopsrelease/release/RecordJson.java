package io.jenkins.plugins.gitopsrelease.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.policy.PolicyResult;

/**
 * Build records and policy results as JSON text: how they travel back from an agent inside a {@link StepResult}
 * (plain strings, nothing for the remoting class filter to admit) and how a run keeps them (build.xml: XStream
 * cannot rebuild records). Instants are ISO-8601 strings.
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(ParseLimits.jsonFactory())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private RecordJson() {
    }

    public static String toJson(BuildRecord r) {
        return write(r);
    }

    public static String toJson(PolicyResult p) {
        return write(p);
    }

    /** {@code source} names the input in errors (e.g. "build.xml"). */
    public static BuildRecord record(String json, String source) {
        return read(json, BuildRecord.class, source);
    }

    public static PolicyResult policy(String json, String source) {
        return read(json, PolicyResult.class, source);
    }

    private static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type, String source) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidInputException(source + ": not a " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }
}
