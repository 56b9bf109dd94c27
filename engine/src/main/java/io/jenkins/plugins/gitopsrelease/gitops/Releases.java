package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex.Resource;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Building a ComponentRelease spec from the current repository state, and release names. */
final class Releases {
    static final Set<String> WORKLOAD_TYPES = Set.of("deployment", "statefulset", "cronjob", "job", "proxy");
    static final List<String> CT_SPEC_KEYS = List.of("workloadType", "allowedWorkflows", "parameters",
            "environmentConfigs", "traits", "allowedTraits", "validations", "preRenderValidations",
            "postRenderValidations", "resources");
    static final List<String> TRAIT_SPEC_KEYS = List.of("parameters", "environmentConfigs", "validations",
            "preRenderValidations", "postRenderValidations", "creates", "patches", "removes");
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private Releases() {
    }

    /** The Component, checked to belong to the project. */
    static Resource component(GitopsIndex idx, String namespace, String project, String component) {
        Resource c = idx.get("Component", namespace, component).orElseThrow(() -> new InvalidInputException(
                "component \"" + component + "\" not found in namespace \"" + namespace + "\": check --component and"
                        + " --namespace (Component files must set metadata.namespace)"));
        if (!c.ownerProject().equals(project)) {
            throw new InvalidInputException("component \"" + component + "\" belongs to project \"" + c.ownerProject()
                    + "\", not \"" + project + "\" (" + c.where() + "): check --project");
        }
        return c;
    }

    /** The full spec occ would write for the component now (everything but the release name). */
    static ObjectNode buildSpec(GitopsIndex idx, String namespace, String project, String component) {
        Resource comp = component(idx, namespace, project, component);
        JsonNode cspec = comp.spec();
        JsonNode ctRef = cspec.get("componentType");
        String ctFull = ctRef != null && ctRef.isObject() ? Json.text(ctRef, "name") : "";
        int slash = ctFull.lastIndexOf('/');
        if (slash <= 0 || !WORKLOAD_TYPES.contains(ctFull.substring(0, ctFull.indexOf('/')))) {
            throw InvalidInputException.invalid("component \"" + component + "\" spec.componentType.name", ctFull,
                    "use '<workloadType>/<type>' with workloadType one of deployment, statefulset, cronjob, job, proxy ("
                            + comp.where() + ")");
        }
        String typeName = ctFull.substring(slash + 1);
        String ctKind = Json.text(ctRef, "kind");
        if (ctKind.isEmpty()) {
            ctKind = "ComponentType";
        }
        String defaultTraitKind;
        Resource ct;
        switch (ctKind) {
            case "ComponentType" -> {
                defaultTraitKind = "Trait";
                ct = idx.byName("ComponentType", namespace, typeName).orElseThrow(() -> new InvalidInputException(
                        "component type \"" + typeName + "\" not found (referenced by component \"" + component
                                + "\"): add the ComponentType or fix spec.componentType"));
            }
            case "ClusterComponentType" -> {
                defaultTraitKind = "ClusterTrait";
                ct = idx.byName("ClusterComponentType", namespace, typeName).orElseThrow(() -> new InvalidInputException(
                        "cluster component type \"" + typeName + "\" not found (referenced by component \"" + component
                                + "\"): add the ClusterComponentType or fix spec.componentType"));
            }
            default -> throw new InvalidInputException("unsupported component type kind \"" + ctKind
                    + "\" for component \"" + component + "\": use ComponentType or ClusterComponentType");
        }

        ObjectNode ctSpec = Json.obj();
        JsonNode src = ct.spec();
        for (String k : CT_SPEC_KEYS) {
            JsonNode v = src.get(k);
            if (k.equals("workloadType") || k.equals("resources")) {
                ctSpec.set(k, v == null || v.isNull() ? (k.equals("resources") ? Json.arr() : Json.F.textNode(""))
                        : v.deepCopy());
            } else if (!Json.empty(v)) {
                ctSpec.set(k, v.deepCopy());
            }
        }
        List<TraitRef> embedded = defaultKinds(ctSpec.get("traits"), defaultTraitKind);
        if (ctSpec.has("traits")) {
            ctSpec.set("traits", withKinds(ctSpec.get("traits"), defaultTraitKind));
        }
        List<TraitRef> allowed = defaultKinds(ctSpec.get("allowedTraits"), defaultTraitKind);
        if (ctSpec.has("allowedTraits")) {
            ArrayNode a = Json.arr();
            for (JsonNode t : ctSpec.get("allowedTraits")) {
                ObjectNode o = t.isObject() ? (ObjectNode) t.deepCopy() : Json.obj().put("name", t.asText());
                if (Json.text(o, "kind").isEmpty()) {
                    o.put("kind", defaultTraitKind);
                }
                a.add(o);
            }
            ctSpec.set("allowedTraits", a);
        }
        List<TraitRef> compTraits = defaultKinds(cspec.get("traits"), "Trait");
        validateTraits(component, embedded, allowed, compTraits);

        // Trait specs: one per (kind, name), sorted by kind then name.
        Map<String, ObjectNode> traitSpecs = new TreeMap<>();
        List<TraitRef> referenced = new ArrayList<>(embedded);
        referenced.addAll(compTraits);
        for (TraitRef ref : referenced) {
            String key = ref.kind() + "\u0000" + ref.name();
            if (traitSpecs.containsKey(key)) {
                continue;
            }
            if (!ref.kind().equals("Trait") && !ref.kind().equals("ClusterTrait")) {
                throw new InvalidInputException("unsupported trait kind \"" + ref.kind() + "\" for trait \"" + ref.name()
                        + "\" (component \"" + component + "\"): use Trait or ClusterTrait");
            }
            Resource t = idx.byName(ref.kind(), namespace, ref.name()).orElseThrow(() -> new InvalidInputException(
                    (ref.kind().equals("Trait") ? "trait \"" : "cluster trait \"") + ref.name() + "\" not found"
                            + " (referenced by component \"" + component + "\" or its component type): add the "
                            + ref.kind() + " or remove the reference"));
            ObjectNode ts = Json.obj();
            for (String k : TRAIT_SPEC_KEYS) {
                Json.copyIfSet(t.spec(), ts, k);
            }
            ObjectNode entry = Json.obj();
            entry.put("kind", ref.kind());
            entry.put("name", ref.name());
            entry.set("spec", ts);
            traitSpecs.put(key, entry);
        }

        Resource wl = idx.workload(project, component).orElseThrow(() -> new InvalidInputException(
                "workload for component \"" + component + "\" (project: \"" + project + "\") not found: run"
                        + " 'workload create' first"));

        ObjectNode spec = Json.obj();
        ObjectNode profile = Json.obj();
        JsonNode params = cspec.get("parameters");
        if (!Json.empty(params)) {
            profile.set("parameters", params.deepCopy());
        }
        if (!compTraits.isEmpty()) {
            ArrayNode pts = Json.arr();
            for (TraitRef r : compTraits) {
                ObjectNode o = Json.obj();
                o.put("instanceName", r.instanceName());
                o.put("kind", r.kind());
                o.put("name", r.name());
                if (r.parameters() != null && !r.parameters().isNull()) {
                    o.set("parameters", r.parameters().deepCopy());
                }
                pts.add(o);
            }
            profile.set("traits", pts);
        }
        if (profile.size() > 0) {
            spec.set("componentProfile", profile);
        }
        ObjectNode ctOut = spec.putObject("componentType");
        ctOut.put("kind", ctKind);
        ctOut.put("name", ctFull);
        ctOut.set("spec", ctSpec);
        ObjectNode owner = spec.putObject("owner");
        owner.put("componentName", component);
        owner.put("projectName", project);
        if (!traitSpecs.isEmpty()) {
            ArrayNode ts = Json.arr();
            traitSpecs.values().forEach(ts::add);
            spec.set("traits", ts);
        }
        spec.set("workload", Workloads.specWithoutOwner(wl.spec()));
        return spec;
    }

    record TraitRef(String kind, String name, String instanceName, JsonNode parameters) {
        String key() {
            return kind + ":" + name;
        }
    }

    private static List<TraitRef> defaultKinds(JsonNode list, String defaultKind) {
        List<TraitRef> out = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode t : list) {
                if (t.isTextual()) {
                    out.add(new TraitRef(defaultKind, t.asText(), "", null));
                    continue;
                }
                String kind = Json.text(t, "kind");
                out.add(new TraitRef(kind.isEmpty() ? defaultKind : kind, Json.text(t, "name"),
                        Json.text(t, "instanceName"), t.get("parameters")));
            }
        }
        return out;
    }

    private static ArrayNode withKinds(JsonNode list, String defaultKind) {
        ArrayNode a = Json.arr();
        for (JsonNode t : list) {
            ObjectNode o = (ObjectNode) t.deepCopy();
            if (Json.text(o, "kind").isEmpty()) {
                o.put("kind", defaultKind);
            }
            a.add(o);
        }
        return a;
    }

    private static void validateTraits(String component, List<TraitRef> embedded, List<TraitRef> allowed,
            List<TraitRef> compTraits) {
        String prefix = "component \"" + component + "\" trait validation failed: ";
        if (!compTraits.isEmpty()) {
            if (allowed.isEmpty()) {
                throw new InvalidInputException(prefix + "no traits are allowed, but component has "
                        + compTraits.size() + " trait(s): remove them or add them to the type's allowedTraits");
            }
            Set<String> ok = new LinkedHashSet<>();
            allowed.forEach(a -> ok.add(a.key()));
            List<String> bad = compTraits.stream().map(TraitRef::key).filter(k -> !ok.contains(k)).distinct().toList();
            if (!bad.isEmpty()) {
                throw new InvalidInputException(prefix + "traits " + goList(bad) + " are not in the allowed list "
                        + goList(new ArrayList<>(ok)));
            }
        }
        List<String> dupEmbedded = duplicates(embedded);
        if (!dupEmbedded.isEmpty()) {
            throw new InvalidInputException(prefix + "duplicate trait instance names " + goList(dupEmbedded)
                    + " in embedded traits");
        }
        List<String> dupComp = duplicates(compTraits);
        if (!dupComp.isEmpty()) {
            throw new InvalidInputException(prefix + "duplicate trait instance names " + goList(dupComp)
                    + " in component traits");
        }
        Set<String> embeddedNames = new LinkedHashSet<>();
        embedded.forEach(t -> embeddedNames.add(t.instanceName()));
        List<String> collide = compTraits.stream().map(TraitRef::instanceName).filter(embeddedNames::contains)
                .distinct().toList();
        if (!collide.isEmpty()) {
            throw new InvalidInputException(prefix + "trait instance names " + goList(collide)
                    + " collide with embedded traits");
        }
    }

    private static List<String> duplicates(List<TraitRef> refs) {
        Map<String, Integer> n = new LinkedHashMap<>();
        refs.forEach(r -> n.merge(r.instanceName(), 1, Integer::sum));
        return n.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    /** The ComponentRelease document around a spec. */
    static ObjectNode document(String name, String namespace, ObjectNode spec) {
        ObjectNode r = Json.obj();
        r.put("apiVersion", GitopsIndex.API_VERSION);
        r.put("kind", "ComponentRelease");
        ObjectNode md = r.putObject("metadata");
        md.put("name", name);
        md.put("namespace", namespace);
        r.set("spec", spec);
        return r;
    }

    // ---- names -----------------------------------------------------------------------------------------------

    /** {@code <component>-<YYYYMMDD>-<n>} parts, when a name has that shape. */
    record DatedName(String component, LocalDate date, int n) {
        static Optional<DatedName> parse(String name) {
            String[] parts = name.split("-");
            if (parts.length < 3) {
                return Optional.empty();
            }
            try {
                int n = Integer.parseInt(parts[parts.length - 1]);
                LocalDate d = LocalDate.parse(parts[parts.length - 2], DAY);
                String comp = String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2));
                return Optional.of(new DatedName(comp, d, n));
            } catch (NumberFormatException | DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    /** Release names newest first: dated names by (date, n), then other names in reverse lexicographic order. */
    static final Comparator<String> NEWEST_FIRST = (a, b) -> {
        Optional<DatedName> da = DatedName.parse(a);
        Optional<DatedName> db = DatedName.parse(b);
        if (da.isPresent() && db.isPresent()) {
            int c = db.get().date().compareTo(da.get().date());
            if (c != 0) {
                return c;
            }
            c = Integer.compare(db.get().n(), da.get().n());
            if (c != 0) {
                return c;
            }
        } else if (da.isPresent() != db.isPresent()) {
            return da.isPresent() ? -1 : 1;
        }
        return b.compareTo(a);
    };
}
