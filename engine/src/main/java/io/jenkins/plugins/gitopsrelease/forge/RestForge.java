package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Map;

/** Shared plumbing of the forges spoken to over plain REST. */
abstract class RestForge implements Forge {
    protected final ForgeSettings settings;
    protected final ForgeHttp http;

    RestForge(ForgeSettings settings, String apiBase) {
        this.settings = settings;
        this.http = new ForgeHttp(settings.kind().title(), apiBase, this::authHeaders, settings.limits());
    }

    /** Bearer by default; Basic with the user name when one is given (Bitbucket app passwords). */
    protected Map<String, String> authHeaders() {
        if (settings.username() != null && !settings.username().isBlank()) {
            String basic = Base64.getEncoder().encodeToString((settings.username() + ":" + settings.token().reveal())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Map.of("Authorization", "Basic " + basic);
        }
        return Map.of("Authorization", "Bearer " + settings.token().reveal());
    }

    @Override
    public String name() {
        return settings.kind().title();
    }

    protected static String text(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            cur = cur.path(p);
        }
        return cur.isMissingNode() || cur.isNull() ? null : cur.asText();
    }

    protected static String enc(String s) {
        return ForgeHttp.enc(s);
    }
}
