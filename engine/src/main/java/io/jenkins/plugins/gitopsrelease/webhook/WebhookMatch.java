package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The webhook verb: authenticate one delivery, read its push and name the components it starts, following
 * OpenChoreo's auto-build rules (autoBuild true, same repository after normalisation, the component's branch, a
 * pushed path under its appPath — or any path when the provider sent no complete list).
 *
 * <pre>{@code
 * WebhookMatch.Result r = WebhookMatch.of(Provider.GITHUB, headers, body)
 *         .secret(secret).repository(new DirectoryFiles(gitopsRoot)).call();
 * }</pre>
 *
 * Order of checks: size (before the body is even looked at), authenticity (before it is parsed), then the event.
 * Failures throw {@link WebhookRejectedException} with a reason fit for a log.
 */
public final class WebhookMatch {
    private final Provider provider;
    private final Headers headers;
    private final byte[] body;
    private Secret secret;
    private String hookUuid;
    private long maxBodyBytes;
    private ComponentIndex index;
    private RepoFiles repository;

    private WebhookMatch(Provider provider, Headers headers, byte[] body) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.maxBodyBytes = provider.maxBodyBytes();
    }

    public static WebhookMatch of(Provider provider, Headers headers, byte[] body) {
        return new WebhookMatch(provider, headers, body);
    }

    /** The webhook secret (GitHub/Bitbucket HMAC key, GitLab token). Without one every delivery is refused. */
    public WebhookMatch secret(Secret secret) {
        this.secret = secret;
        return this;
    }

    /** Bitbucket Cloud hooks without a secret: accept deliveries whose {@code X-Hook-UUID} is this hook's UUID. */
    public WebhookMatch hookUuid(String hookUuid) {
        this.hookUuid = hookUuid;
        return this;
    }

    /** A lower body limit than the provider's default (never a higher one: the default is the provider's own cap). */
    public WebhookMatch maxBodyBytes(long max) {
        if (max <= 0) {
            throw InvalidInputException.invalid("maxBodyBytes", max, "give a positive number of bytes");
        }
        this.maxBodyBytes = Math.min(max, provider.maxBodyBytes());
        return this;
    }

    /** Components given by the caller (an index built once and reused across deliveries). */
    public WebhookMatch components(ComponentIndex index) {
        this.index = index;
        return this;
    }

    /** Components read from a GitOps repository (a directory or a fetched commit tree) when the call runs. */
    public WebhookMatch repository(RepoFiles files) {
        this.repository = files;
        return this;
    }

    /**
     * @param delivery what the provider sent (kind, id, pushes)
     * @param matches the components to build, in index order, per push
     */
    public record Result(Delivery delivery, List<ComponentMatch> matches) {
        public Result {
            matches = List.copyOf(matches);
        }

        /** For the log: why nothing starts, or what does (scrubbed, one line: it quotes the delivery). */
        public String summary() {
            return io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(describe());
        }

        private String describe() {
            if (delivery.kind() != Delivery.Kind.PUSH) {
                return delivery.provider() + " " + delivery.note();
            }
            if (matches.isEmpty()) {
                List<String> why = new ArrayList<>();
                for (Push p : delivery.pushes()) {
                    why.add(p.describe() + (p.tag() ? " is a tag" : p.deleted() ? " deletes the ref"
                            : " touches no auto-build component"));
                }
                return String.join("; ", why);
            }
            return matches.size() + " component(s) to build: " + String.join(", ", matches.stream()
                    .map(m -> m.project() + "/" + m.component()).toList());
        }
    }

    /** Checks size and authenticity and parses the event, without looking at components. */
    public Delivery verify() {
        if (body.length > maxBodyBytes) {
            throw new WebhookRejectedException(Reason.TOO_LARGE, provider.id() + " delivery of " + body.length
                    + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
        }
        Signatures.verify(provider, headers, body, secret, hookUuid);
        return PushEvents.parse(provider, headers, body);
    }

    public Result call() {
        if (index == null && repository == null) {
            throw new InvalidInputException("no components to match: give a GitOps repository (--root-dir) or a"
                    + " component list");
        }
        Delivery delivery = verify();
        if (delivery.kind() != Delivery.Kind.PUSH) {
            return new Result(delivery, List.of());
        }
        ComponentIndex idx = index != null ? index : ComponentIndex.of(repository);
        List<ComponentMatch> out = new ArrayList<>();
        for (Push p : delivery.pushes()) {
            out.addAll(idx.match(p));
        }
        return new Result(delivery, out);
    }
}
