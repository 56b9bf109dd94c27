package io.jenkins.plugins.gitopsrelease.files;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A read-only view of a GitOps repository's files: a directory on disk ({@link DirectoryFiles}) or a commit's tree
 * read straight from a Git object database (package {@code git}). Generation reads through this seam only, so it
 * does not care whether the repository was checked out.
 *
 * <p>Paths are relative, use {@code /} as separator, and never start with {@code /} or contain {@code ..}.
 */
public interface RepoFiles {

    /** Every regular file, in lexicographic path order (so anything that walks the repository is deterministic). */
    List<String> list();

    /**
     * The regular files of the directories {@code descend} accepts, in lexicographic path order. {@code descend}
     * gets a directory's path ("" for the root, no trailing '/'); a directory is visited only if it and all its
     * ancestors are accepted, so a store can skip whole subtrees (a targeted read needs a few directories of a
     * large repository).
     */
    default List<String> list(Predicate<String> descend) {
        return list().stream().filter(p -> {
            if (!descend.test("")) {
                return false;
            }
            for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
                if (!descend.test(p.substring(0, i))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** The file's bytes, or empty if there is no regular file at that path. */
    Optional<byte[]> read(String path);

    /**
     * A hint that {@code paths} are read next, so a store whose files are not all at hand (a blob-less Git fetch)
     * can bring them in one request instead of one per file. Reading works without it.
     */
    default void prefetch(Collection<String> paths) {
    }

    default boolean exists(String path) {
        return read(path).isPresent();
    }

    /** A description for messages, e.g. "/srv/gitops" or "origin/main@1a2b3c4d". */
    String describe();
}
