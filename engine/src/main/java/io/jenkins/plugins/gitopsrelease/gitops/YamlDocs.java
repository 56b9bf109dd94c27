package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Safe YAML reading: SnakeYAML's composer (the parser under Jackson YAML) with small limits, turned into Jackson
 * trees. The composer is used directly because Jackson's streaming YAML parser does not resolve aliases (it reports
 * them as strings), and because {@link SetImage} needs the node marks (line/column) for minimal textual edits.
 * Scalars resolve as YAML 1.1, like the Go yaml.v2 library occ uses ({@code yes}/{@code on} are booleans).
 */
public final class YamlDocs {
    /** Aliases of collections per document: a handful is normal, an alias bomb needs many. */
    static final int MAX_ALIASES = ParseLimits.MAX_ALIASES;
    /** Nodes a document may expand to after aliases are resolved (the other half of alias-bomb protection). */
    static final int MAX_EXPANDED_NODES = ParseLimits.MAX_EXPANDED_NODES;
    static final int MAX_CODE_POINTS = ParseLimits.MAX_YAML_DOCUMENT;
    /** Nesting of the converted tree; also what stops an alias that refers to its own enclosing collection. */
    static final int MAX_NESTING = ParseLimits.MAX_NESTING;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Resolver RESOLVER = new Resolver();
    private static final Pattern INT = Pattern.compile("[-+]?(0b[0-1_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|0|[1-9][0-9_]*)");

    private YamlDocs() {
    }

    /** One parsed document: its tree and the composed node (with marks) it came from. */
    public record Doc(JsonNode tree, Node node) {
    }

    static LoaderOptions options() {
        return ParseLimits.loaderOptions();
    }

    /** Every non-empty document of a (multi-document) YAML text; errors name the file and line. */
    public static List<Doc> parseAll(String text, String where) {
        List<Doc> docs = new ArrayList<>();
        ParseLimits.checkYamlText(text, where);
        try {
            // The composer directly (not new Yaml(...)): much cheaper per file, and the resolver is immutable.
            LoaderOptions o = options();
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), o), RESOLVER, o);
            while (composer.checkNode()) {
                Node n = composer.getNode();
                if (n != null) {
                    docs.add(new Doc(toJson(n, where), n));
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InvalidInputException(where + (m == null ? "" : ":" + (m.getLine() + 1)) + ": malformed YAML: "
                    + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
                    + ": fix the file or move it into a directory the index skips");
        } catch (YAMLException e) {
            throw new InvalidInputException(where + ": unreadable YAML: " + oneLine(e.getMessage())
                    + ": fix the file (" + ParseLimits.limits() + ")");
        }
        return docs;
    }

    /** Parses a single-document text (e.g. a descriptor); empty text gives an empty object. */
    public static JsonNode parseOne(String text, String where) {
        List<Doc> docs = parseAll(text, where);
        if (docs.size() > 1) {
            throw new InvalidInputException(where + ": holds " + docs.size() + " YAML documents: give a file with one");
        }
        return docs.isEmpty() ? F.objectNode() : docs.get(0).tree();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').trim();
    }

    static JsonNode toJson(Node n, String where) {
        int[] budget = {MAX_EXPANDED_NODES};
        return convert(n, where, budget, 0);
    }

    private static JsonNode convert(Node n, String where, int[] budget, int depth) {
        if (depth > MAX_NESTING) {
            // The composer limits nesting as written; an alias into its own enclosing collection nests without end.
            throw new InvalidInputException(where + ":" + (n.getStartMark() == null ? "" : n.getStartMark().getLine() + 1)
                    + ": YAML nested deeper than " + MAX_NESTING + " levels (or an alias refers to its own"
                    + " enclosing collection): flatten it or remove the alias");
        }
        if (--budget[0] < 0) {
            throw new InvalidInputException(where + ": YAML document expands to more than " + MAX_EXPANDED_NODES
                    + " nodes through aliases (an alias bomb?): remove the aliases");
        }
        if (n instanceof ScalarNode s) {
            return scalar(s);
        }
        if (n instanceof SequenceNode seq) {
            ArrayNode a = F.arrayNode();
            for (Node item : seq.getValue()) {
                a.add(convert(item, where, budget, depth + 1));
            }
            return a;
        }
        MappingNode m = (MappingNode) n;
        ObjectNode o = F.objectNode();
        List<ObjectNode> merges = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (k.getTag().equals(Tag.MERGE)) {
                JsonNode v = convert(t.getValueNode(), where, budget, depth + 1);
                if (v instanceof ObjectNode vo) {
                    merges.add(vo);
                } else if (v instanceof ArrayNode va) {
                    va.forEach(x -> {
                        if (x instanceof ObjectNode xo) {
                            merges.add(xo);
                        }
                    });
                }
                continue;
            }
            String key = k instanceof ScalarNode ks ? ks.getValue() : convert(k, where, budget, depth + 1).toString();
            if (o.has(key)) {
                throw new InvalidInputException(where + ":" + (k.getStartMark().getLine() + 1) + ": duplicate key '"
                        + key + "' in a mapping: keep one");
            }
            o.set(key, convert(t.getValueNode(), where, budget, depth + 1));
        }
        for (ObjectNode merge : merges) {
            merge.properties().forEach(e -> {
                if (!o.has(e.getKey())) {
                    o.set(e.getKey(), e.getValue());
                }
            });
        }
        return o;
    }

    private static JsonNode scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return F.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return F.booleanNode(switch (v.toLowerCase()) {
                case "true", "yes", "y", "on" -> true;
                default -> false;
            });
        }
        if (tag.equals(Tag.INT)) {
            JsonNode n = parseInt(v);
            if (n != null) {
                return n;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            String f = v.replace("_", "").toLowerCase();
            if (f.endsWith(".inf")) {
                return F.numberNode(f.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            }
            if (f.equals(".nan")) {
                return F.numberNode(Double.NaN);
            }
            try {
                return F.numberNode(Double.parseDouble(f));
            } catch (NumberFormatException e) {
                return F.textNode(v);
            }
        }
        return F.textNode(v);
    }

    private static JsonNode parseInt(String raw) {
        String v = raw.replace("_", "");
        if (!INT.matcher(v).matches()) {
            return null;
        }
        boolean neg = v.startsWith("-");
        if (v.startsWith("-") || v.startsWith("+")) {
            v = v.substring(1);
        }
        BigInteger b;
        try {
            if (v.startsWith("0b")) {
                b = new BigInteger(v.substring(2), 2);
            } else if (v.startsWith("0x")) {
                b = new BigInteger(v.substring(2), 16);
            } else if (v.startsWith("0o")) {
                b = new BigInteger(v.substring(2), 8);
            } else if (v.length() > 1 && v.startsWith("0")) {
                b = new BigInteger(v.substring(1), 8);
            } else {
                b = new BigInteger(v);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (neg) {
            b = b.negate();
        }
        if (b.bitLength() < 32) {
            return F.numberNode(b.intValue());
        }
        if (b.bitLength() < 64) {
            return F.numberNode(b.longValue());
        }
        return F.numberNode(b);
    }
}
