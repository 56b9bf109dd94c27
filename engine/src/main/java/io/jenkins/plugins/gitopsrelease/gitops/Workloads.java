package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.Failures;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.files.PathGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workload shapes: the typed projection occ applies when it reads a Workload (fields unknown to its Go types are
 * dropped, empty optional fields omitted), and the conversion of a source repository's workload descriptor.
 */
final class Workloads {
    static final List<String> VISIBILITIES = List.of("project", "namespace", "internal", "external");
    static final List<String> DEP_VISIBILITIES = List.of("project", "namespace");

    private Workloads() {
    }

    /** {@code spec} minus owner: container (always), endpoints and dependencies (when not empty). */
    static ObjectNode specWithoutOwner(JsonNode spec) {
        ObjectNode out = Json.obj();
        out.set("container", container(Json.at(spec, "container")));
        ObjectNode eps = endpoints(Json.at(spec, "endpoints"));
        if (eps.size() > 0) {
            out.set("endpoints", eps);
        }
        ObjectNode deps = dependencies(Json.at(spec, "dependencies"));
        if (deps.size() > 0) {
            out.set("dependencies", deps);
        }
        return out;
    }

    static ObjectNode container(JsonNode c) {
        ObjectNode out = Json.obj();
        out.put("image", Json.text(c, "image"));
        Json.copyIfSet(c, out, "command");
        Json.copyIfSet(c, out, "args");
        ArrayNode env = items(Json.at(c, "env"), Set.of("key", "value", "valueFrom"), "key");
        if (env.size() > 0) {
            out.set("env", env);
        }
        ArrayNode files = items(Json.at(c, "files"), Set.of("key", "mountPath", "value", "valueFrom"), "key");
        if (files.size() > 0) {
            out.set("files", files);
        }
        return out;
    }

    private static ArrayNode items(JsonNode list, Set<String> keys, String required) {
        ArrayNode out = Json.arr();
        if (list != null && list.isArray()) {
            for (JsonNode item : list) {
                ObjectNode o = Json.obj();
                o.put(required, Json.text(item, required));
                for (String k : keys) {
                    if (!k.equals(required)) {
                        Json.copyIfSet(item, o, k);
                    }
                }
                out.add(o);
            }
        }
        return out;
    }

    private static ObjectNode endpoints(JsonNode eps) {
        ObjectNode out = Json.obj();
        if (eps != null && eps.isObject()) {
            eps.fields().forEachRemaining(e -> {
                JsonNode ep = e.getValue();
                ObjectNode o = Json.obj();
                Json.copyIfSet(ep, o, "type");
                JsonNode port = ep.get("port");
                o.set("port", port == null || port.isNull() ? Json.F.numberNode(0) : port.deepCopy());
                Json.copyIfSet(ep, o, "targetPort");
                Json.copyIfSet(ep, o, "visibility");
                Json.copyIfSet(ep, o, "displayName");
                Json.copyIfSet(ep, o, "basePath");
                JsonNode schema = ep.get("schema");
                if (schema != null && schema.isObject()) {
                    ObjectNode s = Json.obj();
                    Json.copyIfSet(schema, s, "type");
                    Json.copyIfSet(schema, s, "content");
                    if (s.size() > 0) {
                        o.set("schema", s);
                    }
                }
                out.set(e.getKey(), o);
            });
        }
        return out;
    }

    private static ObjectNode dependencies(JsonNode deps) {
        ObjectNode out = Json.obj();
        JsonNode eps = Json.at(deps, "endpoints");
        if (eps != null && eps.isArray() && eps.size() > 0) {
            ArrayNode a = Json.arr();
            for (JsonNode d : eps) {
                ObjectNode o = Json.obj();
                Json.copyIfSet(d, o, "project");
                o.put("component", Json.text(d, "component"));
                o.put("name", Json.text(d, "name"));
                o.put("visibility", Json.text(d, "visibility"));
                ObjectNode b = Json.obj();
                for (String k : List.of("address", "host", "port", "basePath")) {
                    Json.copyIfSet(d.get("envBindings"), b, k);
                }
                o.set("envBindings", b);
                a.add(o);
            }
            out.set("endpoints", a);
        }
        JsonNode res = Json.at(deps, "resources");
        if (res != null && res.isArray() && res.size() > 0) {
            ArrayNode a = Json.arr();
            for (JsonNode d : res) {
                ObjectNode o = Json.obj();
                o.put("ref", Json.text(d, "ref"));
                Json.copyIfSet(d, o, "envBindings");
                Json.copyIfSet(d, o, "fileBindings");
                a.add(o);
            }
            out.set("resources", a);
        }
        return out;
    }

    /** The Workload document occ writes: name, namespace, and spec with owner. */
    static ObjectNode document(String name, String namespace, String project, String component, ObjectNode specNoOwner) {
        ObjectNode w = Json.obj();
        w.put("apiVersion", GitopsIndex.API_VERSION);
        w.put("kind", "Workload");
        ObjectNode md = w.putObject("metadata");
        md.put("name", name);
        if (!namespace.isEmpty()) {
            md.put("namespace", namespace);
        }
        ObjectNode spec = specNoOwner.deepCopy();
        ObjectNode owner = spec.putObject("owner");
        owner.put("componentName", component);
        owner.put("projectName", project);
        w.set("spec", spec);
        return w;
    }

    // ---- descriptor ------------------------------------------------------------------------------------------

    /** Converts a workload descriptor (keys matched case-insensitively, like occ) into a Workload spec (no owner). */
    static ObjectNode fromDescriptor(JsonNode d, String image, Path baseDir, String where) {
        ObjectNode container = Json.obj();
        container.put("image", image);
        ArrayNode env = Json.arr();
        ArrayNode files = Json.arr();
        JsonNode conf = ci(d, "configurations");
        for (JsonNode e : list(ci(conf, "env"))) {
            ObjectNode o = Json.obj();
            String name = str(ci(e, "name"));
            o.put("key", name);
            JsonNode skr = ci(ci(e, "valueFrom"), "secretKeyRef");
            if (skr != null && skr.isObject()) {
                o.putObject("valueFrom").set("secretKeyRef", secretRef(skr));
            } else if (!str(ci(e, "value")).isEmpty()) {
                o.put("value", str(ci(e, "value")));
            }
            env.add(o);
        }
        for (JsonNode f : list(ci(conf, "files"))) {
            ObjectNode o = Json.obj();
            String name = str(ci(f, "name"));
            o.put("key", name);
            o.put("mountPath", str(ci(f, "mountPath")));
            JsonNode vf = ci(f, "valueFrom");
            JsonNode skr = ci(vf, "secretKeyRef");
            String path = str(ci(vf, "path"));
            if (skr != null && skr.isObject()) {
                o.putObject("valueFrom").set("secretKeyRef", secretRef(skr));
            } else if (!path.isEmpty()) {
                o.put("value", readRelative(baseDir, path, where + ": configurations.files '" + name + "' valueFrom.path"));
            } else if (!str(ci(f, "value")).isEmpty()) {
                o.put("value", str(ci(f, "value")));
            }
            files.add(o);
        }
        if (env.size() > 0) {
            container.set("env", env);
        }
        if (files.size() > 0) {
            container.set("files", files);
        }
        ObjectNode spec = Json.obj();
        spec.set("container", container);

        ObjectNode endpoints = Json.obj();
        for (JsonNode ep : list(ci(d, "endpoints"))) {
            String name = str(ci(ep, "name"));
            if (name.isEmpty()) {
                throw new InvalidInputException(where + ": an endpoint has no name: give each endpoint a name");
            }
            if (endpoints.has(name)) {
                throw new InvalidInputException(where + ": endpoint \"" + name + "\" is listed twice: keep one");
            }
            ObjectNode o = Json.obj();
            String type = str(ci(ep, "type"));
            if (!type.isEmpty()) {
                o.put("type", type);
            }
            JsonNode port = ci(ep, "port");
            if (port == null || !port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                throw InvalidInputException.invalid(where + ": endpoint \"" + name + "\" port", port == null ? "" : port,
                        "give a port number from 1 to 65535");
            }
            o.put("port", port.asInt());
            JsonNode tp = ci(ep, "targetPort");
            if (tp != null && tp.canConvertToInt() && tp.asInt() != 0) {
                o.put("targetPort", tp.asInt());
            }
            JsonNode vis = ci(ep, "visibility");
            if (vis != null && vis.isArray() && vis.size() > 0) {
                ArrayNode v = Json.arr();
                for (JsonNode x : vis) {
                    if (!VISIBILITIES.contains(x.asText())) {
                        throw new InvalidInputException(where + ": invalid endpoint visibility \"" + x.asText()
                                + "\" for endpoint \"" + name + "\": must be one of [project, namespace, internal, external]");
                    }
                    v.add(x.asText());
                }
                o.set("visibility", v);
            }
            if (!str(ci(ep, "displayName")).isEmpty()) {
                o.put("displayName", str(ci(ep, "displayName")));
            }
            if (!str(ci(ep, "basePath")).isEmpty()) {
                o.put("basePath", str(ci(ep, "basePath")));
            }
            String schemaFile = str(ci(ep, "schemaFile"));
            if (!schemaFile.isEmpty()) {
                ObjectNode s = Json.obj();
                String st = switch (type) {
                    case "HTTP" -> "openapi";
                    case "gRPC" -> "proto";
                    case "GraphQL" -> "graphql";
                    default -> "";
                };
                if (!st.isEmpty()) {
                    s.put("type", st);
                }
                s.put("content", readRelative(baseDir, schemaFile, where + ": endpoint \"" + name + "\" schemaFile"));
                o.set("schema", s);
            }
            endpoints.set(name, o);
        }
        if (endpoints.size() > 0) {
            spec.set("endpoints", endpoints);
        }

        ObjectNode deps = Json.obj();
        JsonNode dd = ci(d, "dependencies");
        ArrayNode depEps = Json.arr();
        int i = 0;
        for (JsonNode de : list(ci(dd, "endpoints"))) {
            ObjectNode o = Json.obj();
            for (String req : List.of("component", "name", "visibility")) {
                if (str(ci(de, req)).isEmpty()) {
                    throw new InvalidInputException(where + ": dependency endpoint[" + i + "]: " + req + " is required");
                }
            }
            String vis = str(ci(de, "visibility"));
            if (!DEP_VISIBILITIES.contains(vis)) {
                throw new InvalidInputException(where + ": invalid dependency endpoint visibility \"" + vis
                        + "\" for dependency endpoint[" + i + "]: must be one of [project, namespace]");
            }
            if (!str(ci(de, "project")).isEmpty()) {
                o.put("project", str(ci(de, "project")));
            }
            o.put("component", str(ci(de, "component")));
            o.put("name", str(ci(de, "name")));
            o.put("visibility", vis);
            ObjectNode b = Json.obj();
            JsonNode eb = ci(de, "envBindings");
            for (String k : List.of("address", "host", "port", "basePath")) {
                if (!str(ci(eb, k)).isEmpty()) {
                    b.put(k, str(ci(eb, k)));
                }
            }
            o.set("envBindings", b);
            depEps.add(o);
            i++;
        }
        if (depEps.size() > 0) {
            deps.set("endpoints", depEps);
        }
        ArrayNode depRes = Json.arr();
        i = 0;
        for (JsonNode dr : list(ci(dd, "resources"))) {
            String ref = str(ci(dr, "ref"));
            if (ref.isEmpty()) {
                throw new InvalidInputException(where + ": dependency resource[" + i + "]: ref is required");
            }
            ObjectNode o = Json.obj();
            o.put("ref", ref);
            for (String k : List.of("envBindings", "fileBindings")) {
                JsonNode m = ci(dr, k);
                if (m != null && m.isObject() && m.size() > 0) {
                    Iterator<Map.Entry<String, JsonNode>> it = m.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (e.getKey().isEmpty() || e.getValue().asText().isEmpty()) {
                            throw new InvalidInputException(where + ": dependency resource[" + i + "]: " + k
                                    + " keys and values must not be empty");
                        }
                    }
                    o.set(k, m.deepCopy());
                }
            }
            depRes.add(o);
            i++;
        }
        if (depRes.size() > 0) {
            deps.set("resources", depRes);
        }
        if (deps.size() > 0) {
            spec.set("dependencies", deps);
        }
        return spec;
    }

    private static ObjectNode secretRef(JsonNode skr) {
        ObjectNode o = Json.obj();
        o.put("name", str(ci(skr, "name")));
        o.put("key", str(ci(skr, "key")));
        return o;
    }

    private static String readRelative(Path baseDir, String rel, String field) {
        // Inside the descriptor's directory only: the content is copied into the GitOps repository, so a path
        // to any other file (../../.ssh/id_rsa, /etc/passwd, a link out) would publish it.
        Path p = PathGuard.resolve(baseDir, rel, field);
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException(field + ": cannot read '" + Failures.printable(rel) + "' (resolved to "
                    + p + "): paths are relative to the descriptor's directory");
        }
        return new String(ParseLimits.readFile(field, p), StandardCharsets.UTF_8);
    }

    /** Case-insensitive field lookup, like Go's encoding/json. */
    static JsonNode ci(JsonNode n, String key) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode exact = n.get(key);
        if (exact != null) {
            return exact;
        }
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (k.equalsIgnoreCase(key)) {
                return n.get(k);
            }
        }
        return null;
    }

    private static Iterable<JsonNode> list(JsonNode n) {
        return n != null && n.isArray() ? n : List.of();
    }

    private static String str(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
    }
}
