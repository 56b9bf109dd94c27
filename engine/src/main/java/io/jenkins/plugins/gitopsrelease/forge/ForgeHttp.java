package io.jenkins.plugins.gitopsrelease.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * JSON over java.net.http for the forges without a kept Java library. Rate limits (429, or 403 with Retry-After or
 * an exhausted X-RateLimit-Remaining) are waited out when the forge says for how long and it is within the bound;
 * every other error becomes a {@link ForgeApiException} naming forge, call and status. The token is added per
 * request from a supplier and never appears in a message.
 */
public final class ForgeHttp {
    static final ObjectMapper JSON = io.jenkins.plugins.gitopsrelease.core.ParseLimits.json();

    private final String forge;
    private final String baseUrl;
    private final Supplier<Map<String, String>> authHeaders;
    private final ForgeSettings.Limits limits;
    private final HttpClient client;

    public ForgeHttp(String forge, String baseUrl, Supplier<Map<String, String>> authHeaders,
            ForgeSettings.Limits limits) {
        this.forge = forge;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authHeaders = authHeaders;
        this.limits = limits;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    /** Sends and returns the parsed body (an empty object for an empty body). */
    public JsonNode send(String method, String path, Object body) {
        String url = path.startsWith("http") ? path : baseUrl + path;
        String call = method + " " + stripQuery(path);
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> res;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("Accept", "application/json").header("User-Agent", "gitops-release");
                authHeaders.get().forEach(b::header);
                if (body != null) {
                    b.header("Content-Type", "application/json");
                    b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                } else {
                    b.method(method, HttpRequest.BodyPublishers.noBody());
                }
                res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new OperationFailedException(forge + " API " + call + " failed: " + e.getMessage()
                        + " (is the forge URL " + baseUrl + " right and reachable?)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted calling " + forge + " API " + call, e);
            } catch (IllegalArgumentException e) {
                // The HTTP client refused the URL or a header before sending (its message may quote the token).
                throw new io.jenkins.plugins.gitopsrelease.core.InvalidInputException(forge + " API " + call
                        + ": the request cannot be built (" + io.jenkins.plugins.gitopsrelease.core.Failures.describe(e)
                        + "): check the forge URL and that the token holds no control characters", e);
            }
            int status = res.statusCode();
            if (status >= 200 && status < 300) {
                return parse(res.body(), call);
            }
            Optional<Duration> wait = rateLimitWait(res);
            if (wait.isPresent()) {
                Duration w = wait.get();
                if (attempt >= limits.maxRetries() || waited.plus(w).compareTo(limits.maxRateLimitWait()) > 0) {
                    throw rateLimited(forge, call, status, w, limits);
                }
                limits.sleeper().sleep(w);
                waited = waited.plus(w);
                continue;
            }
            throw error(forge, call, status, res.body(), authHeaders.get().values());
        }
    }

    static ForgeApiException rateLimited(String forge, String call, int status, Duration wait,
            ForgeSettings.Limits limits) {
        return new ForgeApiException(forge + " API rate limit hit on " + call + " (HTTP " + status
                + "); the forge asks to wait " + wait.toSeconds() + "s, beyond the limit of "
                + limits.maxRateLimitWait().toSeconds() + "s: retry later or use a token with a higher rate limit",
                status);
    }

    static ForgeApiException error(String forge, String call, int status, String body,
            java.util.Collection<String> secrets) {
        String detail = excerpt(body);
        for (String v : secrets) {
            // Defence in depth: forges do not echo tokens, but a proxy's error page might.
            String token = v.contains(" ") ? v.substring(v.indexOf(' ') + 1) : v;
            if (token.length() >= 4) {
                detail = detail.replace(token, "****");
            }
        }
        if (status == 401) {
            return new ForgeApiException(forge + " API rejected the token for " + call + " (HTTP 401): check the"
                    + " token (--token-env or --token-file) and that it has not expired", status);
        }
        if (status >= 500) {
            return new ForgeApiException(forge + " API server error on " + call + ": HTTP " + status
                    + (detail.isEmpty() ? "" : ": " + detail) + " (the forge failed; retry later)", status);
        }
        String hint = status == 403 ? " (the token lacks permission for this repository)"
                : status == 404 ? " (check the repository and the forge URL, and that the token can see it)" : "";
        return new ForgeApiException(forge + " API refused " + call + ": HTTP " + status
                + (detail.isEmpty() ? "" : ": " + detail) + hint, status);
    }

    /** How long the forge asks us to wait, if this is a rate-limit answer. */
    static Optional<Duration> rateLimitWait(HttpResponse<?> res) {
        return rateLimitWait(res.statusCode(), name -> res.headers().firstValue(name));
    }

    /** As above, for clients that expose a status and a header lookup rather than an {@link HttpResponse}. */
    static Optional<Duration> rateLimitWait(int status, Function<String, Optional<String>> header) {
        if (status != 429 && status != 403) {
            return Optional.empty();
        }
        Optional<String> retryAfter = header.apply("Retry-After");
        if (retryAfter.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.get().trim()))));
            } catch (NumberFormatException e) {
                try {
                    Instant at = java.time.ZonedDateTime.parse(retryAfter.get().trim(),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(Duration.between(Instant.now(), at).isNegative() ? Duration.ZERO
                            : Duration.between(Instant.now(), at));
                } catch (RuntimeException ignored) {
                    return Optional.of(Duration.ofSeconds(1));
                }
            }
        }
        boolean exhausted = header.apply("X-RateLimit-Remaining").map(String::trim).filter("0"::equals)
                .isPresent();
        if (exhausted) {
            Optional<String> reset = header.apply("X-RateLimit-Reset");
            long seconds = reset.map(r -> {
                try {
                    return Long.parseLong(r.trim()) - Instant.now().getEpochSecond();
                } catch (NumberFormatException e) {
                    return 60L;
                }
            }).orElse(60L);
            return Optional.of(Duration.ofSeconds(Math.max(1, seconds)));
        }
        return status == 429 ? Optional.of(Duration.ofSeconds(1)) : Optional.empty();
    }

    private JsonNode parse(String body, String call) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new OperationFailedException(forge + " API " + call + " returned a body that is not JSON ("
                    + io.jenkins.plugins.gitopsrelease.core.ParseLimits.describe(e) + "): " + excerpt(body)
                    + ": is the forge URL the API endpoint?");
        }
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        try {
            JsonNode n = JSON.readTree(b);
            for (String field : new String[] {"message", "error", "errors"}) {
                JsonNode m = n.path(field);
                if (!m.isMissingNode() && !m.isNull()) {
                    b = m.isTextual() ? m.asText() : m.toString();
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the text
        }
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String forge() {
        return forge;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
