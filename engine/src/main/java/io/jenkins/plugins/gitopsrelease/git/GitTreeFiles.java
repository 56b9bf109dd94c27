package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@link RepoFiles} over a commit's tree, read straight from the object database: no working tree, no checkout.
 * The path index is built once (one recursive tree walk); blobs are read on demand. Thread-safe.
 *
 * <p>After a blob-less (partial) fetch the trees are local and the blobs are not: a {@link MissingBlobs} source then
 * brings those that are read, all of a {@link #prefetch} in one request.
 */
public final class GitTreeFiles implements RepoFiles {
    /** Brings blobs a partial fetch left out into the repository. Called for one request at a time. */
    @FunctionalInterface
    public interface MissingBlobs {
        void fetch(Collection<ObjectId> ids) throws IOException;
    }

    private final Repository repository;
    private final ObjectId tree;
    private final String description;
    /** Null when every blob is in the repository. */
    private final MissingBlobs missing;
    private volatile Map<String, ObjectId> index;
    /** Blobs found by partial listings ({@link #list(Predicate)}), so reading them needs no full walk. */
    private final Map<String, ObjectId> known = new ConcurrentHashMap<>();

    public GitTreeFiles(Repository repository, ObjectId tree, String description) {
        this(repository, tree, description, null);
    }

    /** Over a tree whose blobs may be missing from {@code repository}; {@code missing} brings them. */
    public GitTreeFiles(Repository repository, ObjectId tree, String description, MissingBlobs missing) {
        this.repository = repository;
        this.tree = tree;
        this.description = description;
        this.missing = missing;
    }

    public ObjectId tree() {
        return tree;
    }

    private Map<String, ObjectId> index() {
        Map<String, ObjectId> i = index;
        if (i == null) {
            synchronized (this) {
                i = index;
                if (i == null) {
                    i = buildIndex();
                    index = i;
                }
            }
        }
        return i;
    }

    private Map<String, ObjectId> buildIndex() {
        // TreeWalk yields Git order ("a/b" after "a.b"); a TreeMap gives the plain lexicographic order RepoFiles promises.
        Map<String, ObjectId> m = new TreeMap<>();
        try (ObjectReader reader = repository.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                // Symlinks and submodules are not files generation could read.
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    m.put(walk.getPathString(), walk.getObjectId(0));
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot list the files of " + description + ": " + e.getMessage(), e);
        }
        return m;
    }

    @Override
    public List<String> list() {
        return List.copyOf(index().keySet());
    }

    /** Walks only the accepted subtrees: a targeted read inflates a few tree objects, not all of them. */
    @Override
    public List<String> list(Predicate<String> descend) {
        Map<String, ObjectId> full = index;
        if (full != null || !descend.test("")) {
            return RepoFiles.super.list(descend);
        }
        Map<String, ObjectId> m = new TreeMap<>();
        try (ObjectReader reader = repository.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if (walk.isSubtree()) {
                    if (descend.test(walk.getPathString())) {
                        walk.enterSubtree();
                    }
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    m.put(walk.getPathString(), walk.getObjectId(0));
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot list the files of " + description + ": " + e.getMessage(), e);
        }
        known.putAll(m);
        return List.copyOf(m.keySet());
    }

    /** The blob at {@code path}: from the full index if built, else from a partial listing or a walk to it. */
    private ObjectId blob(String path) {
        RepoPaths.check(path);
        Map<String, ObjectId> full = index;
        if (full != null) {
            return full.get(path);
        }
        ObjectId id = known.get(path);
        if (id != null) {
            return id;
        }
        try (ObjectReader reader = repository.newObjectReader();
                TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            if (walk == null) {
                return null;
            }
            FileMode mode = walk.getFileMode(0);
            return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE ? walk.getObjectId(0) : null;
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + path + " from " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> read(String path) {
        ObjectId id = blob(path);
        if (id == null) {
            return Optional.empty();
        }
        try {
            try {
                return Optional.of(open(id));
            } catch (MissingObjectException e) {
                if (missing == null) {
                    throw e;
                }
                bring(List.of(id));
                return Optional.of(open(id));
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + path + " from " + description + ": " + e.getMessage(), e);
        }
    }

    private byte[] open(ObjectId id) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            return reader.open(id, Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE);
        }
    }

    /** Brings the blobs of {@code paths} that are not in the repository, in one request. */
    @Override
    public void prefetch(Collection<String> paths) {
        if (missing == null || paths.isEmpty()) {
            return;
        }
        List<ObjectId> ids = paths.stream().map(this::blob).filter(java.util.Objects::nonNull).toList();
        try {
            bring(ids);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + paths.size() + " file(s) from " + description + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fetches those of {@code ids} still absent; one request at a time, so parallel readers do not ask twice. */
    private synchronized void bring(Collection<ObjectId> ids) throws IOException {
        Collection<ObjectId> absent = new LinkedHashSet<>();
        try (ObjectReader reader = repository.newObjectReader()) {
            for (ObjectId id : ids) {
                if (!reader.has(id, Constants.OBJ_BLOB)) {
                    absent.add(id.copy());
                }
            }
        }
        if (!absent.isEmpty()) {
            missing.fetch(absent);
        }
    }

    @Override
    public boolean exists(String path) {
        return blob(path) != null;
    }

    @Override
    public String describe() {
        return description;
    }
}
