package io.jenkins.plugins.gitopsrelease.buildrecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A build's record: the image it is about, its attributes (fixed at build time, inside the digest) and every
 * annotation event in time order. {@code listing} says where the annotations came from ({@code referrers-api} or
 * {@code tag-schema}); {@code rejected} names listing entries and tags that claimed to be annotations of this image
 * but are not (kept out of {@code annotations}, shown so a forgery is visible).
 */
public record BuildRecord(String image, String digest, Map<String, String> attributes, List<Annotation> annotations,
        String listing, List<String> rejected) {

    public BuildRecord {
        attributes = Map.copyOf(attributes);
        annotations = List.copyOf(annotations);
        rejected = List.copyOf(rejected);
    }

    /** The latest event of {@code key}, if any. */
    public Optional<Annotation> latest(String key) {
        Annotation found = null;
        for (Annotation a : annotations) {
            if (a.key().equals(key)) {
                found = a;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The latest value of every key (what the build "is" now). */
    public Map<String, String> current() {
        Map<String, String> out = new java.util.TreeMap<>();
        annotations.forEach(a -> out.put(a.key(), a.value()));
        return out;
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    /** When the build was first recorded as {@code key} (e.g. deployed.staging), for soak times. */
    public Optional<Instant> first(String key) {
        return annotations.stream().filter(a -> a.key().equals(key)).map(Annotation::time).findFirst();
    }
}
