package io.jenkins.plugins.gitopsrelease.buildrecord;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A build's attributes: key-values fixed at build time inside the image (manifest annotations and/or config labels),
 * so they are part of the digest. The {@code org.opencontainers.image.*} keys of the OCI image spec, plus the
 * project's namespace for what the spec has no key for.
 */
public final class Attributes {
    private Attributes() {
    }

    public static final String OCI = "org.opencontainers.image.";
    public static final String NS = "io.jenkins.gitops-release.";

    public static final String REVISION = OCI + "revision";
    public static final String SOURCE = OCI + "source";
    public static final String CREATED = OCI + "created";
    public static final String VERSION = OCI + "version";
    public static final String BASE_NAME = OCI + "base.name";
    public static final String BASE_DIGEST = OCI + "base.digest";
    public static final String BRANCH = NS + "branch";
    public static final String BUILDER = NS + "builder";
    public static final String RUN_URL = NS + "run-url";
    public static final String JOB = NS + "job";

    /** Whether a key belongs to the build's attributes (the OCI keys and ours; other labels are the app's own). */
    public static boolean isAttribute(String key) {
        return key.startsWith(OCI) || key.startsWith(NS);
    }

    /**
     * What the Git checkout around {@code context} says: the commit, its time (so {@code created} stays reproducible:
     * the same commit gives the same digest), the origin URL without credentials, and the branch unless detached.
     * Empty outside a checkout.
     */
    public static Map<String, String> fromGit(Path context) {
        Map<String, String> out = new LinkedHashMap<>();
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(context.toFile());
        if (b.getGitDir() == null) {
            return out;
        }
        try (Repository repo = b.setMustExist(true).build(); RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve("HEAD");
            if (head == null) {
                return out;
            }
            RevCommit c = walk.parseCommit(head);
            out.put(REVISION, head.name());
            out.put(CREATED, Instant.ofEpochSecond(c.getCommitTime()).toString());
            String url = repo.getConfig().getString("remote", "origin", "url");
            if (url != null && !url.isBlank()) {
                out.put(SOURCE, withoutCredentials(url));
            }
            String branch = repo.getBranch();
            if (branch != null && !ObjectId.isId(branch)) {
                out.put(BRANCH, branch);
            }
        } catch (IOException e) {
            return out; // attributes are best effort; the tag lookup reports an unreadable repository
        }
        return out;
    }

    /**
     * What a CI run's environment adds: the run URL and job (Jenkins' BUILD_URL and JOB_NAME) and the branch a
     * detached checkout cannot tell (BRANCH_NAME of multibranch jobs, else GIT_BRANCH without its remote).
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, RUN_URL, env.get("BUILD_URL"));
        put(out, JOB, env.get("JOB_NAME"));
        String branch = env.get("BRANCH_NAME");
        if (blank(branch) && !blank(env.get("GIT_BRANCH"))) {
            branch = env.get("GIT_BRANCH").replaceFirst("^(refs/heads/|refs/remotes/[^/]+/|origin/)", "");
        }
        put(out, BRANCH, branch);
        return out;
    }

    /** A URL with any {@code user:password@} removed (a token in a remote URL must not end up in an image). */
    public static String withoutCredentials(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() != null && u.getRawUserInfo() != null) {
                return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
            }
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            // scp-like git@host:path: no password can be in it
        }
        return url.replaceFirst("^([a-z+]+://)[^/@]*@", "$1");
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (!blank(v)) {
            m.put(k, v.trim());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
