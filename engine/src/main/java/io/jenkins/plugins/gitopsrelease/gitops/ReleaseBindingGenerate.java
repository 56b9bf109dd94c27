package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.files.RepoFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code releasebinding generate}: points a component's ReleaseBinding for one environment at a release, through a
 * {@link ResourceStore} (GitOps files or the OpenChoreo API). The release is the explicit one, else (root
 * environment) the store's current release of the component, else (later environments) the release bound in the
 * previous environment. An existing binding keeps every field but {@code spec.releaseName}; a new one is the
 * minimal shape occ writes. Bulk promotion: every component of a project ({@link #project} with {@link #all}, or
 * without {@link #component}), a list ({@link #components}) or the whole namespace ({@link #all} alone); a component
 * that fails is reported and the others are still done. Stores that allow it (the API) get one update per
 * component, {@link #parallelism} at a time.
 */
public final class ReleaseBindingGenerate {
    private final RepoFiles files;
    private final ResourceStore store;
    private GitopsIndex index;
    private String namespace = "default";
    private boolean all;
    private String project;
    private String component;
    private List<String> components;
    private String componentRelease;
    private String targetEnv;
    private String usePipeline;
    private String outputPath;
    private int parallelism = 8;

    private ReleaseBindingGenerate(RepoFiles files, ResourceStore store) {
        this.files = files;
        this.store = store;
    }

    /** File-system mode over a GitOps repository. */
    public static ReleaseBindingGenerate on(RepoFiles files) {
        return new ReleaseBindingGenerate(files, null);
    }

    /** Any store, e.g. the OpenChoreo API ({@code openchoreo.ApiStore}). */
    public static ReleaseBindingGenerate on(ResourceStore store) {
        return new ReleaseBindingGenerate(null, store);
    }

    public ReleaseBindingGenerate index(GitopsIndex index) {
        this.index = index;
        return this;
    }

    public ReleaseBindingGenerate namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    /** Every component: of {@link #project} when given, else of the namespace (needs {@link #usePipeline}). */
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

    /** Several components of {@link #project} (bulk promotion); null or empty: not used. */
    public ReleaseBindingGenerate components(List<String> components) {
        this.components = components == null || components.isEmpty() ? null : List.copyOf(components);
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

    /** Root-relative directory for new bindings (file-system mode). */
    public ReleaseBindingGenerate outputPath(String outputPath) {
        this.outputPath = outputPath;
        return this;
    }

    /** At most this many components at once when the store allows parallel calls (default 8). */
    public ReleaseBindingGenerate parallelism(int parallelism) {
        if (parallelism < 1 || parallelism > 64) {
            throw InvalidInputException.invalid("--parallel", parallelism, "give 1 to 64");
        }
        this.parallelism = parallelism;
        return this;
    }

    public enum Status { CREATED, UPDATED, UNCHANGED, FAILED }

    /** One component's outcome; {@code path} is the file (files) or the API URL (API) of the binding. */
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

    private record Outcome(Item item, List<FileChange> changes) {
    }

    public Result call() {
        Names.label("--namespace", namespace);
        if (all && component != null) {
            throw new InvalidInputException("--all cannot be combined with --component: give --project P --all for"
                    + " every component of a project");
        }
        if (components != null && (all || component != null)) {
            throw new InvalidInputException("a list of components cannot be combined with --all or --component");
        }
        if ((component != null || components != null) && project == null) {
            throw new InvalidInputException("--component requires --project to be specified");
        }
        if (componentRelease != null && (project == null || component == null)) {
            throw new InvalidInputException("--component-release requires both --project and --component to be specified");
        }
        if (!all && project == null) {
            throw new InvalidInputException("one of --all, --project, or --component must be specified");
        }
        if (all && project == null && usePipeline == null) {
            throw new InvalidInputException("--use-pipeline is required when using --all scope");
        }
        if ((all || components != null) && targetEnv == null) {
            throw new InvalidInputException("--target-env is required when using --all or a list of components");
        }
        if (project != null) {
            Names.label("--project", project);
        }
        if (targetEnv != null) {
            Names.label("--target-env", targetEnv);
        }
        if (components != null) {
            for (String c : components) {
                Names.label("components", c);
            }
        }
        ResourceStore st = store != null ? store : ResourceStore.files(files, index, outputPath);
        if (component != null) {
            Names.label("--component", component);
            st.checkComponent(namespace, project, component);
            Pipeline pl = st.pipeline(namespace, project, usePipeline);
            Outcome o = one(st, pl, project, component);
            return new Result(List.of(o.item()), o.changes());
        }
        List<ResourceStore.ComponentRef> comps = components != null
                ? new LinkedHashSet<>(components).stream().map(c -> new ResourceStore.ComponentRef(project, c)).toList()
                : st.components(namespace, all && project == null ? null : project);
        // Pipelines once per project, before any write: a project without one fails its components only.
        Map<String, Pipeline> pipelines = new HashMap<>();
        Map<String, String> pipelineErrors = new HashMap<>();
        for (ResourceStore.ComponentRef c : comps) {
            if (!pipelines.containsKey(c.project()) && !pipelineErrors.containsKey(c.project())) {
                try {
                    pipelines.put(c.project(), st.pipeline(namespace, c.project(), usePipeline));
                } catch (GitOpsReleaseException e) {
                    pipelineErrors.put(c.project(), e.getMessage());
                }
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        if (st.concurrent() && parallelism > 1 && comps.size() > 1) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, comps.size()), r -> {
                Thread t = new Thread(r, "releasebinding-generate");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Outcome>> futures = new ArrayList<>();
                for (ResourceStore.ComponentRef c : comps) {
                    futures.add(pool.submit(() -> guarded(st, pipelines, pipelineErrors, c, components != null)));
                }
                for (Future<Outcome> f : futures) {
                    outcomes.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while generating release bindings", e);
            } catch (ExecutionException e) {
                throw new OperationFailedException("release binding generation failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        } else {
            for (ResourceStore.ComponentRef c : comps) {
                outcomes.add(guarded(st, pipelines, pipelineErrors, c, components != null));
            }
        }
        List<Item> items = new ArrayList<>();
        List<FileChange> changes = new ArrayList<>();
        for (Outcome o : outcomes) {
            items.add(o.item());
            changes.addAll(o.changes());
        }
        return new Result(items, changes);
    }

    private Outcome guarded(ResourceStore st, Map<String, Pipeline> pipelines, Map<String, String> pipelineErrors,
            ResourceStore.ComponentRef c, boolean named) {
        try {
            Names.label("component name", c.name());
            Pipeline pl = pipelines.get(c.project());
            if (pl == null) {
                throw new InvalidInputException(pipelineErrors.get(c.project()));
            }
            if (named) {
                st.checkComponent(namespace, c.project(), c.name());
            }
            return one(st, pl, c.project(), c.name());
        } catch (GitOpsReleaseException e) {
            return new Outcome(new Item(c.project(), c.name(), targetEnv, Status.FAILED, null, null, e.getMessage()),
                    List.of());
        }
    }

    /** The binding document computed once; the store only finds and writes it. */
    private Outcome one(ResourceStore st, Pipeline pl, String p, String c) {
        String root = pl.root();
        String env = targetEnv != null ? targetEnv : root;
        pl.check(env);
        String release = selectRelease(st, pl, root, env, p, c);
        Optional<ResourceStore.Found> existing = st.binding(namespace, p, c, env);
        ObjectNode doc;
        if (existing.isPresent()) {
            ResourceStore.Found b = existing.get();
            if (Json.text(b.doc(), "spec", "releaseName").equals(release)) {
                return new Outcome(new Item(p, c, env, Status.UNCHANGED, release, b.where(), null), List.of());
            }
            doc = b.doc().deepCopy();
            ObjectNode spec = doc.has("spec") && doc.get("spec").isObject() ? (ObjectNode) doc.get("spec")
                    : doc.putObject("spec");
            spec.put("releaseName", release);
        } else {
            String name = c + "-" + env;
            Names.subdomain("binding name", name);
            doc = Json.obj();
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
        }
        ResourceStore.Written w = st.putBinding(namespace, p, c, env, doc);
        Status status = existing.isPresent() ? Status.UPDATED : Status.CREATED;
        return new Outcome(new Item(p, c, env, status, release, w.where(), null), w.changes());
    }

    private String selectRelease(ResourceStore st, Pipeline pl, String root, String env, String p, String c) {
        if (componentRelease != null) {
            Names.subdomain("--component-release", componentRelease);
            st.checkRelease(namespace, componentRelease, p, c);
            return componentRelease;
        }
        if (env.equals(root)) {
            return st.rootRelease(namespace, p, c);
        }
        String prev = pl.previous(env).orElseThrow(() -> new InvalidInputException("environment \"" + env
                + "\" has no previous environment in deployment pipeline \"" + pl.name() + "\""));
        ResourceStore.Found prevBinding = st.binding(namespace, p, c, prev).orElseThrow(() -> new InvalidInputException(
                "no ReleaseBinding found in previous environment \"" + prev + "\" for component " + p + "/" + c
                        + ": promote to \"" + prev + "\" first or specify --component-release explicitly"));
        String rn = Json.text(prevBinding.doc(), "spec", "releaseName");
        if (rn.isEmpty()) {
            throw new InvalidInputException("ReleaseBinding in environment \"" + prev + "\" has no releaseName set ("
                    + prevBinding.where() + "): set it or specify --component-release explicitly");
        }
        return rn;
    }
}
