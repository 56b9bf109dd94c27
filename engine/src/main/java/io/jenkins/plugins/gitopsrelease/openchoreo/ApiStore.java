package io.jenkins.plugins.gitopsrelease.openchoreo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.gitops.Pipeline;
import io.jenkins.plugins.gitopsrelease.gitops.ResourceStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenChoreo's api-server mode: the verbs' resources are read from and written to the control-plane API. A write
 * creates the object when it does not exist and otherwise replaces it with GET-then-PUT starting from the server's
 * copy, so server-owned fields (labels the API adds, uid, annotations others set, binding overrides) survive and
 * no second object is made. Releases are generated on the server ({@code components/{c}/generate-release}), which
 * snapshots the ComponentType, traits and Workload it holds.
 */
public final class ApiStore implements ResourceStore {
    private final OpenChoreoApi api;
    /**
     * A component's bindings as listed moments ago: {@code releasebinding generate} reads the previous and the target
     * environment's binding and then writes one, so one list serves all three. Dropped when the component's binding
     * is written.
     */
    private final Map<String, List<ObjectNode>> bindingLists = new java.util.concurrent.ConcurrentHashMap<>();

    public ApiStore(OpenChoreoApi api) {
        this.api = api;
    }

    public OpenChoreoApi api() {
        return api;
    }

    @Override
    public boolean concurrent() {
        return true;
    }

    // ---- Workload ---------------------------------------------------------------------------------------------

    @Override
    public Optional<Found> workload(String namespace, String project, String component) {
        List<ObjectNode> owned = api.workloads(namespace, component).stream()
                .filter(w -> owner(w, "componentName").equals(component))
                .filter(w -> owner(w, "projectName").isEmpty() || owner(w, "projectName").equals(project))
                .sorted(Comparator.comparing((ObjectNode w) -> !name(w).equals(component + "-workload"))
                        .thenComparing(ApiStore::name))
                .toList();
        return owned.stream().findFirst().map(w -> new Found(w, api.objectUrl("workloads", namespace, name(w))));
    }

    /** The whole spec minus owner: fields this tool does not know are kept, not projected away. */
    @Override
    public ObjectNode carriedSpec(ObjectNode existing) {
        JsonNode spec = existing.path("spec");
        ObjectNode out = spec.isObject() ? ((ObjectNode) spec).deepCopy() : OpenChoreoApi.JSON.createObjectNode();
        out.remove("owner");
        return out;
    }

    @Override
    public String workloadName(Optional<Found> existing, String component, boolean fromDescriptor) {
        return existing.map(f -> name(f.doc())).orElse(component + "-workload");
    }

    @Override
    public Written putWorkload(String namespace, String project, String component, ObjectNode doc) {
        return createOrReplace("workloads", namespace, doc, null);
    }

    // ---- ComponentRelease -------------------------------------------------------------------------------------

    /** Always a new release: the server snapshots its own state and names it unless {@code name} is given. */
    @Override
    public Release generateRelease(String namespace, String project, String component, String name, Clock clock) {
        checkComponent(namespace, project, component);
        ObjectNode r = api.generateRelease(namespace, component, name);
        String rn = name(r);
        if (rn.isEmpty()) {
            throw new OpenChoreoApiException("OpenChoreo API generate-release for " + project + "/" + component
                    + " answered without metadata.name", 0);
        }
        return new Release(rn, false, api.objectUrl("componentreleases", namespace, rn), List.of());
    }

    // ---- ReleaseBinding ---------------------------------------------------------------------------------------

    @Override
    public List<ComponentRef> components(String namespace, String project) {
        return api.components(namespace, project).stream()
                .map(c -> new ComponentRef(owner(c, "projectName"), name(c)))
                .filter(c -> project == null || c.project().equals(project))
                .sorted(Comparator.comparing(ComponentRef::project).thenComparing(ComponentRef::name))
                .toList();
    }

    @Override
    public void checkComponent(String namespace, String project, String component) {
        component(namespace, project, component);
    }

    private ObjectNode component(String namespace, String project, String component) {
        ObjectNode c = api.component(namespace, component).orElseThrow(() -> new InvalidInputException("component \""
                + component + "\" not found in namespace \"" + namespace + "\" on " + api.server()
                + ": check --component and --namespace, or create the Component first"));
        String p = owner(c, "projectName");
        if (!p.isEmpty() && !p.equals(project)) {
            throw new InvalidInputException("component \"" + component + "\" belongs to project \"" + p + "\", not \""
                    + project + "\" (" + api.objectUrl("components", namespace, component) + "): check --project");
        }
        return c;
    }

    @Override
    public Pipeline pipeline(String namespace, String project, String usePipeline) {
        String name = usePipeline;
        if (name == null) {
            ObjectNode p = api.project(namespace, project).orElseThrow(() -> new InvalidInputException("project \""
                    + project + "\" not found in namespace \"" + namespace + "\" on " + api.server()
                    + ": check --project, or give --use-pipeline"));
            JsonNode ref = p.path("spec").path("deploymentPipelineRef");
            name = ref.isTextual() ? ref.asText() : ref.path("name").asText("");
            if (name.isEmpty()) {
                throw new InvalidInputException("project \"" + project + "\" has no deploymentPipelineRef ("
                        + api.objectUrl("projects", namespace, project) + "): set it or give --use-pipeline");
            }
        }
        String pl = name;
        ObjectNode doc = api.deploymentPipeline(namespace, pl).orElseThrow(() -> new InvalidInputException(
                "deployment pipeline \"" + pl + "\" not found in namespace \"" + namespace + "\" on " + api.server()
                        + ": fix the Project's deploymentPipelineRef or --use-pipeline"));
        return Pipeline.of(pl, doc, api.objectUrl("deploymentpipelines", namespace, pl));
    }

    @Override
    public Optional<Found> binding(String namespace, String project, String component, String environment) {
        return bindingList(namespace, component).stream()
                .filter(b -> owner(b, "componentName").equals(component))
                .filter(b -> owner(b, "projectName").equals(project))
                .filter(b -> environment.equals(b.path("spec").path("environment").asText()))
                .min(Comparator.comparing(ApiStore::name))
                .map(b -> new Found(b, api.objectUrl("releasebindings", namespace, name(b))));
    }

    /** The component's latest release as the server records it ({@code status.latestRelease.name}). */
    @Override
    public String rootRelease(String namespace, String project, String component) {
        ObjectNode c = component(namespace, project, component);
        String latest = c.path("status").path("latestRelease").path("name").asText("");
        if (latest.isEmpty()) {
            throw new InvalidInputException("component " + project + "/" + component + " has no release on "
                    + api.server() + " yet: run 'componentrelease generate --mode api-server' first, or give"
                    + " --component-release");
        }
        return latest;
    }

    @Override
    public void checkRelease(String namespace, String release, String project, String component) {
        Optional<ObjectNode> r = api.componentRelease(namespace, release);
        if (r.isEmpty() || !owner(r.get(), "projectName").equals(project)
                || !owner(r.get(), "componentName").equals(component)) {
            throw new InvalidInputException("component release \"" + release + "\" not found on " + api.server()
                    + " or does not belong to component " + project + "/" + component + ": run 'componentrelease"
                    + " generate --mode api-server' or fix --component-release");
        }
    }

    private List<ObjectNode> bindingList(String namespace, String component) {
        return bindingLists.computeIfAbsent(namespace + "/" + component, k -> api.releaseBindings(namespace, component));
    }

    @Override
    public Written putBinding(String namespace, String project, String component, String environment,
            ObjectNode doc) {
        String key = namespace + "/" + component;
        List<ObjectNode> listed = bindingLists.remove(key);
        Optional<ObjectNode> known = listed == null ? null : listed.stream()
                .filter(b -> name(b).equals(name(doc))).findFirst().map(ObjectNode::deepCopy);
        return createOrReplace("releasebindings", namespace, doc, known);
    }

    // ---- create or replace ------------------------------------------------------------------------------------

    /**
     * POST when the object does not exist (a concurrent creation makes it a 409, reported); otherwise PUT the
     * server's copy with our spec and our annotations merged in. {@code apiVersion}, {@code kind} and {@code status} are read-only in the API and never sent.
     */
    private Written createOrReplace(String plural, String namespace, ObjectNode doc, Optional<ObjectNode> known) {
        String name = name(doc);
        ObjectNode body = doc.deepCopy();
        body.remove(List.of("apiVersion", "kind", "status"));
        ObjectNode md = body.withObjectProperty("metadata");
        md.put("namespace", namespace);
        String url = api.objectUrl(plural, namespace, name);
        // known: the server's copy listed in this run (absent = not there then); otherwise GET it now.
        Optional<ObjectNode> existing = known != null ? known : api.get(OpenChoreoApi.nsPath(namespace, plural) + "/"
                + OpenChoreoApi.enc(name));
        if (existing.isEmpty()) {
            if (plural.equals("workloads")) {
                api.createWorkload(namespace, body);
            } else {
                api.createReleaseBinding(namespace, body);
            }
            return new Written(url, Outcome.CREATED, List.of());
        }
        ObjectNode merged = existing.get().deepCopy();
        merged.remove(List.of("apiVersion", "kind", "status"));
        ObjectNode mmd = merged.withObjectProperty("metadata");
        JsonNode ours = md.path("annotations");
        boolean annotationsChange = false;
        if (ours.isObject() && ours.size() > 0) {
            ObjectNode ann = mmd.withObjectProperty("annotations");
            for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                annotationsChange |= !e.getValue().equals(ann.get(e.getKey()));
                ann.set(e.getKey(), e.getValue());
            }
        }
        JsonNode spec = body.path("spec");
        if (!annotationsChange && spec.equals(merged.path("spec"))) {
            return new Written(url, Outcome.UNCHANGED, List.of());
        }
        merged.set("spec", spec);
        if (plural.equals("workloads")) {
            api.updateWorkload(namespace, name, merged);
        } else {
            api.updateReleaseBinding(namespace, name, merged);
        }
        return new Written(url, Outcome.UPDATED, List.of());
    }

    private static String name(JsonNode o) {
        return o.path("metadata").path("name").asText("");
    }

    private static String owner(JsonNode o, String field) {
        return o.path("spec").path("owner").path(field).asText("");
    }
}
