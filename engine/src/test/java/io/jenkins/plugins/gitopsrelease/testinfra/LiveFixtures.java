package io.jenkins.plugins.gitopsrelease.testinfra;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The test fixtures as long-running processes for a live Jenkins controller ({@code bench/jenkins-live.sh}): the dev
 * registry (plain HTTP), the staging registry (htpasswd), the Git HTTP server (basic auth) holding a GitOps repository
 * seeded from {@code examples/gitops-repo}, a WireMock GitHub API and the fabric8 Kubernetes mock in CRUD mode.
 *
 * <p>Usage: {@code LiveFixtures OUT.env EXAMPLES_DIR}. Secrets come from the environment ({@code LIVE_STAGING_PASSWORD},
 * {@code LIVE_GIT_PASSWORD}), never from argv. Once everything answers, {@code OUT.env} is written (atomically) with
 * the URLs as shell assignments. Stops on SIGTERM or when stdin is closed (the parent script died).
 *
 * <p>It also plays the GitOps controller (what Argo CD or Flux do in a cluster): when a release branch is pushed, the
 * environments whose ReleaseBinding the commit changed get a Deployment named after the component, in the namespace
 * {@code LIVE_ENVIRONMENTS} maps them to, running the image of the committed Workload; its status is then set rolled
 * out and ready, so that {@code watchDeployment} sees a real rollout through the API server. It then merges the
 * branch (fast-forwards {@code main}, as a reviewer pressing "merge" would), so the next release starts from it.
 */
public final class LiveFixtures {
    private static final Pattern BINDING =
            Pattern.compile("namespaces/[^/]+/projects/[^/]+/components/([^/]+)/release-bindings/\\1-([^/]+)\\.yaml");
    static final String REPOSITORY = "gitops";

    private final Map<String, String> namespaces;
    private final PrintStream log;
    private final Map<String, ObjectId> seen = new HashMap<>();
    private RegistryFixture dev;
    private RegistryFixture staging;
    private GitServerFixture git;
    private ForgeMock forge;
    private KubeMockFixture kube;

    LiveFixtures(Map<String, String> namespaces, PrintStream log) {
        this.namespaces = namespaces;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LiveFixtures OUT.env EXAMPLES_DIR");
            System.exit(2);
        }
        Map<String, String> namespaces = parseEnvironments(env("LIVE_ENVIRONMENTS"));
        LiveFixtures f = new LiveFixtures(namespaces, System.out);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            f.close();
        }, "live-fixtures-stop"));
        try {
            f.start(Path.of(args[1]), env("LIVE_STAGING_PASSWORD"), env("LIVE_GIT_PASSWORD"));
            f.writeEnv(Path.of(args[0]));
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent holds the pipe open; EOF means it is gone
                }
            } catch (IOException ignored) {
                // closed
            }
            System.exit(0);
        }, "live-fixtures-stdin");
        stdin.setDaemon(true);
        stdin.start();
        while (stop.getCount() > 0) {
            try {
                f.reconcile();
            } catch (Exception e) {
                f.log.println("controller: " + e);
            }
            Thread.sleep(50);
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            System.err.println("LiveFixtures: environment variable " + name + " is not set");
            System.exit(2);
        }
        return v;
    }

    /** {@code development=shop-development,staging=shop-staging}: environment → namespace, in promotion order. */
    static Map<String, String> parseEnvironments(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("LIVE_ENVIRONMENTS: '" + pair + "' is not ENV=NAMESPACE");
            }
            out.put(kv[0].trim(), kv[1].trim());
        }
        return out;
    }

    void start(Path examples, String stagingPassword, String gitPassword) throws Exception {
        dev = RegistryFixture.plain().start();
        staging = RegistryFixture.withAuth("stager", stagingPassword).start();
        git = GitServerFixture.withAuth("bot", gitPassword).start();
        git.createRepository(REPOSITORY, examples.resolve("gitops-repo"), "main");
        forge = new ForgeMock().start();
        stubGitHub();
        kube = new KubeMockFixture().start();
        // Remember what the seed pushed, so only the releases that follow are deployed.
        reconcile();
        log.println("live fixtures up");
    }

    void writeEnv(Path out) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("DEV_REGISTRY", dev.host());
        vars.put("STAGING_REGISTRY", staging.host());
        vars.put("STAGING_USER", staging.user());
        vars.put("GIT_URL", git.url(REPOSITORY));
        vars.put("GIT_USER", git.user());
        vars.put("FORGE_URL", forge.url());
        vars.put("FORGE_REPOSITORY", "git/" + REPOSITORY);
        vars.put("KUBE_URL", kube.url());
        StringBuilder sb = new StringBuilder();
        vars.forEach((k, v) -> sb.append(k).append("='").append(v).append("'\n"));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    /** GitHub's REST API as the github forge calls it for one repository: look-up, PR search, PR creation. */
    private void stubGitHub() {
        var s = forge.server();
        String repo = "/repos/git/" + REPOSITORY;
        s.stubFor(get(urlPathEqualTo("/user")).willReturn(okJson("{\"login\":\"bot\",\"id\":3,\"type\":\"User\"}")));
        s.stubFor(get(urlPathEqualTo(repo)).willReturn(okJson("{\"id\":1,\"node_id\":\"R_1\",\"name\":\"" + REPOSITORY
                + "\",\"full_name\":\"git/" + REPOSITORY + "\",\"owner\":{\"login\":\"git\",\"id\":2,"
                + "\"type\":\"Organization\"},\"html_url\":\"https://github.example/git/" + REPOSITORY + "\",\"url\":\""
                + forge.url() + repo + "\",\"default_branch\":\"main\"}")));
        s.stubFor(get(urlPathEqualTo(repo + "/pulls")).willReturn(okJson("[]")));
        s.stubFor(post(urlPathEqualTo(repo + "/pulls")).willReturn(status(201)
                .withHeader("Content-Type", "application/json").withBody(pr(7))));
        s.stubFor(get(urlPathMatching(repo + "/pulls/[0-9]+")).willReturn(okJson(pr(7))));
        s.stubFor(post(urlPathMatching(repo + "/issues/[0-9]+/labels")).willReturn(okJson("[]")));
    }

    private String pr(int number) {
        String repo = "/repos/git/" + REPOSITORY;
        return "{\"id\":" + (70 + number) + ",\"node_id\":\"PR_" + number + "\",\"number\":" + number
                + ",\"state\":\"open\",\"title\":\"Release\",\"html_url\":\"https://github.example/git/" + REPOSITORY
                + "/pull/" + number + "\",\"url\":\"" + forge.url() + repo + "/pulls/" + number + "\",\"merged\":false,"
                + "\"merge_commit_sha\":null,\"head\":{\"ref\":\"release/x\",\"sha\":\""
                + "1111111111111111111111111111111111111111\"},\"base\":{\"ref\":\"main\",\"sha\":\""
                + "2222222222222222222222222222222222222222\"}}";
    }

    /** The GitOps controller's loop: deploy what each newly pushed release branch binds. */
    synchronized void reconcile() throws Exception {
        if (git == null) {
            return;
        }
        try (Repository bare = FileRepositoryBuilder.create(git.repositoryDir(REPOSITORY).toFile())) {
            boolean first = seen.isEmpty();
            for (Ref r : bare.getRefDatabase().getRefsByPrefix("refs/heads/")) {
                ObjectId was = seen.put(r.getName(), r.getObjectId());
                if (first || r.getObjectId().equals(was) || !r.getName().startsWith("refs/heads/release/")) {
                    continue;
                }
                deploy(bare, r);
                merge(bare, r);
            }
            if (first) {
                seen.putIfAbsent("", ObjectId.zeroId());
            }
        }
    }

    private void deploy(Repository bare, Ref ref) throws Exception {
        try (RevWalk rw = new RevWalk(bare); DiffFormatter df = new DiffFormatter(java.io.OutputStream.nullOutputStream())) {
            RevCommit c = rw.parseCommit(ref.getObjectId());
            df.setRepository(bare);
            List<DiffEntry> diff = df.scan(c.getParentCount() == 0 ? null : rw.parseCommit(c.getParent(0)).getTree(),
                    c.getTree());
            for (DiffEntry e : diff) {
                Matcher m = BINDING.matcher(e.getNewPath());
                if (!m.matches()) {
                    continue;
                }
                String component = m.group(1);
                String environment = m.group(2);
                String namespace = namespaces.get(environment);
                String workload = e.getNewPath().substring(0, e.getNewPath().indexOf("/release-bindings/"))
                        + "/workload.yaml";
                String image = image(bare, c, workload);
                if (namespace == null || image == null) {
                    log.println("controller: " + ref.getName() + ": no namespace or image for " + environment);
                    continue;
                }
                rollOut(namespace, component, image);
                log.println(Instant.now() + " controller: " + ref.getName() + " -> " + namespace + "/" + component
                        + " runs " + image);
            }
        }
    }

    private void merge(Repository bare, Ref ref) throws IOException {
        RefUpdate u = bare.updateRef("refs/heads/main");
        u.setNewObjectId(ref.getObjectId());
        RefUpdate.Result result = u.update();
        seen.put("refs/heads/main", ref.getObjectId());
        log.println(Instant.now() + " reviewer: merged " + ref.getName() + " into main: " + result);
    }

    private static String image(Repository repo, RevCommit c, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            if (tw == null) {
                return null;
            }
            JsonNode w = new YAMLMapper().readTree(repo.open(tw.getObjectId(0)).getBytes());
            String image = w.path("spec").path("container").path("image").asText(null);
            return image == null || image.isBlank() ? null : image;
        }
    }

    /** Applies the new image as a new generation, then reports it rolled out (what the Deployment controller does). */
    private void rollOut(String namespace, String component, String image) {
        var deployments = kube.client().apps().deployments().inNamespace(namespace);
        Resource<Deployment> d = deployments.withName(component);
        Deployment current = d.get();
        long generation;
        if (current == null) {
            generation = 1;
            deployments.resource(new DeploymentBuilder()
                    .withNewMetadata().withName(component).withNamespace(namespace).withGeneration(generation)
                    .addToLabels("app.kubernetes.io/name", component).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", component).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", component).endMetadata().withNewSpec()
                    .addNewContainer().withName("main").withImage(image).endContainer()
                    .endSpec().endTemplate().endSpec().build()).create();
        } else {
            generation = (current.getMetadata().getGeneration() == null ? 1 : current.getMetadata().getGeneration()) + 1;
            long g = generation;
            d.edit(x -> {
                x.getMetadata().setGeneration(g);
                x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
                return x;
            });
        }
        long g = generation;
        d.editStatus(x -> {
            x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(g).withReplicas(1).withUpdatedReplicas(1)
                    .withReadyReplicas(1).withAvailableReplicas(1).addNewCondition().withType("Available")
                    .withStatus("True").withReason("MinimumReplicasAvailable").endCondition().addNewCondition()
                    .withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
                    .build());
            return x;
        });
    }

    synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {kube, forge, git, staging, dev}) {
            if (c != null) {
                all.add(c);
            }
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
        git = null;
        log.println("live fixtures stopped");
    }
}
