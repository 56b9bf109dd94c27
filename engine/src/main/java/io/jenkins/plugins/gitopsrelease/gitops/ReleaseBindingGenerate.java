package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import io.jenkins.plugins.gitopsrelease.gitops.GitopsIndex.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code releasebinding generate}: points a component's ReleaseBinding for one environment at a release. The
 * release is the explicit one, else (root environment) the existing release equal to the component's current
 * state, else (later environments) the release bound in the previous environment. An existing binding keeps every
 * field but {@code spec.releaseName}; a new one is the minimal shape occ writes.
 */
public final class ReleaseBindingGenerate {
    private final RepoFiles files;
    private GitopsIndex index;
    private String namespace = "default";
    private boolean all;
    private String project;
    private String component;
    private String componentRelease;
    private String targetEnv;
    private String usePipeline;
    private String outputPath;

    private ReleaseBindingGenerate(RepoFiles files) {
        this.files = files;
    }

    public static ReleaseBindingGenerate on(RepoFiles files) {
        return new ReleaseBindingGenerate(files);
    }

    public ReleaseBindingGenerate index(GitopsIndex index) {
        this.index = index;
        return this;
    }

    public ReleaseBindingGenerate namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public ReleaseBindingGenerate all(boolean all) {
        this.all = all;
        return this;
    }

    public ReleaseBindingGenerate project(String project) {
        this.project = project;
        return this;
    }

    public ReleaseBindingGenerate component(String component) {
        this.component = component;
        return this;
    }

    public ReleaseBindingGenerate componentRelease(String componentRelease) {
        this.componentRelease = componentRelease;
        return this;
    }

    public ReleaseBindingGenerate targetEnv(String targetEnv) {
        this.targetEnv = targetEnv;
        return this;
    }

    public ReleaseBindingGenerate usePipeline(String usePipeline) {
        this.usePipeline = usePipeline;
        return this;
    }

    /** Root-relative directory for new bindings. */
    public ReleaseBindingGenerate outputPath(String outputPath) {
        this.outputPath = outputPath;
        return this;
    }

    public enum Status { CREATED, UPDATED, UNCHANGED, FAILED }

    public record Item(String project, String component, String environment, Status status, String releaseName,
            String path, String error) {
    }

    public record Result(List<Item> items, List<FileChange> changes) {
        public Result {
            items = List.copyOf(items);
            changes = List.copyOf(changes);
        }

        public List<Item> failed() {
            return items.stream().filter(i -> i.status() == Status.FAILED).toList();
        }

        public Item single() {
            return items.get(0);
        }

        public String summary() {
            long ok = items.size() - failed().size();
            return "Summary: " + ok + " bindings generated, " + failed().size() + " errors";
        }
    }

    public Result call() {
        Names.label("--namespace", namespace);
        if (all && (project != null || component != null)) {
            throw new InvalidInputException("--all cannot be combined with --project or --component");
        }
        if (component != null && project == null) {
            throw new InvalidInputException("--component requires --project to be specified");
        }
        if (componentRelease != null && (project == null || component == null)) {
            throw new InvalidInputException("--component-release requires both --project and --component to be specified");
        }
        if (!all && project == null) {
            throw new InvalidInputException("one of --all, --project, or --component must be specified");
        }
        if (all && usePipeline == null) {
            throw new InvalidInputException("--use-pipeline is required when using --all scope");
        }
        if (all && targetEnv == null) {
            throw new InvalidInputException("--target-env is required when using --all");
        }
        if (project != null) {
            Names.label("--project", project);
        }
        if (targetEnv != null) {
            Names.label("--target-env", targetEnv);
        }
        GitopsIndex idx = index != null ? index : component != null
                ? GitopsIndex.forComponent(files, namespace, project, component, componentRelease)
                : GitopsIndex.build(files);
        ReleaseConfig config = ReleaseConfig.read(files);
        if (component != null) {
            Names.label("--component", component);
            List<FileChange> changes = new ArrayList<>();
            Pipeline pl = pipeline(idx, project);
            Item item = one(idx, config, pl, project, component, changes);
            return new Result(List.of(item), changes);
        }
        List<Resource> comps = idx.all("Component").stream()
                .filter(c -> c.namespace().equals(namespace))
                .filter(c -> all || c.ownerProject().equals(project))
                .sorted(Comparator.comparing(Resource::ownerProject).thenComparing(Resource::name))
                .toList();
        List<Item> items = new ArrayList<>();
        List<FileChange> changes = new ArrayList<>();
        for (Resource c : comps) {
            try {
                Names.label("component name", c.name());
                Pipeline pl = pipeline(idx, c.ownerProject());
                items.add(one(idx, config, pl, c.ownerProject(), c.name(), changes));
            } catch (GitOpsReleaseException e) {
                items.add(new Item(c.ownerProject(), c.name(), targetEnv, Status.FAILED, null, null, e.getMessage()));
            }
        }
        return new Result(items, changes);
    }

    private Pipeline pipeline(GitopsIndex idx, String p) {
        String name = usePipeline;
        if (name == null) {
            Resource proj = idx.get("Project", namespace, p).orElseThrow(() -> new InvalidInputException(
                    "project \"" + p + "\" not found in namespace \"" + namespace + "\": add the Project (with"
                            + " metadata.namespace) or give --use-pipeline"));
            name = Json.text(proj.tree(), "spec", "deploymentPipelineRef", "name");
            if (name.isEmpty()) {
                name = Json.text(proj.tree(), "spec", "deploymentPipelineRef");
            }
            if (name.isEmpty()) {
                throw new InvalidInputException("project \"" + p + "\" has no deploymentPipelineRef set ("
                        + proj.where() + "): set spec.deploymentPipelineRef.name or give --use-pipeline");
            }
        }
        String pl = name;
        Resource r = idx.byName("DeploymentPipeline", namespace, pl).orElseThrow(() -> new InvalidInputException(
                "deployment pipeline \"" + pl + "\" not found: add it or fix the Project's deploymentPipelineRef"));
        return Pipeline.of(r);
    }

    private Item one(GitopsIndex idx, ReleaseConfig config, Pipeline pl, String p, String c,
            List<FileChange> changes) {
        Releases.component(idx, namespace, p, c);
        String root = pl.root();
        String env = targetEnv != null ? targetEnv : root;
        pl.check(env);
        String release = selectRelease(idx, pl, root, env, p, c);
        Optional<Resource> existing = idx.binding(p, c, env);
        if (existing.isPresent()) {
            Resource b = existing.get();
            if (Json.text(b.tree(), "spec", "releaseName").equals(release)) {
                return new Item(p, c, env, Status.UNCHANGED, release, b.path(), null);
            }
            ObjectNode doc = b.tree().deepCopy();
            ObjectNode spec = doc.has("spec") && doc.get("spec").isObject() ? (ObjectNode) doc.get("spec")
                    : doc.putObject("spec");
            spec.put("releaseName", release);
            FileChange ch = Docs.replace(files, b.path(), b.doc(), doc);
            if (ch != null) {
                changes.add(ch);
            }
            return new Item(p, c, env, Status.UPDATED, release, b.path(), null);
        }
        String dir = createDir(idx, config, p, c);
        String name = c + "-" + env;
        Names.subdomain("binding name", name);
        String path = ReleaseConfig.join(dir, name + ".yaml");
        if (files.exists(path)) {
            throw new InvalidInputException(path + " exists but holds no ReleaseBinding for " + p + "/" + c + " in \""
                    + env + "\": move it away or give --output-path");
        }
        ObjectNode doc = Json.obj();
        doc.put("apiVersion", GitopsIndex.API_VERSION);
        doc.put("kind", "ReleaseBinding");
        ObjectNode md = doc.putObject("metadata");
        md.put("name", name);
        md.put("namespace", namespace);
        ObjectNode spec = doc.putObject("spec");
        spec.put("environment", env);
        ObjectNode owner = spec.putObject("owner");
        owner.put("componentName", c);
        owner.put("projectName", p);
        spec.put("releaseName", release);
        changes.add(Docs.write(files, path, doc));
        return new Item(p, c, env, Status.CREATED, release, path, null);
    }

    private String selectRelease(GitopsIndex idx, Pipeline pl, String root, String env, String p, String c) {
        if (componentRelease != null) {
            Names.subdomain("--component-release", componentRelease);
            Optional<Resource> r = idx.release(namespace, componentRelease);
            if (r.isEmpty() || !r.get().ownerProject().equals(p) || !r.get().ownerComponent().equals(c)) {
                throw new InvalidInputException("component release \"" + componentRelease + "\" not found or does not"
                        + " belong to component " + p + "/" + c + ": run 'componentrelease generate' or fix"
                        + " --component-release");
            }
            return componentRelease;
        }
        if (env.equals(root)) {
            List<Resource> releases = idx.releases(p, c);
            if (releases.isEmpty()) {
                throw new InvalidInputException("no releases found for component " + p + "/" + c
                        + ": run 'componentrelease generate' first");
            }
            ObjectNode expected = Releases.buildSpec(idx, namespace, p, c);
            Optional<Resource> match = releases.stream().filter(r -> Json.specEquals(idx.releaseSpec(r), expected))
                    .min(Comparator.comparing(Resource::name, Releases.NEWEST_FIRST));
            if (match.isPresent()) {
                return match.get().name();
            }
            Optional<Resource> legacy = releases.stream()
                    .filter(r -> !Json.text(r.tree(), "spec", "componentType", "name").contains("/")).findFirst();
            if (legacy.isPresent()) {
                throw new InvalidInputException("release \"" + legacy.get().name() + "\" of component " + p + "/" + c
                        + " was generated by an older occ version (legacy shape) and no current release matches:"
                        + " run 'componentrelease generate' for it first");
            }
            throw new InvalidInputException("no matching release found for current component state " + p + "/" + c
                    + ": run 'componentrelease generate' first");
        }
        String prev = pl.previous(env).orElseThrow(() -> new InvalidInputException("environment \"" + env
                + "\" has no previous environment in deployment pipeline \"" + pl.name() + "\""));
        Resource prevBinding = idx.binding(p, c, prev).orElseThrow(() -> new InvalidInputException(
                "no ReleaseBinding found in previous environment \"" + prev + "\" for component " + p + "/" + c
                        + ": promote to \"" + prev + "\" first or specify --component-release explicitly"));
        String rn = Json.text(prevBinding.tree(), "spec", "releaseName");
        if (rn.isEmpty()) {
            throw new InvalidInputException("ReleaseBinding in environment \"" + prev + "\" has no releaseName set ("
                    + prevBinding.where() + "): set it or specify --component-release explicitly");
        }
        return rn;
    }

    private String createDir(GitopsIndex idx, ReleaseConfig config, String p, String c) {
        if (outputPath != null) {
            return ReleaseConfig.dir("--output-path", outputPath);
        }
        Optional<String> fromConfig = config.bindingDir(p, c);
        if (fromConfig.isPresent()) {
            return fromConfig.get();
        }
        List<Resource> existing = idx.bindings(p, c);
        if (!existing.isEmpty()) {
            return existing.get(0).dir();
        }
        return idx.get("Component", namespace, c).map(r -> ReleaseConfig.join(r.dir(), "release-bindings"))
                .orElse("projects/" + p + "/components/" + c + "/release-bindings");
    }
}
