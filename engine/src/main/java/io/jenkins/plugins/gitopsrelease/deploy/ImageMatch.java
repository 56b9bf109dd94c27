package io.jenkins.plugins.gitopsrelease.deploy;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether a container runs the expected image. A digest in the expected reference is compared by digest (and
 * repository); otherwise the normalised {@code registry/repository:tag} must be equal. Never a substring test: op's
 * {@code strings.Contains} let {@code v1.1} match {@code v1.10}.
 */
public final class ImageMatch {
    private static final Pattern BARE_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String DOCKER_HUB = "registry-1.docker.io";

    private final String expected;
    private final ImageReference ref;
    private final String bareDigest;

    private ImageMatch(String expected, ImageReference ref, String bareDigest) {
        this.expected = expected;
        this.ref = ref;
        this.bareDigest = bareDigest;
    }

    /**
     * Parses the expected reference: {@code repo:tag}, {@code repo@sha256:...}, {@code repo:tag@sha256:...} or a
     * bare {@code sha256:...} (matches that digest in any repository).
     */
    public static ImageMatch expecting(String field, String expected) {
        String e = expected == null ? "" : expected.trim();
        if (BARE_DIGEST.matcher(e).matches()) {
            return new ImageMatch(e, null, e);
        }
        ImageReference r = parseOrNull(e);
        if (r == null || e.isEmpty()) {
            throw InvalidInputException.invalid(field, expected,
                    "give an image reference such as registry.example.com/team/app:v1.2 or app@sha256:<64 hex>");
        }
        return new ImageMatch(e, r, null);
    }

    public String expected() {
        return expected;
    }

    public boolean hasDigest() {
        return bareDigest != null || ref.getDigest().isPresent();
    }

    /** Does a pod template's {@code image:} field run the expected image? */
    public boolean matches(String actual) {
        if (actual == null || actual.isBlank()) {
            return false;
        }
        ImageReference a = parseOrNull(actual.trim());
        if (a == null) {
            return false;
        }
        if (bareDigest != null) {
            return a.getDigest().map(bareDigest::equals).orElse(false);
        }
        if (!sameRepository(ref, a)) {
            return false;
        }
        if (ref.getDigest().isPresent()) {
            return ref.getDigest().equals(a.getDigest());
        }
        // No digest expected: the tag must be equal (a pinned "repo:tag@sha256" still runs that tag).
        return tagOf(ref).equals(tagOf(a));
    }

    private static boolean sameRepository(ImageReference x, ImageReference y) {
        return registry(x).equals(registry(y)) && x.getRepository().equals(y.getRepository());
    }

    private static String registry(ImageReference r) {
        String reg = r.getRegistry().toLowerCase(Locale.ROOT);
        // Jib maps docker.io to registry-1.docker.io; index.docker.io is a third spelling of the same registry.
        return reg.equals("docker.io") || reg.equals("index.docker.io") ? DOCKER_HUB : reg;
    }

    private static String tagOf(ImageReference r) {
        return r.getTag().orElse(r.getDigest().isPresent() ? "" : "latest");
    }

    private static ImageReference parseOrNull(String text) {
        try {
            return ImageReference.parse(text);
        } catch (InvalidImageReferenceException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return expected;
    }
}
