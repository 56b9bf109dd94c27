package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates a delivery before its body is parsed. Fails closed: no configured secret means no delivery is
 * authentic. Every comparison is constant-time ({@link MessageDigest#isEqual}); reasons name headers, never values.
 */
final class Signatures {
    static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    static final String GITLAB_TOKEN = "X-Gitlab-Token";
    static final String BITBUCKET_SIGNATURE = "X-Hub-Signature";
    static final String BITBUCKET_HOOK_UUID = "X-Hook-UUID";

    private Signatures() {
    }

    static void verify(Provider provider, Headers headers, byte[] body, Secret secret, String hookUuid) {
        switch (provider) {
            case GITHUB -> hmac(provider, GITHUB_SIGNATURE, headers, body, requireSecret(provider, secret));
            case GITLAB -> token(headers, requireSecret(provider, secret));
            case BITBUCKET -> {
                if (secret != null && !secret.isEmpty()) {
                    hmac(provider, BITBUCKET_SIGNATURE, headers, body, secret);
                } else if (hookUuid != null && !hookUuid.isBlank()) {
                    // Bitbucket Cloud webhooks created without a secret carry only the hook's UUID.
                    equalTokens(BITBUCKET_HOOK_UUID, uuid(headers.value(BITBUCKET_HOOK_UUID)), uuid(hookUuid));
                } else {
                    throw reject("no secret (nor, for Bitbucket Cloud hooks without a secret, hook UUID) is configured"
                            + " for bitbucket: every delivery is refused until one is");
                }
            }
            default -> throw new IllegalStateException(provider.id());
        }
    }

    private static Secret requireSecret(Provider p, Secret s) {
        if (s == null || s.isEmpty()) {
            throw reject("no webhook secret is configured for " + p.id() + ": every delivery is refused until one is");
        }
        return s;
    }

    private static void hmac(Provider p, String header, Headers headers, byte[] body, Secret secret) {
        String sig = headers.value(header);
        if (sig.isEmpty()) {
            throw reject(header + " header is missing: the " + p.id() + " webhook has no secret set, or the request"
                    + " did not come from " + p.id());
        }
        if (!sig.regionMatches(true, 0, "sha256=", 0, 7)) {
            throw reject(header + " header is not of the form sha256=<hex>: set the webhook to sign with SHA-256");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(sig.substring(7).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw reject(header + " header holds no hexadecimal digest");
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw reject(header + " does not match the body: the webhook's secret differs from the configured one,"
                    + " or the body was changed on the way");
        }
    }

    private static void token(Headers headers, Secret secret) {
        String given = headers.value(GITLAB_TOKEN);
        if (given.isEmpty()) {
            throw reject(GITLAB_TOKEN + " header is missing: set the secret token on the GitLab webhook");
        }
        equalTokens(GITLAB_TOKEN, given, secret.reveal());
    }

    /** Compares digests, so neither the content nor the length of the expected value leaks through timing. */
    private static void equalTokens(String header, String given, String expected) {
        if (given.isEmpty()) {
            throw reject(header + " header is missing");
        }
        if (!MessageDigest.isEqual(sha256(given), sha256(expected))) {
            throw reject(header + " does not match the configured value");
        }
    }

    private static String uuid(String s) {
        String u = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("{") && u.endsWith("}") ? u.substring(1, u.length() - 1) : u;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static WebhookRejectedException reject(String why) {
        return new WebhookRejectedException(Reason.NOT_AUTHENTIC, why);
    }
}
