package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@link TreeEdits} edits only the trees on the changed paths; it must write exactly the tree that an in-core index of
 * the whole base tree writes (how it worked before, kept here as the oracle), and refuse the same clashes.
 */
class TreeEditsTest {

    /** The former implementation: the whole base tree in an in-core index, edited, written. */
    static ObjectId viaIndex(ObjectReader reader, ObjectInserter inserter, ObjectId baseTree, List<FileChange> changes)
            throws IOException {
        Map<String, FileChange> byPath = new LinkedHashMap<>();
        for (FileChange c : changes) {
            byPath.put(c.path(), c);
        }
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, baseTree);
        builder.finish();
        for (String path : byPath.keySet()) {
            if (index.getEntriesWithin(path).length > 0) {
                throw new InvalidInputException("is a directory");
            }
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                if (index.findEntry(path.substring(0, slash)) >= 0) {
                    throw new InvalidInputException("to be a directory");
                }
            }
        }
        DirCacheEditor editor = index.editor();
        for (FileChange c : byPath.values()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, c.content());
            editor.add(new DirCacheEditor.PathEdit(c.path()) {
                @Override
                public void apply(DirCacheEntry ent) {
                    if (!FileMode.EXECUTABLE_FILE.equals(ent.getFileMode())) {
                        ent.setFileMode(FileMode.REGULAR_FILE);
                    }
                    ent.setObjectId(blob);
                }
            });
        }
        editor.finish();
        return index.writeTree(inserter);
    }

    /** Names that sort around '/' and '.' ("a-b" < "a/" < "a0" < "a.b"...), so tree order is exercised. */
    @Provide
    Arbitrary<String> path() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "a-b", "a.b", "a0", "ab", "b.yaml", "a.yaml", "é",
                "Z", "a b");
        return segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    @Provide
    Arbitrary<List<String>> paths() {
        return path().list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<String>> fewPaths() {
        return path().list().ofMaxSize(3);
    }

    /** Trials that reached the comparison of two written trees (most edits update base files or add new ones). */
    static final java.util.concurrent.atomic.AtomicInteger COMPARED = new java.util.concurrent.atomic.AtomicInteger();

    @Property(tries = 300)
    void writesTheTreeAnIndexWould(@ForAll("paths") List<String> base, @ForAll List<Integer> updated,
            @ForAll("fewPaths") List<String> added, @ForAll boolean executable) throws Exception {
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
                ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = ins.newReader()) {
            List<String> kept = new ArrayList<>();
            ObjectId baseTree = baseTree(ins, base, executable, kept);
            List<String> edits = new ArrayList<>();
            for (int i = 0; i < added.size(); i++) { // the first may clash with the base; the others are new files
                edits.add(i == 0 ? added.get(i) : "new/" + added.get(i));
            }
            for (Integer u : updated) {
                if (!kept.isEmpty() && u != null) {
                    edits.add(kept.get(Math.floorMod(u, kept.size())));
                }
            }
            java.util.Collections.shuffle(edits, new java.util.Random(edits.size()));
            List<FileChange> changes = new ArrayList<>();
            for (int i = 0; i < edits.size(); i++) {
                changes.add(FileChange.of(edits.get(i), "content " + (i % 3), FileChange.Kind.UPDATED));
            }
            ObjectId expected;
            try {
                expected = viaIndex(reader, ins, baseTree, changes);
            } catch (InvalidInputException e) {
                // the index refused a clash with the base: so must the editor, with the same kind of message
                assertThatThrownBy(() -> TreeEdits.apply(reader, ins, baseTree, changes))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining(e.getMessage());
                return;
            } catch (RuntimeException e) {
                // the index cannot hold "a" and "a/b" from one call (a clash inside the changes): refused too
                assertThatThrownBy(() -> TreeEdits.apply(reader, ins, baseTree, changes))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("another change");
                return;
            }
            if (clashInside(changes)) {
                // the index wrote a tree with a file and a directory of one name: the editor refuses instead
                assertThatThrownBy(() -> TreeEdits.apply(reader, ins, baseTree, changes))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("another change");
                return;
            }
            assertThat(TreeEdits.apply(reader, ins, baseTree, changes)).isEqualTo(expected);
            COMPARED.incrementAndGet();
        }
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void mostTrialsComparedTrees() {
        assertThat(COMPARED.get()).as("trials that compared two trees").isGreaterThan(60);
    }

    /** A base tree with a file at each path that does not clash with an earlier one. */
    static ObjectId baseTree(ObjectInserter ins, List<String> paths, boolean executable, List<String> kept)
            throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder b = index.builder();
        for (String p : paths) {
            if (kept.stream().noneMatch(k -> k.equals(p) || k.startsWith(p + "/") || p.startsWith(k + "/"))) {
                kept.add(p);
            }
        }
        int i = 0;
        for (String p : kept) { // the builder sorts them on finish()
            DirCacheEntry e = new DirCacheEntry(p);
            e.setFileMode(executable && i % 2 == 0 ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
            e.setObjectId(ins.insert(Constants.OBJ_BLOB, Constants.encode("base " + i++)));
            b.add(e);
        }
        b.finish();
        return index.writeTree(ins);
    }

    static boolean clashInside(List<FileChange> changes) {
        for (FileChange a : changes) {
            for (FileChange b : changes) {
                if (b.path().startsWith(a.path() + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Tree order: a directory sorts as if its name ended in '/' ("a.yaml" before "a/", "a0" after). */
    @org.junit.jupiter.api.Test
    void ordersDirectoriesAsGitDoes() throws Exception {
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
                ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = ins.newReader()) {
            ObjectId base = baseTree(ins, List.of("a/b", "a.yaml", "a0", "a-b/c"), false, new ArrayList<>());
            List<FileChange> changes = List.of(FileChange.of("a.yaml", "new", FileChange.Kind.UPDATED),
                    FileChange.of("a/c", "new", FileChange.Kind.CREATED));
            assertThat(TreeEdits.apply(reader, ins, base, changes)).isEqualTo(viaIndex(reader, ins, base, changes));
        }
    }

    /** The editor reads only the trees on the changed paths: an unrelated subtree that is missing is never read. */
    @org.junit.jupiter.api.Test
    void readsOnlyTheTreesOnTheChangedPaths() throws Exception {
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
                ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = ins.newReader()) {
            TreeFormatter root = new TreeFormatter();
            ObjectId absent = ObjectId.fromString("0123456789012345678901234567890123456789");
            TreeFormatter dir = new TreeFormatter();
            dir.append("w.yaml", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, Constants.encode("x")));
            root.append("other", FileMode.TREE, absent); // would fail to load if read
            root.append("proj", FileMode.TREE, ins.insert(dir));
            ObjectId base = ins.insert(root);
            ObjectId tree = TreeEdits.apply(reader, ins, base,
                    List.of(FileChange.of("proj/w.yaml", "y", FileChange.Kind.UPDATED)));
            try (TreeWalk w = TreeWalk.forPath(repo, "other", tree)) {
                assertThat(w.getObjectId(0)).isEqualTo(absent);
            }
            try (TreeWalk w = TreeWalk.forPath(repo, "proj/w.yaml", tree)) {
                assertThat(new String(reader.open(w.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("y");
            }
            assertThat(TreeEdits.apply(reader, ins, base, List.of(FileChange.of("proj/w.yaml", "x",
                    FileChange.Kind.UPDATED)))).as("nothing differs: the base tree").isEqualTo(base);
        }
    }
}
