package io.jenkins.plugins.gitopsrelease.testinfra;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenChoreo control-plane API as a WireMock server on 127.0.0.1: an in-memory model of the objects the tool
 * reads and writes (components, projects, deployment pipelines, workloads, component releases, release bindings)
 * behaving like the OpenChoreo API server (POST 409 when the object exists, PUT 404 when it does not, PUT keeps the
 * labels the server owns, generate-release snapshots the Workload and sets the component's latestRelease), RFC 9728
 * metadata naming {@link #authServerUrl()}, and a stub authorization server (OIDC discovery + client_credentials
 * token endpoint) on a second port. <b>Every request and response of the API server is validated against
 * {@code openchoreo-api.yaml}</b> by Atlassian's swagger-request-validator; {@link #violations()} lists what broke
 * the document. Tests add higher-priority WireMock stubs to {@link #server()} for faults (403, 429, slow answers).
 */
public final class OpenChoreoApiStub implements AutoCloseable {
    public static final String CLIENT_ID = "jenkins-ci";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJ = Pattern.compile(
            "/api/v1/namespaces/([^/]+)/(workloads|componentreleases|releasebindings|components|projects|deploymentpipelines)"
                    + "(?:/([^/]+)(/generate-release)?)?");

    /** Parsing the 430 kB document takes seconds: once per JVM. */
    /** Off only for benchmarks that measure the tool apart from the validator ({@code -Dopenchoreo.stub.validate=false}). */
    static final boolean VALIDATE = !"false".equals(System.getProperty("openchoreo.stub.validate"));
    private static final Map<Path, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private final OpenApiInteractionValidator validator;
    private final WireMockServer api;
    private final WireMockServer auth;
    private final String clientSecret;
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Set<String> fixedTokens = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger validated = new AtomicInteger();
    private final AtomicInteger releaseCounter = new AtomicInteger();
    private volatile long tokenLifetimeSeconds = 3600;

    /** The OpenAPI document under ../shared, or the test is skipped (reported, with the reason). */
    public static Path specOrSkip() {
        Path p = Path.of("../../shared/fixtures/openchoreo-api/openchoreo-api.yaml").toAbsolutePath().normalize();
        String prop = System.getProperty("gitopsrelease.shared");
        if (prop != null) {
            p = Path.of(prop, "fixtures/openchoreo-api/openchoreo-api.yaml");
        }
        Assumptions.assumeTrue(Files.isRegularFile(p), "SKIPPED: the OpenChoreo OpenAPI document is absent (" + p
                + "): these tests validate against ../shared/fixtures/openchoreo-api/openchoreo-api.yaml");
        return p;
    }

    public OpenChoreoApiStub(Path spec, String clientSecret) {
        this.clientSecret = clientSecret;
        this.validator = VALIDATORS.computeIfAbsent(spec.toAbsolutePath().normalize(), p -> {
            try {
                return OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(p)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        api = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .extensions(new Crud(), new Validate()));
        api.start();
        api.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("openchoreo-crud")));
        auth = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(new Token()));
        auth.start();
        auth.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("oauth-token")));
    }

    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    public String authServerUrl() {
        return "http://127.0.0.1:" + auth.port() + "/oauth2";
    }

    public String tokenEndpoint() {
        return authServerUrl() + "/token";
    }

    /** The API server, for fault stubs (priority below 10 wins over the model) and request verification. */
    public WireMockServer server() {
        return api;
    }

    public WireMockServer authServer() {
        return auth;
    }

    /**
     * What the validator found wrong in requests and responses, one line each. The listener runs after each
     * response is sent, so this first waits until every request served so far has been validated.
     */
    public List<String> violations() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (validated.get() < api.getAllServeEvents().size() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (validated.get() < api.getAllServeEvents().size()) {
            return List.of("not every request was validated within 60 s");
        }
        return List.copyOf(violations);
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** A token the API accepts without the authorization server (a fixed bearer token). */
    public void acceptFixedToken(String token) {
        fixedTokens.add(token);
    }

    /** The API forgets every issued token (as after a key rotation): the next call gets 401. */
    public void revokeIssuedTokens() {
        tokens.clear();
    }

    public void tokenLifetime(long seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    // ---- the model ---------------------------------------------------------------------------------------------

    public void pipeline(String ns, String name, String... envs) {
        ObjectNode p = meta(ns, name);
        ArrayNode paths = p.putObject("spec").putArray("promotionPaths");
        for (int i = 0; i + 1 < envs.length; i++) {
            ObjectNode path = paths.addObject();
            path.putObject("sourceEnvironmentRef").put("name", envs[i]);
            path.putArray("targetEnvironmentRefs").addObject().put("name", envs[i + 1]);
        }
        store("deploymentpipelines", ns, p);
    }

    public void project(String ns, String name, String pipeline) {
        ObjectNode p = meta(ns, name);
        p.putObject("spec").putObject("deploymentPipelineRef").put("name", pipeline);
        store("projects", ns, p);
    }

    public void component(String ns, String project, String name) {
        ObjectNode c = meta(ns, name);
        ObjectNode spec = c.putObject("spec");
        spec.putObject("owner").put("projectName", project);
        spec.putObject("componentType").put("kind", "ComponentType").put("name", "deployment/service");
        store("components", ns, c);
    }

    /** Puts an object as the server holds it (tests seed existing Workloads and bindings with server fields). */
    public void store(String plural, String ns, ObjectNode o) {
        objects.put(key(plural, ns, o.path("metadata").path("name").asText()), o);
    }

    public Optional<ObjectNode> object(String plural, String ns, String name) {
        return Optional.ofNullable(objects.get(key(plural, ns, name))).map(ObjectNode::deepCopy);
    }

    public long count(String plural) {
        return objects.keySet().stream().filter(k -> k.startsWith(plural + "|")).count();
    }

    private static String key(String plural, String ns, String name) {
        return plural + "|" + ns + "|" + name;
    }

    private static ObjectNode meta(String ns, String name) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("metadata").put("name", name).put("namespace", ns);
        return o;
    }

    @Override
    public void close() {
        api.stop();
        auth.stop();
    }

    // ---- API behaviour -----------------------------------------------------------------------------------------

    private static ResponseDefinition json(int status, JsonNode body) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body.toString()).build();
    }

    public static ResponseDefinition error(int status, String code, String message) {
        ObjectNode e = JSON.createObjectNode().put("error", message).put("code", code);
        return json(status, e);
    }

    private final class Crud implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "openchoreo-crud";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                return handle(event.getRequest());
            } catch (IOException e) {
                return error(400, "BAD_REQUEST", "body is not JSON");
            }
        }

        private ResponseDefinition handle(LoggedRequest req) throws IOException {
            URI u = URI.create(req.getUrl());
            String path = u.getRawPath();
            Map<String, String> query = query(u.getRawQuery());
            String method = req.getMethod().getName();
            if (path.equals("/.well-known/oauth-protected-resource")) {
                ObjectNode m = JSON.createObjectNode();
                m.put("resource_name", "OpenChoreo API").put("resource", url());
                m.putArray("authorization_servers").add(authServerUrl());
                m.putArray("bearer_methods_supported").add("header");
                m.putArray("scopes_supported").add("openid");
                m.put("openchoreo_security_enabled", true);
                return json(200, m);
            }
            String authz = req.getHeader("Authorization");
            String token = authz != null && authz.startsWith("Bearer ") ? authz.substring(7) : null;
            boolean valid = token != null && (fixedTokens.contains(token)
                    || Optional.ofNullable(tokens.get(token)).filter(t -> t.isAfter(Instant.now())).isPresent());
            if (!valid) {
                return error(401, "UNAUTHORIZED", "Authentication required");
            }
            Matcher m = OBJ.matcher(path);
            if (!m.matches()) {
                return error(404, "NOT_FOUND", "no such path");
            }
            String ns = m.group(1);
            String plural = m.group(2);
            String name = m.group(3);
            synchronized (OpenChoreoApiStub.this) {
                if (m.group(4) != null) {
                    return generateRelease(ns, name, JSON.readTree(req.getBodyAsString()));
                }
                if (name == null && method.equals("GET")) {
                    return list(plural, ns, query);
                }
                if (name == null && method.equals("POST")) {
                    ObjectNode body = (ObjectNode) JSON.readTree(req.getBodyAsString());
                    String n = body.path("metadata").path("name").asText();
                    if (objects.containsKey(key(plural, ns, n))) {
                        return error(409, "CONFLICT", plural + " '" + n + "' already exists");
                    }
                    ObjectNode o = serverOwned(plural, ns, body, null);
                    objects.put(key(plural, ns, n), o);
                    return json(201, typed(plural, o));
                }
                ObjectNode existing = objects.get(key(plural, ns, name));
                if (method.equals("GET")) {
                    return existing == null ? error(404, "NOT_FOUND", plural + " '" + name + "' not found")
                            : json(200, typed(plural, existing));
                }
                if (method.equals("PUT")) {
                    if (existing == null) {
                        return error(404, "NOT_FOUND", plural + " '" + name + "' not found");
                    }
                    ObjectNode body = (ObjectNode) JSON.readTree(req.getBodyAsString());
                    ObjectNode o = serverOwned(plural, ns, body, existing);
                    objects.put(key(plural, ns, name), o);
                    return json(200, typed(plural, o));
                }
            }
            return error(400, "BAD_REQUEST", "unsupported " + method);
        }

        /** As the API server: spec, labels and annotations from the request; uid, timestamps, owner labels its own. */
        private ObjectNode serverOwned(String plural, String ns, ObjectNode body, ObjectNode existing) {
            ObjectNode o = existing == null ? JSON.createObjectNode() : existing.deepCopy();
            ObjectNode md = o.withObjectProperty("metadata");
            md.put("name", body.path("metadata").path("name").asText());
            md.put("namespace", ns);
            if (existing == null) {
                md.put("uid", UUID.randomUUID().toString());
                md.put("creationTimestamp", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
            }
            md.remove("labels");
            md.remove("annotations");
            if (body.path("metadata").has("labels")) {
                md.set("labels", body.path("metadata").get("labels"));
            }
            if (body.path("metadata").has("annotations")) {
                md.set("annotations", body.path("metadata").get("annotations"));
            }
            ObjectNode labels = md.withObjectProperty("labels");
            labels.put("openchoreo.dev/project", body.path("spec").path("owner").path("projectName").asText());
            labels.put("openchoreo.dev/component", body.path("spec").path("owner").path("componentName").asText());
            o.set("spec", body.path("spec"));
            return o;
        }

        private ObjectNode typed(String plural, ObjectNode o) {
            ObjectNode t = JSON.createObjectNode();
            t.put("apiVersion", "openchoreo.dev/v1alpha1");
            t.put("kind", switch (plural) {
                case "workloads" -> "Workload";
                case "releasebindings" -> "ReleaseBinding";
                case "componentreleases" -> "ComponentRelease";
                case "components" -> "Component";
                case "projects" -> "Project";
                default -> "DeploymentPipeline";
            });
            t.setAll(o);
            return t;
        }

        private ResponseDefinition list(String plural, String ns, Map<String, String> q) {
            String component = q.get("component");
            String project = q.get("project");
            List<ObjectNode> items = objects.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(plural + "|" + ns + "|"))
                    .map(Map.Entry::getValue)
                    .filter(o -> component == null
                            || component.equals(o.path("spec").path("owner").path("componentName").asText()))
                    .filter(o -> project == null
                            || project.equals(o.path("spec").path("owner").path("projectName").asText()))
                    .sorted(Comparator.comparing(o -> o.path("metadata").path("name").asText()))
                    .toList();
            int limit = Integer.parseInt(q.getOrDefault("limit", "20"));
            int from = Integer.parseInt(q.getOrDefault("cursor", "0"));
            ObjectNode res = JSON.createObjectNode();
            ArrayNode arr = res.putArray("items");
            items.subList(Math.min(from, items.size()), Math.min(from + limit, items.size()))
                    .forEach(o -> arr.add(typed(plural, o)));
            ObjectNode page = res.putObject("pagination");
            if (from + limit < items.size()) {
                page.put("nextCursor", String.valueOf(from + limit));
            }
            return json(200, res);
        }

        private ResponseDefinition generateRelease(String ns, String component, JsonNode body) {
            ObjectNode comp = objects.get(key("components", ns, component));
            if (comp == null) {
                return error(404, "NOT_FOUND", "Component not found");
            }
            Optional<ObjectNode> wl = objects.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("workloads|" + ns + "|")).map(Map.Entry::getValue)
                    .filter(w -> component.equals(w.path("spec").path("owner").path("componentName").asText()))
                    .findFirst();
            if (wl.isEmpty()) {
                return error(404, "NOT_FOUND", "Workload not found");
            }
            String project = comp.path("spec").path("owner").path("projectName").asText();
            String name = body.path("releaseName").asText("");
            if (name.isEmpty()) {
                name = component + "-" + Integer.toHexString(0x10000 + releaseCounter.incrementAndGet());
            }
            ObjectNode r = meta(ns, name);
            ObjectNode spec = r.putObject("spec");
            spec.putObject("owner").put("projectName", project).put("componentName", component);
            spec.putObject("componentType").put("name", comp.path("spec").path("componentType").path("name").asText());
            ObjectNode workload = wl.get().path("spec").deepCopy();
            workload.remove("owner");
            spec.set("workload", workload);
            objects.put(key("componentreleases", ns, name), r);
            comp.withObjectProperty("status").putObject("latestRelease").put("name", name);
            return json(201, typed("componentreleases", r));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    // ---- validation --------------------------------------------------------------------------------------------

    private final class Validate implements ServeEventListener {
        @Override
        public String getName() {
            return "openapi-validation";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            try {
                validate(event);
            } catch (RuntimeException | Error e) {
                // A validator that cannot run must not look like a clean pass.
                violations.add("validator failed on " + event.getRequest().getUrl() + ": " + e);
            } finally {
                validated.incrementAndGet();
            }
        }

        private void validate(ServeEvent event) {
            if (!VALIDATE) {
                return;
            }
            LoggedRequest r = event.getRequest();
            URI u = URI.create(r.getUrl());
            SimpleRequest.Builder rb = new SimpleRequest.Builder(r.getMethod().getName(), u.getRawPath());
            query(u.getRawQuery()).forEach(rb::withQueryParam);
            for (HttpHeader h : r.getHeaders().all()) {
                rb.withHeader(h.key(), h.values());
            }
            if (r.getBody() != null && r.getBody().length > 0) {
                rb.withBody(r.getBodyAsString());
            }
            Request request = rb.build();
            SimpleResponse.Builder sb = SimpleResponse.Builder.status(event.getResponse().getStatus());
            for (HttpHeader h : event.getResponse().getHeaders().all()) {
                sb.withHeader(h.key(), h.values());
            }
            String body = event.getResponse().getBodyAsString();
            if (body != null && !body.isEmpty()) {
                sb.withBody(body);
            }
            ValidationReport report = validator.validate(request, sb.build());
            for (ValidationReport.Message msg : report.getMessages()) {
                if (msg.getLevel() == ValidationReport.Level.ERROR) {
                    violations.add(r.getMethod().getName() + " " + u.getRawPath() + " -> "
                            + event.getResponse().getStatus() + ": " + msg.getKey() + ": " + msg.getMessage());
                }
            }
        }
    }

    // ---- the authorization server ------------------------------------------------------------------------------

    private final class Token implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "oauth-token";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest req = event.getRequest();
            String path = URI.create(req.getUrl()).getRawPath();
            if (path.equals("/oauth2/.well-known/openid-configuration")) {
                ObjectNode d = JSON.createObjectNode();
                d.put("issuer", authServerUrl());
                d.put("token_endpoint", tokenEndpoint());
                d.put("authorization_endpoint", authServerUrl() + "/authorize");
                return json(200, d);
            }
            if (path.equals("/oauth2/token") && req.getMethod().getName().equals("POST")) {
                Map<String, String> form = query(req.getBodyAsString());
                if (!"client_credentials".equals(form.get("grant_type"))) {
                    return json(400, JSON.createObjectNode().put("error", "unsupported_grant_type"));
                }
                if (!CLIENT_ID.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
                    return json(401, JSON.createObjectNode().put("error", "invalid_client")
                            .put("error_description", "Client authentication failed"));
                }
                String t = "at-" + tokensIssued.incrementAndGet() + "-" + UUID.randomUUID();
                tokens.put(t, Instant.now().plusSeconds(tokenLifetimeSeconds));
                return json(200, JSON.createObjectNode().put("access_token", t).put("token_type", "Bearer")
                        .put("expires_in", tokenLifetimeSeconds));
            }
            return json(404, JSON.createObjectNode().put("error", "not_found"));
        }
    }
}
