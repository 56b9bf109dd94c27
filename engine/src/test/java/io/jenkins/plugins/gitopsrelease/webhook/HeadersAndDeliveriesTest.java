package io.jenkins.plugins.gitopsrelease.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HeadersAndDeliveriesTest {
    @Test
    void headersFileIsOneNameValuePerLineCaseInsensitive() {
        Headers h = Headers.parse("# copied from Recent Deliveries\r\nX-GitHub-Event: push\n\n"
                + "x-hub-signature-256: sha256=ab:cd\n  User-Agent:GitHub-Hookshot/1  \n", "h.txt");
        assertThat(h.value("x-github-event")).isEqualTo("push");
        assertThat(h.value("X-Hub-Signature-256")).isEqualTo("sha256=ab:cd");
        assertThat(h.value("User-Agent")).isEqualTo("GitHub-Hookshot/1");
        assertThat(h.get("X-Missing")).isEmpty();
        assertThatThrownBy(() -> Headers.parse("X-A: b\nno colon here\n", "h.txt"))
                .isInstanceOf(WebhookRejectedException.class).hasMessageStartingWith("h.txt:2:");
    }

    @Test
    void duplicateDeliveryIdsWithinTheWindow() {
        Instant[] now = {Instant.parse("2026-12-01T10:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        RecentDeliveries d = new RecentDeliveries(Duration.ofMinutes(10), 3, clock);
        assertThat(d.firstSeen(Provider.GITHUB, "a")).isTrue();
        assertThat(d.firstSeen(Provider.GITHUB, "a")).isFalse();
        assertThat(d.firstSeen(Provider.GITLAB, "a")).isTrue();
        assertThat(d.firstSeen(Provider.GITHUB, "")).isTrue();
        assertThat(d.firstSeen(Provider.GITHUB, "")).isTrue();
        now[0] = now[0].plus(Duration.ofMinutes(11));
        assertThat(d.firstSeen(Provider.GITHUB, "a")).isTrue();
        // Bounded: the oldest ids leave when more than capacity arrive.
        for (String id : new String[] {"b", "c", "d", "e"}) {
            assertThat(d.firstSeen(Provider.GITHUB, id)).isTrue();
        }
        assertThat(d.firstSeen(Provider.GITHUB, "a")).isTrue();
        assertThat(d.firstSeen(Provider.GITHUB, "e")).isFalse();
    }

    @Test
    void providerNames() {
        assertThat(Provider.of("GitHub")).isEqualTo(Provider.GITHUB);
        assertThatThrownBy(() -> Provider.of("gitea")).hasMessageContaining("use github, gitlab or bitbucket");
    }
}
