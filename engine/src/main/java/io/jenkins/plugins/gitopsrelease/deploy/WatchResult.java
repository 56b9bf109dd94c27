package io.jenkins.plugins.gitopsrelease.deploy;

import java.time.Duration;
import java.time.Instant;

/**
 * How a watch ended.
 *
 * @param target         e.g. {@code Deployment shop-dev/api}
 * @param state          READY, FAILED or TIMED_OUT
 * @param reason         why it failed or timed out (null when ready)
 * @param watchStartedAt when the watch started
 * @param readyAt        when the target was seen ready (null unless READY)
 * @param durationToReady {@code readyAt - watchStartedAt} (null unless READY)
 * @param finalState     the last observed state in one line, e.g. "3/3 replicas updated and available"
 * @param apiRequests    HTTP requests this watch made to the API server (watch connections count once each)
 */
public record WatchResult(
        String target,
        TargetKind kind,
        String namespace,
        String name,
        State state,
        String reason,
        Instant watchStartedAt,
        Instant readyAt,
        Duration durationToReady,
        String finalState,
        int apiRequests) {

    public enum State { READY, FAILED, TIMED_OUT }

    public boolean ready() {
        return state == State.READY;
    }
}
