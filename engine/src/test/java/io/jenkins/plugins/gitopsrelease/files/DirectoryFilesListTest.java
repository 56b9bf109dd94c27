package io.jenkins.plugins.gitopsrelease.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link DirectoryFiles#list(Predicate)} tests a directory before opening it (start-up of a targeted index). For
 * generated trees (nested directories, {@code .git}, symbolic links to files and directories) and generated
 * predicates it must list exactly what {@code Files.walkFileTree} with the same predicate lists.
 */
class DirectoryFilesListTest {

    static List<String> reference(Path root, Predicate<String> descend) throws IOException {
        List<String> files = new ArrayList<>();
        if (!descend.test("")) {
            return files;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                if (dir.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return descend.test(root.relativize(dir).toString()) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(root.relativize(file).toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(files);
        return files;
    }

    @Property(tries = 60)
    void listsWhatTheFileTreeWalkLists(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        Path root = Files.createTempDirectory("dirfiles");
        try {
            List<Path> dirs = new ArrayList<>(List.of(root));
            Set<String> allDirs = new TreeSet<>();
            for (int i = 0; i < 40; i++) {
                Path parent = dirs.get(rnd.nextInt(dirs.size()));
                String name = switch (rnd.nextInt(8)) {
                    case 0 -> ".git";
                    case 1 -> "f" + i + ".yaml";
                    case 2 -> "link" + i;
                    default -> "d" + rnd.nextInt(6);
                };
                Path p = parent.resolve(name);
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (name.startsWith("f")) {
                    Files.writeString(p, "x: " + i);
                } else if (name.startsWith("link")) {
                    Path target = rnd.nextBoolean() ? dirs.get(rnd.nextInt(dirs.size())) : root.resolve("missing");
                    Files.createSymbolicLink(p, target);
                } else {
                    Files.createDirectory(p);
                    dirs.add(p);
                    allDirs.add(root.relativize(p).toString());
                    if (name.equals(".git")) {
                        Files.writeString(p.resolve("HEAD"), "ref: refs/heads/main");
                    }
                }
            }
            // a predicate that admits a random subset of the directories (and, now and then, not even the root)
            Set<String> admitted = new TreeSet<>();
            allDirs.forEach(d -> {
                if (rnd.nextInt(4) != 0) {
                    admitted.add(d);
                }
            });
            boolean rootAdmitted = rnd.nextInt(10) != 0;
            Predicate<String> descend = d -> d.isEmpty() ? rootAdmitted : admitted.contains(d);
            assertThat(new DirectoryFiles(root).list(descend)).isEqualTo(reference(root, descend));
            assertThat(new DirectoryFiles(root).list()).isEqualTo(reference(root, d -> true));
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
