package io.jenkins.plugins.gitopsrelease.image.registry;

import java.net.URI;

/**
 * Sees every HTTP exchange a {@link RegistryClient} makes (tests count requests with it; a verbose log can print
 * them). Called from several threads. URIs never carry credentials; headers are not passed on purpose.
 */
public interface RequestListener {
    /** Before a request goes out. */
    default void before(String method, URI uri) {
    }

    /** After the response headers arrived ({@code status}), or the exchange failed ({@code status} -1). */
    default void after(String method, URI uri, int status) {
    }

    RequestListener NONE = new RequestListener() { };
}
