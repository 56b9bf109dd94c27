package io.jenkins.plugins.gitopsrelease.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivery ids seen within a window, so a provider's redelivery (a retry after a timeout, a manual "Redeliver")
 * does not start the same builds twice. Bounded in size; thread-safe.
 */
public final class RecentDeliveries {
    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public RecentDeliveries(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * Records the id; true when it is new (or its earlier sighting is older than the window). An empty id is never
     * a duplicate: without an id nothing can be recognised.
     */
    public synchronized boolean firstSeen(Provider provider, String id) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() < window.toMillis() && seen.size() <= capacity) {
                break;
            }
            it.remove();
        }
        String key = provider.id() + ":" + id;
        Long previous = seen.get(key);
        if (previous != null && now - previous < window.toMillis()) {
            return false;
        }
        seen.remove(key);
        seen.put(key, now);
        return true;
    }

    /** Forgets an id whose processing failed, so the provider's redelivery is processed. */
    public synchronized void forget(Provider provider, String id) {
        if (id != null && !id.isEmpty()) {
            seen.remove(provider.id() + ":" + id);
        }
    }
}
