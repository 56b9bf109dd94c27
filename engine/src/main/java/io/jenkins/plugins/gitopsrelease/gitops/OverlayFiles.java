package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A {@link RepoFiles} that shows pending {@link FileChange}s over a base, so a later step sees what an earlier
 * step would write without anything being written. {@link #merged()} folds the layers into one change per path.
 */
public final class OverlayFiles implements RepoFiles {
    private final RepoFiles base;
    private final Map<String, FileChange> pending = new LinkedHashMap<>();

    public OverlayFiles(RepoFiles base) {
        this.base = base;
    }

    public OverlayFiles(RepoFiles base, Collection<FileChange> changes) {
        this(base);
        add(changes);
    }

    public RepoFiles base() {
        return base;
    }

    /** Layers more changes on top; a path changed twice keeps CREATED if the base did not have it. */
    public OverlayFiles add(Collection<FileChange> changes) {
        for (FileChange c : changes) {
            FileChange.Kind kind = base.exists(c.path()) ? FileChange.Kind.UPDATED : FileChange.Kind.CREATED;
            pending.put(c.path(), new FileChange(c.path(), c.content(), kind));
        }
        return this;
    }

    /** The pending changes, one per path, in the order they were first made. */
    public List<FileChange> merged() {
        return List.copyOf(pending.values());
    }

    @Override
    public List<String> list() {
        TreeSet<String> all = new TreeSet<>(base.list());
        all.addAll(pending.keySet());
        return new ArrayList<>(all);
    }

    @Override
    public Optional<byte[]> read(String path) {
        FileChange c = pending.get(path);
        return c != null ? Optional.of(c.content()) : base.read(path);
    }

    @Override
    public void prefetch(Collection<String> paths) {
        base.prefetch(paths.stream().filter(p -> !pending.containsKey(p)).toList());
    }

    @Override
    public String describe() {
        return base.describe() + " (+" + pending.size() + " pending)";
    }
}
