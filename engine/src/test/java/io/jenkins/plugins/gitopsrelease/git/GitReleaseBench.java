package io.jenkins.plugins.gitopsrelease.git;

import io.jenkins.plugins.gitopsrelease.files.FileChange;
import io.jenkins.plugins.gitopsrelease.testinfra.ExternalTool;
import io.jenkins.plugins.gitopsrelease.testinfra.GitServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Benchmark (run by hand through bench/git-release.sh): a GitOps repository of 5,000 files and 2,000 commits served
 * by the JGit HTTP fixture on 127.0.0.1; fetch + generate + commit + push with {@link CommitRelease} versus a git
 * CLI script doing clone --depth 1, the same edits, commit and push. Alternating, one warm-up round each.
 */
public final class GitReleaseBench {
    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (GitServerFixture server = GitServerFixture.anonymous().start()) {
            Path bare = server.createBareRepository("bench");
            long t0 = System.nanoTime();
            seed(bare, files, commits);
            System.out.printf(Locale.ROOT, "repository: %d files, %d commits (built in %.1f s)%n", files, commits,
                    (System.nanoTime() - t0) / 1e9);
            String url = server.url("bench");
            Path work = Files.createTempDirectory("git-bench");
            List<Double> engine = new ArrayList<>();
            List<Double> cli = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                boolean engineFirst = round % 2 == 0;
                double e = 0;
                double c = 0;
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == engineFirst) {
                        e = engineRun(url, round, work);
                    } else {
                        c = cliRun(url, round, work);
                    }
                }
                if (round == 0) {
                    System.out.printf(Locale.ROOT, "warm-up: engine %.3f s, git CLI %.3f s%n", e, c);
                    continue;
                }
                engine.add(e);
                cli.add(c);
                System.out.printf(Locale.ROOT, "round %d: engine %.3f s, git CLI %.3f s, ratio %.2f%n", round, e, c,
                        e / c);
            }
            double me = median(engine);
            double mc = median(cli);
            System.out.printf(Locale.ROOT, "median: engine %.3f s, git CLI %.3f s, ratio %.2fx (target <= 0.5x)%n",
                    me, mc, me / mc);
        }
    }

    static double engineRun(String url, int round, Path work) {
        long t = System.nanoTime();
        CommitResult r = CommitRelease.create().setRepository(url).setBaseBranch("main").setTempRoot(work)
                .setRelease(new ReleaseInfo("bench", "svc", "reg/svc:" + round, "e" + round + "0000000"))
                .setReleaseName("engine-" + round)
                .setEdit(ReleaseEdit.of(f -> {
                    // Generation reads every YAML file (the index does); count it on the engine side.
                    long bytes = 0;
                    for (String p : f.list()) {
                        if (p.endsWith(".yaml")) {
                            bytes += f.read(p).orElseThrow().length;
                        }
                    }
                    if (bytes == 0) {
                        throw new IllegalStateException("nothing read");
                    }
                    return edits(round, "engine");
                })).call();
        if (!r.pushed()) {
            throw new IllegalStateException("engine did not push");
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static double cliRun(String url, int round, Path work) throws Exception {
        Path dir = work.resolve("cli-" + round);
        long t = System.nanoTime();
        ExternalTool.run("git", "clone", "-q", "--depth", "1", "--branch", "main", url, dir.toString());
        for (FileChange c : edits(round, "cli")) {
            Path p = dir.resolve(c.path());
            Files.createDirectories(p.getParent());
            Files.write(p, c.content());
        }
        ExternalTool.run(List.of("git", "-C", dir.toString(), "add", "-A"));
        ExternalTool.run(List.of("git", "-C", dir.toString(), "-c", "user.name=Bench", "-c",
                "user.email=bench@example.invalid", "commit", "-q", "-m", "Release svc"));
        ExternalTool.run(List.of("git", "-C", dir.toString(), "push", "-q", "origin",
                "HEAD:refs/heads/release/svc-cli-" + round));
        double s = (System.nanoTime() - t) / 1e9;
        Bare.deleteTree(dir);
        return s;
    }

    static List<FileChange> edits(int round, String who) {
        String base = "namespaces/default/projects/bench/components/svc/";
        return List.of(
                FileChange.of(base + "workload.yaml", "kind: Workload\nimage: reg/svc:" + round + "\n",
                        FileChange.Kind.UPDATED),
                FileChange.of(base + "releases/svc-" + who + "-" + round + ".yaml", "kind: ComponentRelease\n",
                        FileChange.Kind.CREATED),
                FileChange.of(base + "release-bindings/svc-dev.yaml", "kind: ReleaseBinding\nrelease: svc-" + round
                        + "\n", FileChange.Kind.UPDATED));
    }

    /** 5,000 files over 50 components in the first commit, then one small edit per commit. */
    static void seed(Path bareDir, int files, int commits) throws Exception {
        try (Repository repo = FileRepositoryBuilder.create(bareDir.toFile());
                ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = ins.newReader()) {
            ObjectId emptyTree = ins.insert(new org.eclipse.jgit.lib.TreeFormatter());
            List<FileChange> all = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                all.add(FileChange.of("namespaces/default/projects/p" + (i % 10) + "/components/c" + (i % 50) + "/f" + i
                        + ".yaml", "kind: Thing\nmetadata:\n  name: f" + i + "\nspec:\n  value: " + i + "\n",
                        FileChange.Kind.CREATED));
            }
            ObjectId tree = TreeEdits.apply(reader, ins, emptyTree, all);
            ObjectId parent = null;
            PersonIdent who = new PersonIdent("Seed", "seed@example.invalid");
            for (int c = 0; c < commits; c++) {
                if (c > 0) {
                    tree = TreeEdits.apply(reader, ins, tree, List.of(FileChange.of(all.get(c % files).path(),
                            "kind: Thing\nrev: " + c + "\n", FileChange.Kind.UPDATED)));
                }
                CommitBuilder cb = new CommitBuilder();
                cb.setTreeId(tree);
                if (parent != null) {
                    cb.setParentId(parent);
                }
                cb.setAuthor(who);
                cb.setCommitter(who);
                cb.setMessage("commit " + c);
                parent = ins.insert(cb);
            }
            ins.flush();
            RefUpdate u = repo.updateRef("refs/heads/main");
            u.setNewObjectId(parent);
            u.forceUpdate();
        }
        // Packed like a real server's repository.
        ExternalTool.run(List.of("git", "-C", bareDir.toString(), "gc", "-q"));
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }
}
