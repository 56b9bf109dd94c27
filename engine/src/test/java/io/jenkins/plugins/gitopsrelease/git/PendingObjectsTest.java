package io.jenkins.plugins.gitopsrelease.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingObjectsTest {
    @TempDir
    Path tmp;

    @Test
    void heldObjectsAreReadableButReachTheRepositoryOnlyOnWrite() throws Exception {
        try (Repository repo = FileRepositoryBuilder.create(tmp.resolve("r.git").toFile())) {
            repo.create(true);
            ObjectId existing;
            try (ObjectInserter ins = repo.newObjectInserter()) {
                existing = ins.insert(Constants.OBJ_BLOB, "old\n".getBytes(StandardCharsets.UTF_8));
                ins.flush();
            }
            PendingObjects pending = new PendingObjects(repo);
            ObjectId blob = pending.insert(Constants.OBJ_BLOB, "new\n".getBytes(StandardCharsets.UTF_8));
            TreeFormatter tf = new TreeFormatter();
            tf.append("a.yaml", FileMode.REGULAR_FILE, blob);
            tf.append("b.yaml", FileMode.REGULAR_FILE, existing);
            ObjectId tree = pending.insert(tf);
            assertThat(blob).isEqualTo(new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB,
                    "new\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(pending.size()).isEqualTo(2);
            try (ObjectReader r = pending.newReader(); ObjectReader plain = repo.newObjectReader()) {
                assertThat(new String(r.open(blob).getBytes(), StandardCharsets.UTF_8)).isEqualTo("new\n");
                assertThat(new String(r.open(existing).getBytes(), StandardCharsets.UTF_8)).isEqualTo("old\n");
                assertThat(r.has(tree, Constants.OBJ_TREE)).isTrue();
                assertThat(r.has(tree, Constants.OBJ_BLOB)).isFalse();
                assertThat(r.getObjectSize(blob, Constants.OBJ_BLOB)).isEqualTo(4);
                assertThatThrownBy(() -> r.open(tree, Constants.OBJ_COMMIT))
                        .isInstanceOf(IncorrectObjectTypeException.class);
                assertThat(plain.has(blob)).isFalse();
                assertThat(plain.has(tree)).isFalse();
            }
            pending.check(new ObjectChecker());
            try (ObjectInserter into = repo.newObjectInserter()) {
                pending.writeTo(into);
            }
            assertThat(pending.size()).isZero();
            try (ObjectReader plain = repo.newObjectReader()) {
                assertThat(plain.has(blob, Constants.OBJ_BLOB)).isTrue();
                assertThat(plain.has(tree, Constants.OBJ_TREE)).isTrue();
            }
        }
    }

    @Test
    void aMalformedTreeFailsTheCheck() throws Exception {
        try (Repository repo = FileRepositoryBuilder.create(tmp.resolve("r.git").toFile())) {
            repo.create(true);
            PendingObjects pending = new PendingObjects(repo);
            ObjectId blob = pending.insert(Constants.OBJ_BLOB, new byte[0]);
            TreeFormatter tf = new TreeFormatter();
            tf.append(".git", FileMode.REGULAR_FILE, blob); // git refuses a tree entry named .git
            pending.insert(tf);
            assertThatThrownBy(() -> pending.check(new ObjectChecker())).isInstanceOf(CorruptObjectException.class);
            pending.clear();
            assertThat(pending.size()).isZero();
        }
    }
}
