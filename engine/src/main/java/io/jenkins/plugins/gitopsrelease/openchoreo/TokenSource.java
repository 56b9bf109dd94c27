package io.jenkins.plugins.gitopsrelease.openchoreo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bearer tokens for the API. A fixed token is used as given. Client credentials: the token endpoint comes from the
 * API's RFC 9728 metadata ({@code authorization_servers[0]}) and that server's OpenID Connect discovery document
 * (falling back to RFC 8414 {@code oauth-authorization-server}), as occ discovers it; the token is cached until 30 s
 * before {@code expires_in} runs out and fetched again when the API rejects it.
 */
final class TokenSource {
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final OpenChoreoAuth auth;
    private final String apiBase;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final io.jenkins.plugins.gitopsrelease.core.PlainHttpProbe probe;
    private URI tokenEndpoint;
    private String token;
    private Instant expires;
    private int fetched;

    TokenSource(OpenChoreoAuth auth, String apiBase, HttpClient http, Duration timeout, Clock clock,
            io.jenkins.plugins.gitopsrelease.core.PlainHttpProbe probe) {
        this.auth = auth;
        this.probe = probe;
        this.apiBase = apiBase;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
        if (auth instanceof OpenChoreoAuth.ClientCredentials cc) {
            this.tokenEndpoint = cc.tokenEndpoint();
        }
    }

    boolean canRefresh() {
        return auth instanceof OpenChoreoAuth.ClientCredentials;
    }

    synchronized String bearer() {
        if (auth instanceof OpenChoreoAuth.Token t) {
            return t.token().reveal();
        }
        if (token == null || (expires != null && !clock.instant().isBefore(expires.minus(SKEW)))) {
            fetch();
        }
        return token;
    }

    /** Forgets {@code used} if it is still the cached token (another thread may have refreshed it already). */
    synchronized void invalidate(String used) {
        if (used != null && used.equals(token)) {
            token = null;
        }
    }

    /** How many tokens were fetched (tests check that tokens are cached). */
    synchronized int fetched() {
        return fetched;
    }

    String fixFor401() {
        return auth instanceof OpenChoreoAuth.Token
                ? "check the token (--token-env/--token-file; Jenkins: the secret text credential) and that it has"
                        + " not expired"
                : "a freshly issued token was rejected too: check that the API trusts the authorization server that"
                        + " issued it, and the client's audience and scopes";
    }

    /** Removes every secret this source knows from {@code text}. */
    String redact(String text) {
        String out = text;
        List<String> secrets = new ArrayList<>();
        if (auth instanceof OpenChoreoAuth.Token t) {
            secrets.add(t.token().reveal());
        } else if (auth instanceof OpenChoreoAuth.ClientCredentials cc) {
            secrets.add(cc.clientSecret().reveal());
            synchronized (this) {
                if (token != null) {
                    secrets.add(token);
                }
            }
        }
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    private void fetch() {
        OpenChoreoAuth.ClientCredentials cc = (OpenChoreoAuth.ClientCredentials) auth;
        if (tokenEndpoint == null) {
            tokenEndpoint = discover();
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials&client_id=")
                .append(form(cc.clientId())).append("&client_secret=").append(form(cc.clientSecret().reveal()));
        if (cc.scope() != null && !cc.scope().isBlank()) {
            form.append("&scope=").append(form(cc.scope()));
        }
        HttpResponse<String> res = call(HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())), "POST " + tokenEndpoint);
        if (res.statusCode() != 200) {
            String err = "";
            try {
                JsonNode n = OpenChoreoApi.JSON.readTree(res.body());
                err = n.path("error").asText("");
                if (!n.path("error_description").asText("").isEmpty()) {
                    err += " (" + n.path("error_description").asText() + ")";
                }
            } catch (IOException | RuntimeException ignored) {
                // not the RFC 6749 error shape
            }
            err = redact(err);
            String fix = res.statusCode() == 400 || res.statusCode() == 401
                    ? ": check the client id \"" + cc.clientId() + "\" and its secret, and that the client may use the"
                            + " client_credentials grant"
                    : ": the authorization server failed; retry later";
            throw new OpenChoreoApiException("the authorization server " + tokenEndpoint + " refused the client"
                    + " credentials (HTTP " + res.statusCode() + (err.isEmpty() ? "" : " " + err) + ")" + fix,
                    res.statusCode());
        }
        JsonNode n;
        try {
            n = OpenChoreoApi.JSON.readTree(res.body());
        } catch (IOException e) {
            throw new OpenChoreoApiException("the token endpoint " + tokenEndpoint + " answered with a body that is"
                    + " not JSON: check the token URL", 0);
        }
        String t = n.path("access_token").asText("");
        if (t.isEmpty()) {
            throw new OpenChoreoApiException("the token endpoint " + tokenEndpoint + " answered without an"
                    + " access_token: check the token URL", 0);
        }
        if (!OpenChoreoAuth.headerSafe(t)) {
            throw new OpenChoreoApiException("the token endpoint " + tokenEndpoint + " issued an access_token an HTTP"
                    + " header cannot carry (a space, control or non-ASCII character; the value is not shown): check"
                    + " the token URL and the authorization server", 0);
        }
        // capped: a crafted lifetime would overflow the clock (a token is refreshed on 401 anyway)
        long expiresIn = Math.min(n.path("expires_in").asLong(0), Duration.ofDays(366).toSeconds());
        token = t;
        expires = expiresIn > 0 ? clock.instant().plusSeconds(expiresIn) : null;
        fetched++;
    }

    /** RFC 9728 metadata → authorization server → its discovery document → token_endpoint. */
    private URI discover() {
        String metaUrl = apiBase + "/.well-known/oauth-protected-resource";
        HttpResponse<String> res = call(HttpRequest.newBuilder(URI.create(metaUrl)).header("Accept",
                "application/json").GET(), "GET " + metaUrl);
        if (res.statusCode() != 200) {
            throw new OpenChoreoApiException("cannot discover the authorization server: GET " + metaUrl
                    + " answered HTTP " + res.statusCode() + ": check --server, or give --token-url", res.statusCode());
        }
        String issuer;
        try {
            JsonNode servers = OpenChoreoApi.JSON.readTree(res.body()).path("authorization_servers");
            issuer = servers.isArray() && servers.size() > 0 ? servers.get(0).asText("") : "";
        } catch (IOException e) {
            issuer = "";
        }
        if (issuer.isEmpty()) {
            throw new OpenChoreoApiException("the API's RFC 9728 metadata (" + metaUrl + ") names no"
                    + " authorization_servers: give --token-url", 0);
        }
        String root = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        for (String doc : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            URI u;
            try {
                u = URI.create(root + doc);
            } catch (IllegalArgumentException e) {
                throw new OpenChoreoApiException("the authorization server named by " + metaUrl + " is not a URL: "
                        + issuer, 0);
            }
            HttpResponse<String> d = call(HttpRequest.newBuilder(u).header("Accept", "application/json").GET(),
                    "GET " + u);
            if (d.statusCode() == 200) {
                try {
                    String te = OpenChoreoApi.JSON.readTree(d.body()).path("token_endpoint").asText("");
                    if (!te.isEmpty()) {
                        URI t = URI.create(te);
                        if (!("https".equals(t.getScheme()) || "http".equals(t.getScheme())) || t.getHost() == null) {
                            throw new OpenChoreoApiException("the authorization server " + issuer + " names a"
                                    + " token_endpoint that is not an absolute http(s) URL ("
                                    + io.jenkins.plugins.gitopsrelease.core.Failures.printable(te) + "): give"
                                    + " --token-url", 0);
                        }
                        return t;
                    }
                } catch (IOException | IllegalArgumentException ignored) {
                    // try the next document
                }
            }
        }
        throw new OpenChoreoApiException("the authorization server " + issuer + " publishes no token_endpoint (neither"
                + " openid-configuration nor oauth-authorization-server metadata): give --token-url", 0);
    }

    private HttpResponse<String> call(HttpRequest.Builder b, String what) {
        try {
            HttpRequest request = b.timeout(timeout).header("User-Agent", "gitops-release").build();
            // discovery on the API's own host: a plain-HTTP server given as https:// is told apart at once
            return probe.covers(request.uri()) ? probe.race(http, request, HttpResponse.BodyHandlers.ofString(),
                    () -> new io.jenkins.plugins.gitopsrelease.core.InvalidInputException("--server " + apiBase
                            + " answered plain HTTP to a TLS request: give its http:// URL if it has no TLS"))
                    : http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            // the JDK client refuses a URI it cannot send (a scheme other than http(s), no host)
            throw new OpenChoreoApiException(what + " cannot be sent: "
                    + io.jenkins.plugins.gitopsrelease.core.Failures.describe(e) + " (check --server, or give"
                    + " --token-url)", 0, e);
        } catch (HttpTimeoutException e) {
            throw new OpenChoreoApiException(what + " did not answer within " + timeout.toSeconds() + "s: the"
                    + " authorization server is slow or unreachable", 0, e);
        } catch (IOException e) {
            throw new OpenChoreoApiException(what + " failed: " + e.getClass().getSimpleName() + " (is the server"
                    + " reachable?)", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenChoreoApiException("interrupted: " + what, 0, e);
        }
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
