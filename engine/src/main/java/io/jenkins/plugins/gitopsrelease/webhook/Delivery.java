package io.jenkins.plugins.gitopsrelease.webhook;

import java.util.List;

/**
 * One authenticated webhook delivery, parsed. Only a {@link Kind#PUSH} can start builds; a ping/test is acknowledged
 * and any other event is accepted and ignored, with {@code note} saying why (for the log).
 *
 * @param id the provider's delivery id ({@code X-GitHub-Delivery}, {@code X-Gitlab-Event-UUID},
 *           {@code X-Request-UUID}/{@code X-Request-Id}), "" when the provider sent none
 * @param event the provider's event name as sent ({@code push}, {@code Push Hook}, {@code repo:push}, ...)
 */
public record Delivery(Provider provider, Kind kind, String event, String id, List<Push> pushes, String note) {
    public enum Kind { PUSH, PING, IGNORED }

    public Delivery {
        pushes = List.copyOf(pushes);
        // Header values of an untrusted delivery, shown in logs and pages: scrubbed (a secret sent as the event
        // name is masked) and on one line.
        id = id == null ? "" : io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(id);
        event = event == null ? "" : io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(event);
        note = note == null ? "" : io.jenkins.plugins.gitopsrelease.core.Scrubber.oneLine(note);
    }

    static Delivery ping(Provider p, String event, String id) {
        return new Delivery(p, Kind.PING, event, id, List.of(), "ping/test delivery acknowledged");
    }

    static Delivery ignored(Provider p, String event, String id, String why) {
        return new Delivery(p, Kind.IGNORED, event, id, List.of(), why);
    }
}
