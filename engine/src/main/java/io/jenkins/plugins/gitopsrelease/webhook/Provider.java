package io.jenkins.plugins.gitopsrelease.webhook;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.Locale;

/**
 * The Git providers whose push webhooks start builds, each with the largest body it accepts. GitHub drops deliveries
 * over 25 MB itself, so nothing genuine is larger; GitLab's push hooks list at most 20 commits and are far smaller,
 * but it has no documented cap, so the same bound applies; Bitbucket sends no file lists and at most 5 commits per
 * change, so 1 MiB is generous.
 */
public enum Provider {
    GITHUB("github", 25L * 1024 * 1024),
    GITLAB("gitlab", 25L * 1024 * 1024),
    BITBUCKET("bitbucket", 1024L * 1024);

    private final String id;
    private final long maxBodyBytes;

    Provider(String id, long maxBodyBytes) {
        this.id = id;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The lower-case name used in URLs, CLI options and logs. */
    public String id() {
        return id;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public static Provider of(String id) {
        for (Provider p : values()) {
            if (p.id.equals(id == null ? "" : id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw InvalidInputException.invalid("--provider", id == null ? "" : id, "use github, gitlab or bitbucket");
    }

    @Override
    public String toString() {
        return id;
    }
}
