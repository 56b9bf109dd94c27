package io.jenkins.plugins.gitopsrelease.testinfra;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A WireMock server on 127.0.0.1 standing in for a forge's HTTP API (GitHub, GitLab, Gitea, Bitbucket). Stubs and
 * the request journal are reset before each test; the server stops after the class.
 */
public final class ForgeMock implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AutoCloseable {
    private WireMockServer server;

    public synchronized ForgeMock start() {
        if (server == null) {
            server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
            server.start();
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.resetAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public WireMockServer server() {
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
