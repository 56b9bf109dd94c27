package io.jenkins.plugins.gitopsrelease.git;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.util.IO;

/**
 * New objects held in memory over a repository until {@link #writeTo} (a few blobs, trees and one commit per
 * release): a session on a repository of this machine builds its commit without writing into that repository, so a
 * refused or failed update leaves nothing there. Its readers see the held objects first, then the repository's.
 * Not thread-safe: one session's thread.
 */
final class PendingObjects extends ObjectInserter {
    private record Held(int type, byte[] data) {
    }

    private final Repository repo;
    private final Map<ObjectId, Held> held = new LinkedHashMap<>();

    /** Held over {@code repo}, which this neither writes nor closes. */
    PendingObjects(Repository repo) {
        this.repo = repo;
    }

    @Override
    public ObjectId insert(int type, byte[] data, int off, int len) {
        ObjectId id = idFor(type, data, off, len);
        held.putIfAbsent(id, new Held(type, Arrays.copyOfRange(data, off, off + len)));
        return id;
    }

    @Override
    public ObjectId insert(int type, long len, InputStream in) throws IOException {
        if (len > Integer.MAX_VALUE) {
            throw new IOException("object of " + len + " bytes is too large to hold in memory");
        }
        byte[] data = new byte[(int) len];
        IO.readFully(in, data, 0, data.length);
        return insert(type, data, 0, data.length);
    }

    @Override
    public PackParser newPackParser(InputStream in) {
        throw new UnsupportedOperationException("pending objects take no packs");
    }

    @Override
    public ObjectReader newReader() {
        return new Reader(repo.newObjectReader());
    }

    @Override
    public void flush() {
        // held until writeTo: that is the point
    }

    @Override
    public void close() {
        // nothing to release: the held objects stay until writeTo or until this is dropped
    }

    /** Drops what is held (a new attempt builds its own). */
    void clear() {
        held.clear();
    }

    /** How many objects are held (not yet in the repository). */
    int size() {
        return held.size();
    }

    /** Checks every held object with {@code checker} (the repository's receive.fsckObjects rules). */
    void check(ObjectChecker checker) throws CorruptObjectException {
        for (Map.Entry<ObjectId, Held> e : held.entrySet()) {
            checker.check(e.getKey(), e.getValue().type(), e.getValue().data());
        }
    }

    /**
     * Writes the held objects with {@code into} and flushes it. They are unreachable until a ref names them, so a
     * caller moves its ref only after this returns.
     */
    void writeTo(ObjectInserter into) throws IOException {
        for (Held h : held.values()) {
            into.insert(h.type(), h.data());
        }
        into.flush();
        held.clear();
    }

    /** Reads held objects first, then the repository's. */
    private final class Reader extends ObjectReader.Filter {
        private final ObjectReader delegate;

        Reader(ObjectReader delegate) {
            this.delegate = delegate;
        }

        @Override
        protected ObjectReader delegate() {
            return delegate;
        }

        @Override
        public ObjectReader newReader() {
            return new Reader(delegate.newReader());
        }

        @Override
        public boolean has(AnyObjectId id) throws IOException {
            return held.containsKey(id) || delegate.has(id);
        }

        @Override
        public boolean has(AnyObjectId id, int typeHint) throws IOException {
            Held h = held.get(id);
            return h != null ? typeHint == OBJ_ANY || typeHint == h.type() : delegate.has(id, typeHint);
        }

        @Override
        public ObjectLoader open(AnyObjectId id) throws IOException {
            return open(id, OBJ_ANY);
        }

        @Override
        public ObjectLoader open(AnyObjectId id, int typeHint) throws IOException {
            Held h = held(id, typeHint);
            return h == null ? delegate.open(id, typeHint) : new ObjectLoader.SmallObject(h.type(), h.data());
        }

        @Override
        public long getObjectSize(AnyObjectId id, int typeHint) throws IOException {
            Held h = held(id, typeHint);
            return h == null ? delegate.getObjectSize(id, typeHint) : h.data().length;
        }

        /** The held object {@code id}, or null if it is not held; of another type than the hint, an error. */
        private Held held(AnyObjectId id, int typeHint) throws IncorrectObjectTypeException {
            Held h = held.get(id);
            if (h != null && typeHint != OBJ_ANY && typeHint != h.type()) {
                throw new IncorrectObjectTypeException(id.copy(), typeHint);
            }
            return h;
        }

        @Override
        public ObjectInserter getCreatedFromInserter() {
            return PendingObjects.this;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
