package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The optional {@code <root>/release-config.yaml} (kind ReleaseConfig) that overrides where releases and bindings
 * go. Lookup order per section: {@code projects[p].components[c]}, {@code projects[p].defaultOutputDir}, then the
 * section's {@code defaultOutputDir}. Directories are relative to the root (occ resolves them against the working
 * directory in single-component mode; here they always mean the same place).
 */
public final class ReleaseConfig {
    public static final String FILE = "release-config.yaml";
    private static final ReleaseConfig NONE = new ReleaseConfig(Json.obj());
    private final JsonNode tree;

    private ReleaseConfig(JsonNode tree) {
        this.tree = tree;
    }

    public static ReleaseConfig read(RepoFiles files) {
        Optional<byte[]> bytes = files.read(FILE);
        if (bytes.isEmpty()) {
            return NONE;
        }
        JsonNode t = YamlDocs.parseOne(new String(bytes.get(), StandardCharsets.UTF_8), FILE);
        if (!GitopsIndex.API_VERSION.equals(Json.text(t, "apiVersion")) || !"ReleaseConfig".equals(Json.text(t, "kind"))) {
            throw new InvalidInputException(FILE + ": expected apiVersion " + GitopsIndex.API_VERSION
                    + " and kind ReleaseConfig: fix the header or remove the file");
        }
        return new ReleaseConfig(t);
    }

    public Optional<String> releaseDir(String project, String component) {
        return lookup("componentReleaseDefaults", project, component);
    }

    public Optional<String> bindingDir(String project, String component) {
        return lookup("releaseBindingDefaults", project, component);
    }

    private Optional<String> lookup(String section, String project, String component) {
        JsonNode s = Json.at(tree, section);
        if (s == null) {
            return Optional.empty();
        }
        String v = Json.text(s, "projects", project, "components", component);
        if (v.isEmpty()) {
            v = Json.text(s, "projects", project, "defaultOutputDir");
        }
        if (v.isEmpty()) {
            v = Json.text(s, "defaultOutputDir");
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(dir(FILE + " " + section, v));
    }

    /** A root-relative directory from user text ("./releases", "a/b/"): never absolute, never leaving the root. */
    static String dir(String field, String value) {
        if (value.startsWith("/")) {
            throw InvalidInputException.invalid(field, value, "give a directory relative to the repository root");
        }
        String v = value;
        while (v.startsWith("./")) {
            v = v.substring(2);
        }
        if (v.isEmpty() || v.equals(".")) {
            return "";
        }
        try {
            return RepoPaths.normalize(v);
        } catch (InvalidInputException e) {
            throw InvalidInputException.invalid(field, value, "must stay inside the repository root");
        }
    }

    static String join(String dir, String file) {
        return dir.isEmpty() ? file : dir + "/" + file;
    }
}
