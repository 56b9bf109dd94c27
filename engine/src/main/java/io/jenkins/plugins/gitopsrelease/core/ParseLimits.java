package io.jenkins.plugins.gitopsrelease.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one place where every parser of untrusted input gets its limits: YAML nesting, aliases and document size,
 * JSON nesting and document size, and the size of any file read whole. Hostile or broken input then fails fast
 * with an {@link InvalidInputException} that names the limit, instead of a stack overflow, an alias bomb or a
 * parse that runs for minutes. {@link #json()} and {@link #yaml()} are the mappers to read with; {@link #checkYaml}
 * guards a library parser that has no limits of its own; {@code gitops.YamlDocs} composes with the same options.
 */
public final class ParseLimits {
    /** Collections nested inside each other; real GitOps files and kubeconfigs stay under 30. */
    public static final int MAX_NESTING = 200;
    /** Aliases of collections per YAML document: a handful is normal, an alias bomb needs many. */
    public static final int MAX_ALIASES = 50;
    /** Nodes a YAML document may expand to after aliases are resolved. */
    public static final int MAX_EXPANDED_NODES = 1_000_000;
    /** Characters of one YAML document (4 Mi): a GitOps file or kubeconfig is kilobytes; this keeps parses fast. */
    public static final int MAX_YAML_DOCUMENT = 4 * 1024 * 1024;
    /**
     * Characters of one run without white space in YAML. SnakeYAML's reader copies its window for every 1024
     * characters of a token it has not finished, so a token of n characters costs n²/2048 copies: 1 Mi is a quarter
     * of a second, the 4 Mi a document may hold would be many seconds.
     */
    public static final int MAX_YAML_TOKEN = 1024 * 1024;
    /** Characters of one JSON document, and bytes of one file read whole (16 MiB). */
    public static final int MAX_DOCUMENT = 16 * 1024 * 1024;
    /** Characters of one JSON string or number. */
    public static final int MAX_STRING = 4 * 1024 * 1024;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING).maxDocumentLength(MAX_DOCUMENT).maxStringLength(MAX_STRING)
            .maxNumberLength(1000).build();

    private ParseLimits() {
    }

    /** SnakeYAML options with the limits above (the same for our composer and Jackson's YAML parser). */
    public static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setCodePointLimit(MAX_YAML_DOCUMENT);
        o.setNestingDepthLimit(MAX_NESTING);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    /** A new JSON mapper whose parser enforces the limits (configure it further as needed). */
    public static ObjectMapper json() {
        return new ObjectMapper(jsonFactory());
    }

    /** The JSON factory with the limits, for {@code JsonMapper.builder(...)}. */
    public static JsonFactory jsonFactory() {
        return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
    }

    /** A new YAML mapper whose parser enforces the limits. */
    public static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions())
                .streamReadConstraints(CONSTRAINTS).build());
    }

    /** Reads a whole file, refusing one over {@link #MAX_DOCUMENT} bytes before reading it. */
    public static byte[] readFile(String field, Path file) {
        try {
            if (Files.size(file) > MAX_DOCUMENT) {
                throw InvalidInputException.invalid(field, file, "the file is over the limit of " + MAX_DOCUMENT
                        + " bytes; give the real file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] b = in.readNBytes(MAX_DOCUMENT + 1);
                if (b.length > MAX_DOCUMENT) {
                    throw InvalidInputException.invalid(field, file, "the file is over the limit of " + MAX_DOCUMENT
                            + " bytes; give the real file");
                }
                return b;
            }
        } catch (IOException e) {
            throw InvalidInputException.invalid(field, file, "cannot be read ("
                    + e.getClass().getSimpleName() + "); give a readable file");
        }
    }

    /** Parses JSON with the limits; a limit or syntax error is an {@link InvalidInputException} naming {@code where}. */
    public static JsonNode readJson(byte[] json, String where) {
        try {
            return tree(json);
        } catch (IOException e) {
            throw new InvalidInputException(where + ": " + describe(e) + ": give valid JSON");
        } catch (StackOverflowError e) {
            throw new InvalidInputException(where + ": nested too deeply: " + nestingLimit());
        }
    }

    private static final JsonFactory FACTORY = jsonFactory();

    /**
     * Parses JSON into the tree {@code ObjectMapper.readTree} gives (a generated-input test compares the two), with
     * the limits, from jackson-core's streaming parser: no mapper is made. A mapper's first use costs 60-80 ms of a
     * CLI run (its default date format loads the locale data), and the registry verbs only read trees. Empty input
     * is a {@code MissingNode}; what follows the first value is ignored, as the mapper does.
     */
    public static JsonNode tree(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            return t == null ? MissingNode.getInstance() : node(p, t);
        }
    }

    private static JsonNode node(JsonParser p, JsonToken t) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, node(p, p.nextToken())); // a repeated key: the last value wins, as in the mapper
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(node(p, e));
                }
                return a;
            }
            case VALUE_STRING:
                return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return f.numberNode(p.getIntValue());
                    case LONG:
                        return f.numberNode(p.getLongValue());
                    default:
                        return f.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL ? f.numberNode(p.getDecimalValue())
                        : f.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return f.booleanNode(true);
            case VALUE_FALSE:
                return f.booleanNode(false);
            case VALUE_NULL:
                return f.nullNode();
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    /**
     * One line for a parse failure: a broken limit names the limit; otherwise the parser's own short message
     * (without the source excerpt Jackson appends, which may hold a secret).
     */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException s) {
                return "over a parse limit (" + oneLine(s.getOriginalMessage()) + ")";
            }
            String m = t.getMessage();
            if (m != null && (m.contains("nesting depth") || m.contains("Nesting Depth")
                    || m.contains("exceeds the limit") || m.contains("aliases for non-scalar"))) {
                return "over a parse limit (" + limits() + ")";
            }
        }
        if (e instanceof com.fasterxml.jackson.core.JacksonException j) {
            String loc = j.getLocation() == null || j.getLocation().getLineNr() < 0 ? ""
                    : " at line " + j.getLocation().getLineNr();
            return "malformed" + loc + " (" + oneLine(j.getOriginalMessage()) + ")";
        }
        return "malformed (" + e.getClass().getSimpleName() + ")";
    }

    /** The limits, for messages. */
    public static String limits() {
        return "limits: nesting " + MAX_NESTING + ", " + MAX_ALIASES + " aliases, " + MAX_YAML_DOCUMENT
                + " characters of YAML, " + MAX_DOCUMENT + " of JSON";
    }

    public static String nestingLimit() {
        return "the limit is " + MAX_NESTING + " levels of nesting";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\p{Cntrl}]+", " ").trim();
        return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }

    /** Fails when a parser's nesting limit would not have been enforced (for callers that walk trees). */
    public static void checkDepth(int depth, String where) {
        if (depth > MAX_NESTING) {
            throw new InvalidInputException(where + ": nested too deeply: " + nestingLimit());
        }
    }

    /**
     * The size checks a YAML text must pass before any parser sees it (linear, and so cheaper than what they
     * prevent): the document size and the longest run without white space ({@link #MAX_YAML_TOKEN}).
     */
    public static String checkYamlText(String text, String where) {
        if (text.length() > MAX_YAML_DOCUMENT) {
            throw new InvalidInputException(where + ": YAML over the limit of " + MAX_YAML_DOCUMENT
                    + " characters: split the file or remove what does not belong in it");
        }
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                run = 0;
            } else if (++run > MAX_YAML_TOKEN) {
                throw new InvalidInputException(where + ": a YAML value runs over " + MAX_YAML_TOKEN + " characters"
                        + " without a space or line break (the limit): break it into a block scalar or move it out");
            }
        }
        return text;
    }

    /** Reads a YAML file whole, with the file-size and {@link #checkYamlText} limits. */
    public static String readYaml(String field, Path file) {
        return checkYamlText(new String(readFile(field, file), java.nio.charset.StandardCharsets.UTF_8),
                field + " " + file);
    }

    /**
     * Checks YAML text against the limits before a library that has none of its own parses it (fabric8 reads
     * kubeconfigs with a parser that overflows the stack on deep nesting). Walks every document; an alias that
     * refers to an enclosing collection (a cycle) counts as too deep.
     */
    public static void checkYaml(String text, String where) {
        checkYamlText(text, where);
        try {
            LoaderOptions o = loaderOptions();
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), o),
                    new Resolver(), o);
            while (composer.checkNode()) {
                Node n = composer.getNode();
                if (n != null) {
                    walk(n, 0, new int[] {MAX_EXPANDED_NODES}, where);
                }
            }
        } catch (YAMLException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new InvalidInputException(where + ": "
                    + (m.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(exceed|limit|nesting depth).*")
                    ? "over a parse limit (" + limits() + ")"
                    : "malformed YAML") + ": fix the file");
        }
    }

    private static void walk(Node n, int depth, int[] budget, String where) {
        checkDepth(depth, where);
        if (--budget[0] < 0) {
            throw new InvalidInputException(where + ": YAML expands to more than " + MAX_EXPANDED_NODES
                    + " nodes through aliases: remove the aliases");
        }
        if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) {
                walk(c, depth + 1, budget, where);
            }
        } else if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                walk(t.getKeyNode(), depth + 1, budget, where);
                walk(t.getValueNode(), depth + 1, budget, where);
            }
        }
    }
}
