package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Applies {@link FileChange}s to a tree in memory, writing only the new blobs and the trees on the changed paths.
 * Nothing is checked out, and only the trees on those paths are read: a release touches three files of a
 * 5,000-file repository, and an in-core index of the whole tree (read every tree, write every tree) cost ~0.15 s of
 * each cold {@code open-pr} (docs/benchmarks.md). The result is the tree an index would write: {@code
 * TreeEditsTest} compares the two on generated trees.
 */
public final class TreeEdits {
    private TreeEdits() {
    }

    /** The id of the base tree with every change applied (the base tree's id itself if nothing differs). */
    public static ObjectId apply(ObjectReader reader, ObjectInserter inserter, ObjectId baseTree,
            List<FileChange> changes) throws IOException {
        // Last change for a path wins, as it would on a directory.
        Map<String, FileChange> byPath = new LinkedHashMap<>();
        for (FileChange c : changes) {
            byPath.put(c.path(), c);
        }
        Dir root = new Dir(reader, baseTree);
        for (String path : byPath.keySet()) { // every path checked before any object is written
            checkNoFileDirectoryClash(root, path);
        }
        for (FileChange c : byPath.values()) {
            root.put(c.path(), c.path().split("/"), 0, inserter.insert(Constants.OBJ_BLOB, c.content()));
        }
        ObjectId tree = root.write(inserter);
        inserter.flush();
        return tree;
    }

    /** Writing "a/b" where "a" is a file (or "a" where "a/" is a directory) would silently delete content. */
    private static void checkNoFileDirectoryClash(Dir root, String path) throws IOException {
        String[] names = path.split("/");
        Dir dir = root;
        for (int i = 0; i < names.length - 1; i++) {
            Entry e = dir.get(names[i]);
            if (e == null) {
                return; // a new directory: nothing below it to clash with
            }
            if (!e.isTree()) {
                throw new InvalidInputException("path '" + path + "' needs '" + String.join("/",
                        Arrays.copyOf(names, i + 1)) + "' to be a directory, but it is a file in the GitOps repository");
            }
            dir = e.dir(dir.reader);
        }
        Entry last = dir.get(names[names.length - 1]);
        if (last != null && last.isTree()) {
            throw new InvalidInputException("path '" + path + "' is a directory in the GitOps repository: generation"
                    + " cannot replace a directory with a file");
        }
    }

    /** One entry of a tree being edited: its raw name, mode and id, and its edited contents if it is a directory. */
    private static final class Entry {
        final byte[] name;
        FileMode mode;
        ObjectId id;
        Dir edited;

        Entry(byte[] name, FileMode mode, ObjectId id) {
            this.name = name;
            this.mode = mode;
            this.id = id;
        }

        boolean isTree() {
            return FileMode.TREE.equals(mode);
        }

        Dir dir(ObjectReader reader) throws IOException {
            if (edited == null) {
                edited = new Dir(reader, id);
            }
            return edited;
        }
    }

    /** A directory read from its tree (null: new), changed only where an edit reached. */
    private static final class Dir {
        final ObjectReader reader;
        final ObjectId original;
        // keyed by the raw name bytes as ISO-8859-1 (one char per byte): names need not be UTF-8
        final Map<String, Entry> entries = new HashMap<>();
        boolean changed;

        Dir(ObjectReader reader, ObjectId tree) throws IOException {
            this.reader = reader;
            this.original = tree;
            if (tree != null) {
                CanonicalTreeParser p = new CanonicalTreeParser(null, reader, tree);
                for (; !p.eof(); p.next()) {
                    byte[] name = Arrays.copyOf(p.getEntryPathBuffer(), p.getNameLength());
                    entries.put(key(name), new Entry(name, p.getEntryFileMode(), p.getEntryObjectId()));
                }
            }
        }

        static String key(byte[] name) {
            return new String(name, StandardCharsets.ISO_8859_1);
        }

        Entry get(String name) {
            return entries.get(key(name.getBytes(StandardCharsets.UTF_8)));
        }

        void put(String path, String[] names, int i, ObjectId blob) throws IOException {
            changed = true;
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            Entry e = entries.get(key(name));
            if (i == names.length - 1) {
                if (e != null && e.isTree()) { // the base's directories were refused before: this is "a/b", then "a"
                    throw new InvalidInputException("path '" + path + "' is a directory that another change writes"
                            + " into: generation cannot replace a directory with a file");
                }
                if (e == null) {
                    entries.put(key(name), new Entry(name, FileMode.REGULAR_FILE, blob));
                } else {
                    // Keep an existing executable bit; everything else becomes a plain file.
                    e.mode = FileMode.EXECUTABLE_FILE.equals(e.mode) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
                    e.id = blob;
                    e.edited = null;
                }
                return;
            }
            if (e == null) {
                e = new Entry(name, FileMode.TREE, null);
                e.edited = new Dir(reader, null);
                entries.put(key(name), e);
            } else if (!e.isTree()) { // two changes of one call: "a" and "a/b"
                throw new InvalidInputException("path '" + path + "' needs '" + String.join("/",
                        Arrays.copyOf(names, i + 1)) + "' to be a directory, but another change writes it as a file");
            }
            e.dir(reader).put(path, names, i + 1, blob);
        }

        ObjectId write(ObjectInserter inserter) throws IOException {
            if (!changed) {
                return original;
            }
            List<Entry> sorted = new ArrayList<>(entries.values());
            for (Entry e : sorted) {
                if (e.edited != null) {
                    e.id = e.edited.write(inserter);
                }
            }
            sorted.sort(TreeEdits::gitOrder);
            TreeFormatter f = new TreeFormatter();
            for (Entry e : sorted) {
                f.append(e.name, e.mode, e.id);
            }
            return inserter.insert(f);
        }
    }

    /** Git's tree order: names compared as bytes, a directory's as if it ended in '/'. */
    static int gitOrder(Entry a, Entry b) {
        int n = Math.min(a.name.length, b.name.length);
        for (int i = 0; i < n; i++) {
            int c = (a.name[i] & 0xff) - (b.name[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        int ca = a.name.length > n ? a.name[n] & 0xff : a.isTree() ? '/' : 0;
        int cb = b.name.length > n ? b.name[n] & 0xff : b.isTree() ? '/' : 0;
        return ca - cb;
    }
}
