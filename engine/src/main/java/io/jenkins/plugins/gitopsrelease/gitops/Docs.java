package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turning documents into {@link FileChange}s. */
final class Docs {
    private Docs() {
    }

    /** A change writing one document to {@code path}; null when the file already has exactly that content. */
    static FileChange write(RepoFiles files, String path, JsonNode doc) {
        RepoPaths.check(path);
        byte[] content = OccYaml.write(doc).getBytes(StandardCharsets.UTF_8);
        return change(files, path, content);
    }

    /**
     * A change replacing document {@code docIndex} of a file and re-writing the others in occ's style (occ rewrites
     * such files whole too; comments are lost either way).
     */
    static FileChange replace(RepoFiles files, String path, int docIndex, JsonNode doc) {
        String text = new String(files.read(path).orElseThrow(() -> new InvalidInputException(path
                + " disappeared while generating: run again")), StandardCharsets.UTF_8);
        List<YamlDocs.Doc> docs = YamlDocs.parseAll(text, path);
        if (docs.size() <= 1) {
            return write(files, path, doc);
        }
        List<JsonNode> trees = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            trees.add(i == docIndex ? doc : docs.get(i).tree());
        }
        return change(files, path, OccYaml.writeAll(trees).getBytes(StandardCharsets.UTF_8));
    }

    private static FileChange change(RepoFiles files, String path, byte[] content) {
        var old = files.read(path);
        if (old.isPresent() && java.util.Arrays.equals(old.get(), content)) {
            return null;
        }
        return new FileChange(path, content, old.isPresent() ? FileChange.Kind.UPDATED : FileChange.Kind.CREATED);
    }
}
