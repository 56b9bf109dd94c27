package io.jenkins.plugins.gitopsrelease.openchoreo;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.Serializable;
import java.net.URI;

/**
 * How the OpenChoreo API is called: a fixed bearer token, or OAuth 2.0 client credentials (RFC 6749 §4.4) against
 * the authorization server the API names in its RFC 9728 metadata, or a token endpoint given explicitly.
 */
public sealed interface OpenChoreoAuth extends Serializable {

    /** A fixed bearer token (a platform-issued service-account token). */
    record Token(Secret token) implements OpenChoreoAuth {
        public Token {
            if (token == null || token.isEmpty()) {
                throw new InvalidInputException("OpenChoreo API token is empty: give --token-env VAR or --token-file F"
                        + " (Jenkins: a secret text credential)");
            }
            if (!headerSafe(token.reveal())) {
                throw new InvalidInputException("OpenChoreo API token (--token-env/--token-file; Jenkins: the secret"
                        + " text credential) holds a space, control or non-ASCII character, which an HTTP header cannot"
                        + " carry (the value is not shown): store the token alone");
            }
        }
    }

    /**
     * Client credentials. {@code tokenEndpoint} null: discovered from {@code /.well-known/oauth-protected-resource}
     * and the authorization server's OpenID/OAuth metadata. {@code scope} null: none requested.
     */
    record ClientCredentials(String clientId, Secret clientSecret, URI tokenEndpoint, String scope)
            implements OpenChoreoAuth {
        public ClientCredentials {
            if (clientId == null || clientId.isBlank()) {
                throw new InvalidInputException("--client-id is empty: give the OAuth client id the platform engineer"
                        + " created for this CI");
            }
            if (clientSecret == null || clientSecret.isEmpty()) {
                throw new InvalidInputException("the OAuth client secret is empty: give --client-secret-env VAR or"
                        + " --client-secret-file F (Jenkins: a username/password credential)");
            }
            if (tokenEndpoint != null && !"https".equals(tokenEndpoint.getScheme())
                    && !"http".equals(tokenEndpoint.getScheme())) {
                throw InvalidInputException.invalid("--token-url", tokenEndpoint, "give an http(s) URL of the token"
                        + " endpoint, or leave it out to discover it");
            }
        }
    }

    /** Whether a bearer token fits an Authorization header: visible ASCII only (RFC 6750 b64token and more). */
    static boolean headerSafe(String token) {
        return token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
