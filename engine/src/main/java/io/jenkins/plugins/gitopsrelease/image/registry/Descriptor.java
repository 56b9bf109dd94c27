package io.jenkins.plugins.gitopsrelease.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest says about a blob or a child manifest. {@code platform} is
 * {@code os/arch[/variant]} for index entries, else null.
 */
public record Descriptor(String mediaType, String digest, long size, String artifactType, String platform,
        Map<String, String> annotations) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    static Descriptor of(JsonNode n) {
        Map<String, String> ann = new LinkedHashMap<>();
        n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
        JsonNode p = n.path("platform");
        String platform = p.isObject()
                ? p.path("os").asText("") + "/" + p.path("architecture").asText("")
                        + (p.hasNonNull("variant") ? "/" + p.path("variant").asText() : "")
                : null;
        return new Descriptor(n.path("mediaType").asText(null), n.path("digest").asText(null), n.path("size").asLong(-1),
                n.path("artifactType").asText(null), platform, ann);
    }
}
