package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes YAML the way occ does: occ marshals with sigs.k8s.io/yaml (JSON first, then Go yaml.v2), so this is a port
 * of the relevant part of yaml.v2's encoder and libyaml emitter: map keys in yaml.v2's order at every level, block
 * style with 2-space indentation, compact sequences under mapping keys, {@code {}}/{@code []} for empty collections,
 * strings double-quoted when they would read as another type, single-quoted when plain style is not allowed, {@code |}
 * blocks for multi-line strings, and plain/quoted scalars folded at spaces past column 80 (yaml.v2's best width).
 */
public final class OccYaml {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
            + "(?:[Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\\.[0-9]{1,9})?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?");
    private static final Pattern GO_INT = Pattern.compile(
            "[-+]?(0[bB][01]+|0[oO]?[0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)");
    private static final java.util.Set<String> RESOLVE_MAP = java.util.Set.of(
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
            "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
            "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");

    /** yaml.v2's key order: letters by code point, digit runs by numeric value, non-letters before letters. */
    public static final Comparator<String> KEY_ORDER = OccYaml::compareKeys;

    private final StringBuilder out = new StringBuilder();
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;

    private OccYaml() {
    }

    /** The document as occ would write it, ending with a newline. */
    public static String write(JsonNode doc) {
        OccYaml e = new OccYaml();
        e.node(doc, -1, false, false, false);
        e.writeIndent(0); // document end: libyaml breaks the last line
        return e.out.toString();
    }

    /** Several documents separated by {@code ---}, for files that hold more than one. */
    public static String writeAll(List<JsonNode> docs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                sb.append("---\n");
            }
            sb.append(write(docs.get(i)));
        }
        return sb.toString();
    }

    // ---- structure ---------------------------------------------------------------------------------------------

    private void node(JsonNode n, int indent, boolean sequence, boolean mapping, boolean simpleKey) {
        if (n.isObject() && n.size() > 0) {
            blockMapping(n, indent);
        } else if (n.isArray() && n.size() > 0) {
            blockSequence(n, indent, mapping);
        } else if (n.isObject()) {
            writeIndicator("{", true, true, false);
            writeIndicator("}", false, false, false);
        } else if (n.isArray()) {
            writeIndicator("[", true, true, false);
            writeIndicator("]", false, false, false);
        } else {
            scalar(n, indent, simpleKey);
        }
    }

    private void blockMapping(JsonNode map, int parentIndent) {
        int indent = parentIndent < 0 ? 0 : parentIndent + BEST_INDENT;
        List<String> keys = new ArrayList<>();
        map.fieldNames().forEachRemaining(keys::add);
        keys.sort(KEY_ORDER);
        for (String k : keys) {
            writeIndent(indent);
            JsonNode key = com.fasterxml.jackson.databind.node.TextNode.valueOf(k);
            if (k.length() <= 128 && k.indexOf('\n') < 0) {
                node(key, indent, false, true, true);
                writeIndicator(":", false, false, false);
            } else {
                writeIndicator("?", true, false, true);
                node(key, indent, false, true, false);
                writeIndent(indent);
                writeIndicator(":", true, false, true);
            }
            node(map.get(k), indent, false, true, false);
        }
    }

    private void blockSequence(JsonNode seq, int parentIndent, boolean mappingContext) {
        int indent;
        if (parentIndent < 0) {
            indent = 0;
        } else if (mappingContext && !indention) {
            indent = parentIndent; // compact: "key:\n- item"
        } else {
            indent = parentIndent + BEST_INDENT;
        }
        for (JsonNode item : seq) {
            writeIndent(indent);
            writeIndicator("-", true, false, true);
            node(item, indent, true, false, false);
        }
    }

    // ---- scalars -----------------------------------------------------------------------------------------------

    private void scalar(JsonNode n, int parentIndent, boolean simpleKey) {
        int indent = parentIndent < 0 ? BEST_INDENT : parentIndent + BEST_INDENT;
        if (n.isTextual()) {
            string(n.textValue(), indent, simpleKey);
        } else if (n.isNull() || n.isMissingNode()) {
            plain("null", indent, !simpleKey);
        } else if (n.isBoolean()) {
            plain(n.booleanValue() ? "true" : "false", indent, !simpleKey);
        } else if (n.isIntegralNumber()) {
            plain(n.bigIntegerValue().toString(), indent, !simpleKey);
        } else if (n.isNumber()) {
            plain(formatFloat(n.doubleValue()), indent, !simpleKey);
        } else {
            string(n.asText(), indent, simpleKey);
        }
    }

    private void string(String s, int indent, boolean simpleKey) {
        Analysis a = analyze(s);
        Style style;
        if (s.indexOf('\n') >= 0) {
            style = Style.LITERAL;
        } else if (resolvesAsString(s)) {
            style = Style.PLAIN;
        } else {
            style = Style.DOUBLE;
        }
        if (style == Style.PLAIN) {
            if (!a.blockPlainAllowed || (s.isEmpty() && simpleKey)) {
                style = Style.SINGLE;
            }
        }
        if (style == Style.SINGLE && !a.singleQuotedAllowed) {
            style = Style.DOUBLE;
        }
        if (style == Style.LITERAL && (!a.blockAllowed || simpleKey)) {
            style = Style.DOUBLE;
        }
        switch (style) {
            case PLAIN -> plain(s, indent, !simpleKey);
            case SINGLE -> singleQuoted(s, indent, !simpleKey);
            case DOUBLE -> doubleQuoted(s, indent, !simpleKey);
            default -> literal(s, indent);
        }
    }

    private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

    record Analysis(boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {
    }

    /** libyaml's yaml_emitter_analyze_scalar, block context only. */
    static Analysis analyze(String s) {
        if (s.isEmpty()) {
            return new Analysis(true, true, false);
        }
        boolean blockIndicators = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean previousSpace = false;
        boolean previousBreak = false;
        boolean lineBreaks = false;
        boolean special = false;
        if (s.startsWith("---") || s.startsWith("...")) {
            blockIndicators = true;
        }
        boolean precededByWhitespace = true;
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            boolean followedByWhitespace = i + 1 >= cps.length || isBlankOrBreak(cps[i + 1]);
            if (i == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                    blockIndicators = true;
                }
                if ((c == '?' || c == ':') && followedByWhitespace) {
                    blockIndicators = true;
                }
                if (c == '-' && followedByWhitespace) {
                    blockIndicators = true;
                }
            } else {
                if (c == ':' && followedByWhitespace) {
                    blockIndicators = true;
                }
                if (c == '#' && precededByWhitespace) {
                    blockIndicators = true;
                }
            }
            if (!isPrintable(c)) {
                special = true;
            }
            if (c == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i == cps.length - 1) {
                    trailingSpace = true;
                }
                if (previousBreak) {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(c)) {
                lineBreaks = true;
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i == cps.length - 1) {
                    trailingBreak = true;
                }
                if (previousSpace) {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlankOrBreak(c);
        }
        boolean blockPlain = true;
        boolean single = true;
        boolean block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            blockPlain = false;
        }
        if (trailingSpace) {
            block = false;
        }
        if (breakSpace) {
            blockPlain = false;
            single = false;
        }
        if (spaceBreak || special) {
            blockPlain = false;
            single = false;
            block = false;
        }
        if (lineBreaks) {
            blockPlain = false;
        }
        if (blockIndicators) {
            blockPlain = false;
        }
        return new Analysis(blockPlain, single, block);
    }

    private static boolean isBreak(int c) {
        return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    private static boolean isBlankOrBreak(int c) {
        return c == ' ' || c == '\t' || isBreak(c);
    }

    /** yaml.v2's is_printable over UTF-8: tab and characters outside the BMP count as special. */
    private static boolean isPrintable(int c) {
        return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    /** Whether yaml.v2 would read the plain text back as a string (its resolve() plus the base-60 float check). */
    static boolean resolvesAsString(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char h = s.charAt(0);
        boolean mapHint = "yYnNtTfFoO~".indexOf(h) >= 0;
        boolean numHint = h == '+' || h == '-' || (h >= '0' && h <= '9');
        if (!mapHint && !numHint && h != '.') {
            return true; // yaml.v2 resolves nothing else (fast path: most strings start with a letter or '$')
        }
        if ((mapHint || numHint || h == '.') && RESOLVE_MAP.contains(s)) {
            return false;
        }
        if (h == '.') {
            try {
                Double.parseDouble(s);
                return !YAML_FLOAT.matcher(s).matches() && !s.matches("\\.[0-9]+([eE][-+]?[0-9]+)?");
            } catch (NumberFormatException e) {
                return true;
            }
        }
        if (numHint) {
            if (TIMESTAMP.matcher(s).matches()) {
                return false;
            }
            String plain = s.replace("_", "");
            if (GO_INT.matcher(plain).matches() || YAML_FLOAT.matcher(plain).matches()) {
                return false;
            }
        }
        return !numHint || !BASE60_FLOAT.matcher(s).matches();
    }

    // ---- writers (libyaml) -------------------------------------------------------------------------------------

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putCodePoint(int cp) {
        out.appendCodePoint(cp);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void writeIndent(int indent) {
        int i = Math.max(indent, 0);
        if (!indention || column > i || (column == i && !whitespace)) {
            putBreak();
        }
        while (column < i) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String ind, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        for (int i = 0; i < ind.length(); i++) {
            put(ind.charAt(i));
        }
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void plain(String s, int indent, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        boolean spaces = false;
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < cps.length && cps[i + 1] == ' ')) {
                    writeIndent(indent);
                } else {
                    putCodePoint(c);
                }
                spaces = true;
            } else {
                putCodePoint(c);
                indention = false;
                spaces = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void singleQuoted(String s, int indent, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i != 0 && i != cps.length - 1
                        && cps[i + 1] != ' ') {
                    writeIndent(indent);
                } else {
                    putCodePoint(c);
                }
                spaces = true;
            } else {
                if (c == '\'') {
                    put('\'');
                }
                putCodePoint(c);
                indention = false;
                spaces = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void doubleQuoted(String s, int indent, boolean allowBreaks) {
        writeIndicator("\"", true, false, false);
        boolean spaces = false;
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (!isPrintable(c) || c == 0xFEFF || isBreak(c) || c == '"' || c == '\\') {
                put('\\');
                switch (c) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        String hex = Integer.toHexString(c).toUpperCase();
                        int width = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
                        put(c <= 0xFF ? 'x' : c <= 0xFFFF ? 'u' : 'U');
                        for (int p = hex.length(); p < width; p++) {
                            put('0');
                        }
                        for (int p = 0; p < hex.length(); p++) {
                            put(hex.charAt(p));
                        }
                    }
                }
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i != 0 && i != cps.length - 1) {
                    writeIndent(indent);
                    if (cps[i + 1] == ' ') {
                        put('\\');
                    }
                } else {
                    putCodePoint(c);
                }
                spaces = true;
            } else {
                putCodePoint(c);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void literal(String s, int indent) {
        writeIndicator("|", true, false, false);
        if (s.startsWith(" ") || s.startsWith("\n")) {
            writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
        }
        if (!s.endsWith("\n")) {
            writeIndicator("-", false, false, false);
        } else if (s.length() == 1 || s.endsWith("\n\n")) {
            writeIndicator("+", false, false, false);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        int[] cps = s.codePoints().toArray();
        for (int c : cps) {
            if (c == '\n') {
                putBreak();
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent(indent);
                    breaks = false;
                }
                putCodePoint(c);
                indention = false;
            }
        }
    }

    // ---- numbers and keys --------------------------------------------------------------------------------------

    /** Go's strconv.FormatFloat(f, 'g', -1, 64) as yaml.v2 uses it; whole numbers arrive as ints via JSON. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toBigInteger().toString();
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - bd.scale() - 1;
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) { // Go: shortest 'g' switches to %e at exponent 6
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + bd.toPlainString();
    }

    static int compareKeys(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return Integer.compare(ar[i], br[i]);
            }
            if (al || bl) {
                return bl ? -1 : 1;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return Long.compare(an, bn);
            }
            if (ai != bi) {
                return Integer.compare(ai, bi);
            }
            return Integer.compare(ar[i], br[i]);
        }
        return Integer.compare(ar.length, br.length);
    }
}
