package io.jenkins.plugins.gitopsrelease.testinfra;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fabric8 Kubernetes mock server in CRUD mode on 127.0.0.1 (a free port), with the CRDs of the GitOps kinds a
 * release watch follows: Flux HelmRelease, Kustomization and GitRepository, Argo CD Application and OpenChoreo
 * ReleaseBinding, all with a status subresource. Use as {@code @RegisterExtension static KubeMockFixture kube = new
 * KubeMockFixture();} or try-with-resources.
 *
 * <p>Fault injection: {@link #dropWatches()} closes every open watch connection from the server side (as an API
 * server restart or a load balancer timeout would), and {@link #refuseWatches(boolean)} answers new watch requests
 * with 503 until switched off. {@link #requestCount()} counts every HTTP request the server received.
 *
 * <p>Mock specifics to keep in mind: a watch from a resourceVersion replays the current object as ADDED (a real API
 * server would not), and custom resources need their CRD registered before the mock serves them.
 */
public final class KubeMockFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final ResourceDefinitionContext HELM_RELEASE =
            crdContext("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases");
    public static final ResourceDefinitionContext KUSTOMIZATION =
            crdContext("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations");
    public static final ResourceDefinitionContext GIT_REPOSITORY =
            crdContext("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories");
    public static final ResourceDefinitionContext APPLICATION =
            crdContext("argoproj.io", "v1alpha1", "Application", "applications");
    public static final ResourceDefinitionContext RELEASE_BINDING =
            crdContext("openchoreo.dev", "v1alpha1", "ReleaseBinding", "releasebindings");
    public static final List<ResourceDefinitionContext> CRDS =
            List.of(HELM_RELEASE, KUSTOMIZATION, GIT_REPOSITORY, APPLICATION, RELEASE_BINDING);

    // The mock logs every request at INFO through java.util.logging; keep test output readable.
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private KubernetesMockServer server;
    private FaultDispatcher dispatcher;
    private NamespacedKubernetesClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public synchronized KubeMockFixture start() {
        if (server != null) {
            return this;
        }
        dispatcher = new FaultDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = (NamespacedKubernetesClient) new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url()).withTrustCerts(true).withNamespace("test")
                .withRequestRetryBackoffLimit(0).build()).build();
        registerCrds();
        return this;
    }

    /** Creates the CRDs through the API, as a cluster with Flux, Argo CD and OpenChoreo installed would have them. */
    private void registerCrds() {
        for (ResourceDefinitionContext c : CRDS) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd(c)).create();
        }
    }

    static CustomResourceDefinition crd(ResourceDefinitionContext c) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(c.getPlural() + "." + c.getGroup()).endMetadata()
                .withNewSpec()
                .withGroup(c.getGroup())
                .withScope("Namespaced")
                .withNewNames().withKind(c.getKind()).withPlural(c.getPlural())
                .withSingular(c.getKind().toLowerCase(java.util.Locale.ROOT)).endNames()
                .addNewVersion().withName(c.getVersion()).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    private static ResourceDefinitionContext crdContext(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
    }

    /** A client of the test's own (trusts the mock, no auth); the code under test should make its own. */
    public KubernetesClient client() {
        return client;
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:41234/} (plain HTTP, any token accepted). */
    public String url() {
        return "http://127.0.0.1:" + server.getPort() + "/";
    }

    public int port() {
        return server.getPort();
    }

    /** HTTP requests the server received so far (including upgrade requests of watches). */
    public int requestCount() {
        return server.getRequestCount();
    }

    /** Drains the server's request log and returns "METHOD path" lines, oldest first. */
    public List<String> takeRequests() {
        return takeRecorded().stream().map(r -> r.getMethod() + " " + r.getPath()).toList();
    }

    /** Drains the server's request log (headers included, e.g. to check a bearer token arrived). */
    public List<RecordedRequest> takeRecorded() {
        List<RecordedRequest> out = new java.util.ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Closes every open watch connection from the server side; returns how many were closed. */
    public int dropWatches() {
        return dispatcher.dropAll();
    }

    /** While on, new watch requests get 503 (the API server is "restarting"); plain requests still work. */
    public void refuseWatches(boolean refuse) {
        dispatcher.refuse.set(refuse);
    }

    /** Watch requests answered with 503 while {@link #refuseWatches(boolean)} was on. */
    public int refusedWatches() {
        return dispatcher.refused.get();
    }

    /** Open watch connections right now. */
    public int openWatches() {
        return dispatcher.open.size();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** The CRUD dispatcher plus a handle on each watch's server-side socket, so tests can cut it. */
    private static final class FaultDispatcher extends KubernetesCrudDispatcher {
        final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
        final AtomicBoolean refuse = new AtomicBoolean();
        final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        FaultDispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse handleWatch(String path) {
            if (refuse.get()) {
                refused.incrementAndGet();
                return new MockResponse().setResponseCode(503)
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503,"
                                + "\"reason\":\"ServiceUnavailable\",\"message\":\"restarting\"}");
            }
            MockResponse response = super.handleWatch(path);
            WebSocketListener inner = response.getWebSocketListener();
            if (inner == null) {
                return response;
            }
            return response.withWebSocketUpgrade(new Tracking(inner, open));
        }

        int dropAll() {
            int n = 0;
            for (WebSocket ws : List.copyOf(open)) {
                open.remove(ws);
                ws.close(1001, "going away");
                n++;
            }
            return n;
        }
    }

    private static final class Tracking extends WebSocketListener {
        private final WebSocketListener inner;
        private final Set<WebSocket> open;

        Tracking(WebSocketListener inner, Set<WebSocket> open) {
            this.inner = inner;
            this.open = open;
        }

        @Override
        public void onBeforeAccept(WebSocket ws, Response response) {
            inner.onBeforeAccept(ws, response);
        }

        @Override
        public void onOpen(WebSocket ws, Response response) {
            open.add(ws);
            inner.onOpen(ws, response);
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            inner.onMessage(ws, text);
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            inner.onMessage(ws, bytes);
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            open.remove(ws);
            inner.onClosing(ws, code, reason);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            open.remove(ws);
            inner.onClosed(ws, code, reason);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            open.remove(ws);
            inner.onFailure(ws, t, response);
        }
    }
}
