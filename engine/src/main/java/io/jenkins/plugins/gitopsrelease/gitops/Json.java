package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Small helpers over Jackson trees. */
final class Json {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    static JsonNode at(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur == null || cur.isNull() ? null : cur;
    }

    /** The text at a path, or "" when absent or not a scalar. */
    static String text(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v == null || v.isContainerNode() ? "" : v.asText();
    }

    static ObjectNode obj() {
        return F.objectNode();
    }

    static ArrayNode arr() {
        return F.arrayNode();
    }

    /** Deep equality with every number compared as a double (occ round-trips specs through YAML to float64). */
    static boolean specEquals(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!specEquals(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!specEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** True for what Go's omitempty leaves out: null, "", 0, false, empty list or map. */
    static boolean empty(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode()
                || (v.isTextual() && v.textValue().isEmpty())
                || (v.isContainerNode() && v.size() == 0)
                || (v.isBoolean() && !v.booleanValue())
                || (v.isNumber() && v.doubleValue() == 0);
    }

    /** Copies key from src to dst unless omitempty would drop it. */
    static void copyIfSet(JsonNode src, ObjectNode dst, String key) {
        JsonNode v = src == null ? null : src.get(key);
        if (!empty(v)) {
            dst.set(key, v.deepCopy());
        }
    }
}
