package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Applies {@link FileChange}s to a tree in memory (an in-core index built from the base tree), writing only the new
 * blobs and trees. Nothing is checked out.
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
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, baseTree);
        builder.finish();
        for (String path : byPath.keySet()) {
            checkNoFileDirectoryClash(index, path);
        }
        DirCacheEditor editor = index.editor();
        for (FileChange c : byPath.values()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, c.content());
            editor.add(new DirCacheEditor.PathEdit(c.path()) {
                @Override
                public void apply(DirCacheEntry ent) {
                    // Keep an existing executable bit; new files are plain.
                    if (!FileMode.EXECUTABLE_FILE.equals(ent.getFileMode())) {
                        ent.setFileMode(FileMode.REGULAR_FILE);
                    }
                    ent.setObjectId(blob);
                }
            });
        }
        editor.finish();
        ObjectId tree = index.writeTree(inserter);
        inserter.flush();
        return tree;
    }

    /** Writing "a/b" where "a" is a file (or "a" where "a/" is a directory) would silently delete content. */
    private static void checkNoFileDirectoryClash(DirCache index, String path) {
        if (index.getEntriesWithin(path).length > 0) {
            throw new InvalidInputException("path '" + path + "' is a directory in the GitOps repository: generation"
                    + " cannot replace a directory with a file");
        }
        int slash = path.indexOf('/');
        while (slash > 0) {
            String parent = path.substring(0, slash);
            if (index.findEntry(parent) >= 0) {
                throw new InvalidInputException("path '" + path + "' needs '" + parent + "' to be a directory, but it is"
                        + " a file in the GitOps repository");
            }
            slash = path.indexOf('/', slash + 1);
        }
    }
}
