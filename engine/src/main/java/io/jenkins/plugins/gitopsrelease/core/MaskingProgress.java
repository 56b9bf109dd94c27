package io.jenkins.plugins.gitopsrelease.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A safety net in front of a log: replaces every occurrence of the given secrets with {@code ****} before a line
 * reaches the delegate. The engine never prints secrets on purpose; this catches what a tool (buildah, a registry's
 * error body) might echo back.
 */
public final class MaskingProgress implements Progress {
    private final Progress delegate;
    private final List<String> values;

    public MaskingProgress(Progress delegate, Collection<Secret> secrets) {
        this.delegate = delegate;
        // Longest first, so a secret that contains another is masked whole.
        this.values = secrets.stream().filter(s -> s != null && !s.isEmpty()).map(Secret::reveal)
                .filter(v -> v.length() >= 3).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, "****");
        }
        return Scrubber.scrub(out);
    }

    @Override
    public void step(String message) {
        delegate.step(mask(message));
    }

    @Override
    public void detail(String message) {
        delegate.detail(mask(message));
    }

    @Override
    public void transfer(String name, long done, long total) {
        delegate.transfer(mask(name), done, total);
    }
}
