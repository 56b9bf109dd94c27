package io.jenkins.plugins.gitopsrelease.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A DeploymentPipeline's promotion paths: the root environment, reachability, and the previous environment. */
public record Pipeline(String name, List<Path> paths) {

    public record Path(String source, List<String> targets) {
    }

    static Pipeline of(GitopsIndex.Resource r) {
        return of(r.name(), r.tree(), r.where());
    }

    /** A DeploymentPipeline document read anywhere ({@code where}: its file or API URL, for messages). */
    public static Pipeline of(String name, JsonNode doc, String where) {
        List<Path> paths = new ArrayList<>();
        JsonNode pp = Json.at(doc, "spec", "promotionPaths");
        if (pp != null && pp.isArray()) {
            for (JsonNode p : pp) {
                JsonNode src = p.get("sourceEnvironmentRef");
                String source = src == null ? "" : src.isTextual() ? src.asText() : Json.text(src, "name");
                List<String> targets = new ArrayList<>();
                JsonNode ts = p.get("targetEnvironmentRefs");
                if (ts != null && ts.isArray()) {
                    for (JsonNode t : ts) {
                        targets.add(t.isTextual() ? t.asText() : Json.text(t, "name"));
                    }
                }
                paths.add(new Path(source, List.copyOf(targets)));
            }
        }
        if (paths.isEmpty()) {
            throw new InvalidInputException("deployment pipeline " + name + " has no promotion paths defined ("
                    + where + "): add spec.promotionPaths");
        }
        return new Pipeline(name, List.copyOf(paths));
    }

    /** The first source (in list order) that is never a target. */
    public String root() {
        Set<String> targets = new LinkedHashSet<>();
        paths.forEach(p -> targets.addAll(p.targets()));
        for (Path p : paths) {
            if (!p.source().isEmpty() && !targets.contains(p.source())) {
                return p.source();
            }
        }
        throw new InvalidInputException("deployment pipeline \"" + name + "\" has no root environment (all sources are"
                + " also targets): make one environment a source only");
    }

    /** Environments reachable from the root, in breadth-first order. */
    public List<String> environments() {
        List<String> seen = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root());
        while (!queue.isEmpty()) {
            String env = queue.poll();
            if (seen.contains(env)) {
                continue;
            }
            seen.add(env);
            for (Path p : paths) {
                if (p.source().equals(env)) {
                    queue.addAll(p.targets());
                }
            }
        }
        return seen;
    }

    public void check(String env) {
        if (!environments().contains(env)) {
            throw new InvalidInputException("environment \"" + env + "\" does not exist in deployment pipeline \""
                    + name + "\": use one of " + environments());
        }
    }

    /** The environment promoted from: the first path (in list order) whose targets include {@code env}. */
    public Optional<String> previous(String env) {
        return paths.stream().filter(p -> p.targets().contains(env)).map(Path::source).findFirst();
    }
}
