package io.jenkins.plugins.gitopsrelease.gitops;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.image.ImageRefs;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.files.RepoPaths;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Sets an image in a repository that does not use OpenChoreo: a kustomization's {@code images:} entry
 * (newName/newTag/digest), a Helm values path ({@code image.repository}/{@code image.tag}, or a single string), or
 * any YAML path. The edit is textual and minimal: scalars are located through SnakeYAML's node marks and replaced in
 * place, keeping comments, key order, quoting style and everything else of the file byte for byte.
 */
public final class SetImage {
    public enum Mode { KUSTOMIZE, HELM, YAML_PATH }

    private final RepoFiles files;
    private String file;
    private Mode mode;
    private String path;
    private String image;

    private SetImage(RepoFiles files) {
        this.files = files;
    }

    public static SetImage on(RepoFiles files) {
        return new SetImage(files);
    }

    public SetImage file(String file) {
        this.file = file;
        return this;
    }

    public SetImage kustomize() {
        this.mode = Mode.KUSTOMIZE;
        return this;
    }

    public SetImage helmPath(String dotted) {
        this.mode = Mode.HELM;
        this.path = dotted;
        return this;
    }

    public SetImage yamlPath(String dotted) {
        this.mode = Mode.YAML_PATH;
        this.path = dotted;
        return this;
    }

    public SetImage image(String image) {
        this.image = image;
        return this;
    }

    public record Result(String file, boolean changed, List<FileChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    /**
     * name[:tag][@digest] as the user wrote it (kustomize's newName keeps "nginx", not Docker's normalised
     * "docker.io/library/nginx"); validated by the shared parser first.
     */
    record ImageRef(String repository, String tag, String digest) {
        static ImageRef parse(String ref) {
            var parsed = ImageRefs.parse("--image", ref);
            String rest = ref.trim();
            String digest = parsed.getDigest().orElse(null);
            if (digest != null) {
                rest = rest.substring(0, rest.indexOf('@'));
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new ImageRef(rest, tag, digest);
        }

        String full() {
            return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        }
    }

    /** One textual edit: replace [start, end) of the text. */
    private record Edit(int start, int end, String text) {
    }

    public Result call() {
        RepoPaths.check(file);
        if (mode == null) {
            throw new InvalidInputException("choose one of --kustomize, --helm-path or --yaml-path");
        }
        ImageRef ref = ImageRef.parse(image);
        String text = new String(files.read(file).orElseThrow(() -> InvalidInputException.invalid("--file", file,
                "no such file in " + files.describe())), StandardCharsets.UTF_8);
        Node root;
        try {
            root = new Yaml(YamlDocs.options()).compose(new StringReader(ParseLimits.checkYamlText(text, file)));
        } catch (YAMLException e) {
            throw new InvalidInputException(file + ": malformed YAML: " + e.getMessage().replace('\n', ' ')
                    + " (" + ParseLimits.limits() + ")");
        }
        if (!(root instanceof MappingNode map)) {
            throw new InvalidInputException(file + ": expected a YAML mapping at the top level");
        }
        YamlDocs.toJson(root, file); // the same nesting and alias limits as every other read of GitOps YAML
        List<Edit> edits = new ArrayList<>();
        switch (mode) {
            case KUSTOMIZE -> kustomize(text, map, ref, edits);
            case HELM -> {
                Node n = at(map, path);
                if (n instanceof ScalarNode s) {
                    edits.add(replace(text, s, ref.full()));
                } else if (n instanceof MappingNode m) {
                    helm(text, m, ref, edits);
                } else {
                    throw InvalidInputException.invalid("--helm-path", path, file + " has no value there");
                }
            }
            default -> {
                Node n = at(map, path);
                if (!(n instanceof ScalarNode s)) {
                    throw InvalidInputException.invalid("--yaml-path", path, file + " has no scalar value there");
                }
                edits.add(replace(text, s, ref.full()));
            }
        }
        String edited = applyEdits(text, edits);
        if (edited.equals(text)) {
            return new Result(file, false, List.of());
        }
        try {
            YamlDocs.parseAll(edited, file);
        } catch (InvalidInputException e) {
            throw new OperationFailedException("set-image produced invalid YAML for " + file + " (a bug): " + e.getMessage());
        }
        return new Result(file, true, List.of(new FileChange(file, edited.getBytes(StandardCharsets.UTF_8),
                FileChange.Kind.UPDATED)));
    }

    private void kustomize(String text, MappingNode map, ImageRef ref, List<Edit> edits) {
        Node images = get(map, "images");
        if (images == null) {
            String block = "images:\n- name: " + scalar(ref.repository())
                    + (ref.tag() == null ? "" : "\n  newTag: " + scalar(ref.tag()))
                    + (ref.digest() == null ? "" : "\n  digest: " + scalar(ref.digest())) + "\n";
            edits.add(new Edit(text.length(), text.length(), (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + block));
            return;
        }
        if (!(images instanceof SequenceNode seq)) {
            throw new InvalidInputException(file + ": 'images' is not a list");
        }
        List<MappingNode> entries = seq.getValue().stream().filter(MappingNode.class::isInstance)
                .map(MappingNode.class::cast).toList();
        String repo = ref.repository();
        Optional<MappingNode> match = entries.stream().filter(e -> repo.equals(value(e, "name"))).findFirst();
        if (match.isEmpty()) {
            match = entries.stream().filter(e -> repo.equals(value(e, "newName"))).findFirst();
        }
        if (match.isEmpty() && entries.size() == 1) {
            match = Optional.of(entries.get(0));
        }
        MappingNode e = match.orElseThrow(() -> new InvalidInputException(file + ": no images entry for '" + repo
                + "' among " + entries.stream().map(x -> value(x, "name")).toList()
                + ": add one, or give the image by the name the kustomization uses"));
        if (!repo.equals(value(e, "name")) || get(e, "newName") != null) {
            set(text, e, "newName", repo, edits);
        }
        if (ref.tag() != null) {
            set(text, e, "newTag", ref.tag(), edits);
        }
        if (ref.digest() != null) {
            set(text, e, "digest", ref.digest(), edits);
        } else if (get(e, "digest") != null) {
            remove(text, e, "digest", edits);
        }
    }

    private void helm(String text, MappingNode m, ImageRef ref, List<Edit> edits) {
        String repo = ref.repository();
        if (get(m, "registry") != null && repo.contains("/")) {
            int slash = repo.indexOf('/');
            set(text, m, "registry", repo.substring(0, slash), edits);
            set(text, m, "repository", repo.substring(slash + 1), edits);
        } else {
            set(text, m, "repository", repo, edits);
        }
        if (ref.tag() != null) {
            set(text, m, "tag", ref.tag(), edits);
        }
        if (ref.digest() != null) {
            set(text, m, "digest", ref.digest(), edits);
        } else if (get(m, "digest") != null) {
            set(text, m, "digest", "", edits);
        }
    }

    // ---- node helpers ------------------------------------------------------------------------------------------

    private Node at(MappingNode root, String dotted) {
        if (dotted == null || dotted.isBlank()) {
            throw new InvalidInputException("a dotted path such as image.tag is required");
        }
        Node cur = root;
        for (String seg : dotted.split("\\.")) {
            if (cur instanceof MappingNode m) {
                cur = get(m, seg);
            } else if (cur instanceof SequenceNode s && seg.matches("[0-9]{1,9}") && Integer.parseInt(seg) < s.getValue().size()) {
                cur = s.getValue().get(Integer.parseInt(seg));
            } else {
                return null;
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static Node get(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static String value(MappingNode m, String key) {
        return get(m, key) instanceof ScalarNode s ? s.getValue() : null;
    }

    private void set(String text, MappingNode m, String key, String v, List<Edit> edits) {
        Node n = get(m, key);
        if (n instanceof ScalarNode s) {
            if (!s.getValue().equals(v)) {
                edits.add(replace(text, s, v));
            }
            return;
        }
        if (n != null) {
            throw new InvalidInputException(file + ": '" + key + "' is not a scalar; cannot set it");
        }
        edits.add(insert(text, m, key, v));
    }

    private Edit replace(String text, ScalarNode s, String v) {
        int start = offset(text, s.getStartMark().getIndex());
        int end = offset(text, s.getEndMark().getIndex());
        String quoted = switch (s.getScalarStyle()) {
            case DOUBLE_QUOTED -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case SINGLE_QUOTED -> "'" + v.replace("'", "''") + "'";
            case PLAIN -> scalar(v);
            default -> throw new InvalidInputException(file + ":" + (s.getStartMark().getLine() + 1)
                    + ": the value is a block scalar; make it a plain or quoted string first");
        };
        return new Edit(start, end, quoted);
    }

    /** Adds {@code key: v} to a mapping after its last entry, with the indentation of its first key. */
    private Edit insert(String text, MappingNode m, String key, String v) {
        if (m.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            int close = offset(text, m.getEndMark().getIndex()) - 1;
            return new Edit(close, close, (m.getValue().isEmpty() ? "" : ", ") + key + ": " + scalar(v));
        }
        NodeTuple first = m.getValue().get(0);
        int col = first.getKeyNode().getStartMark().getColumn();
        NodeTuple last = m.getValue().get(m.getValue().size() - 1);
        int end = offset(text, last.getValueNode().getEndMark().getIndex());
        // end of that line (block values end at the start of the next line already)
        int lineEnd = end > 0 && text.charAt(end - 1) == '\n' ? end - 1 : text.indexOf('\n', end);
        if (lineEnd < 0) {
            return new Edit(text.length(), text.length(), "\n" + " ".repeat(col) + key + ": " + scalar(v) + "\n");
        }
        return new Edit(lineEnd, lineEnd, "\n" + " ".repeat(col) + key + ": " + scalar(v));
    }

    private void remove(String text, MappingNode m, String key, List<Edit> edits) {
        if (m.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            throw new InvalidInputException(file + ": cannot remove '" + key + "' from a flow mapping: write it in"
                    + " block style");
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                int start = offset(text, k.getStartMark().getIndex());
                int lineStart = text.lastIndexOf('\n', start - 1) + 1;
                boolean ownLine = text.substring(lineStart, start).isBlank();
                int end = offset(text, t.getValueNode().getEndMark().getIndex());
                int lineEnd = text.indexOf('\n', end);
                if (ownLine) {
                    edits.add(new Edit(lineStart, lineEnd < 0 ? text.length() : lineEnd + 1, ""));
                } else {
                    throw new InvalidInputException(file + ": cannot remove '" + key + "' (it shares a line with"
                            + " '- '): put it on a line of its own");
                }
            }
        }
    }

    /** A plain scalar when YAML reads it back as that string, otherwise double-quoted. */
    private static String scalar(String v) {
        if (OccYaml.resolvesAsString(v) && OccYaml.analyze(v).blockPlainAllowed()) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int offset(String text, int codePointIndex) {
        return text.offsetByCodePoints(0, Math.min(codePointIndex, text.codePointCount(0, text.length())));
    }

    private static String applyEdits(String text, List<Edit> edits) {
        // Back to front, so earlier offsets stay valid; inserts at one offset keep their order.
        List<Edit> sorted = new ArrayList<>(edits);
        java.util.Collections.reverse(sorted);
        sorted.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder sb = new StringBuilder(text);
        for (Edit e : sorted) {
            sb.replace(e.start(), e.end(), e.text());
        }
        return sb.toString();
    }
}
