package io.jenkins.plugins.gitopsrelease.gitops;

import static io.jenkins.plugins.gitopsrelease.gitops.GitopsFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetImageTest {
    @TempDir
    Path root;

    private String run(String file, String content, java.util.function.UnaryOperator<SetImage> how, String image) {
        write(root, file, content);
        SetImage.Result r = how.apply(SetImage.on(new DirectoryFiles(root)).file(file)).image(image).call();
        return r.changes().isEmpty() ? content : r.changes().get(0).text();
    }

    static final String KUSTOMIZATION = """
            # deploys the shop
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml   # the app
            images:
              - name: shop/api      # keep me
                newName: reg.example/shop/api
                newTag: "1.0"
                digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
              - name: other
                newTag: v9
            """;

    @Test
    void kustomizeChangesOnlyTheMatchingEntrysScalars() {
        String out = run("k/kustomization.yaml", KUSTOMIZATION, SetImage::kustomize, "reg.example/shop/api:2.0");
        assertThat(out).isEqualTo(KUSTOMIZATION.replace("newTag: \"1.0\"", "newTag: \"2.0\"").replace(
                "    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n", ""));
    }

    @Test
    void kustomizeDigestAndNewNameInsertion() {
        String in = "images:\n- name: app\n  newTag: v1 # pinned\nresources: [a.yaml]\n";
        String d = "sha256:" + "a".repeat(64);
        String out = run("kustomization.yaml", in, SetImage::kustomize, "reg.example/app:v2@" + d);
        assertThat(out).isEqualTo("images:\n- name: app\n  newTag: v2 # pinned\n  newName: reg.example/app\n  digest: "
                + d + "\nresources: [a.yaml]\n");
        String none = run("k2/kustomization.yaml", "resources:\n- a.yaml\n", SetImage::kustomize, "app:v3");
        assertThat(none).isEqualTo("resources:\n- a.yaml\nimages:\n- name: app\n  newTag: v3\n");
    }

    @Test
    void helmRepositoryAndTagOrSingleString() {
        String values = """
                replicaCount: 2
                image:
                  # where from
                  registry: docker.io
                  repository: "library/nginx"
                  tag: '1.25'   # current
                  pullPolicy: IfNotPresent
                other: {image: x}
                """;
        String out = run("values.yaml", values, s -> s.helmPath("image"), "reg.example/team/nginx:1.27");
        assertThat(out).isEqualTo(values.replace("docker.io", "reg.example").replace("\"library/nginx\"",
                "\"team/nginx\"").replace("'1.25'", "'1.27'"));
        String single = "app:\n  image: nginx:1.0 # the image\n";
        assertThat(run("v2.yaml", single, s -> s.helmPath("app.image"), "nginx:1.1"))
                .isEqualTo("app:\n  image: nginx:1.1 # the image\n");
    }

    @Test
    void anyYamlPathIncludingListIndexesAndFlowStyle() {
        String dep = """
                apiVersion: apps/v1
                kind: Deployment
                spec:
                  template:
                    spec:
                      containers:
                        - name: main
                          image: reg/app:1   # bumped by CI
                        - {name: side, image: reg/side:1}
                """;
        assertThat(run("d.yaml", dep, s -> s.yamlPath("spec.template.spec.containers.1.image"), "reg/side:2"))
                .isEqualTo(dep.replace("reg/side:1", "reg/side:2"));
        assertThat(run("d2.yaml", dep, s -> s.yamlPath("spec.template.spec.containers.0.image"), "reg/app:2"))
                .isEqualTo(dep.replace("reg/app:1", "reg/app:2"));
    }

    @Test
    void sameImageIsNoChangeAndBadInputsAreClear() {
        write(root, "v.yaml", "image: a:1\n");
        SetImage.Result r = SetImage.on(new DirectoryFiles(root)).file("v.yaml").yamlPath("image").image("a:1").call();
        assertThat(r.changed()).isFalse();
        assertThatThrownBy(() -> SetImage.on(new DirectoryFiles(root)).file("v.yaml").yamlPath("nope").image("a:2")
                .call()).isInstanceOf(InvalidInputException.class).hasMessageContaining("--yaml-path");
        assertThatThrownBy(() -> SetImage.on(new DirectoryFiles(root)).file("../v.yaml").yamlPath("image")
                .image("a:2").call()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SetImage.on(new DirectoryFiles(root)).file("v.yaml").yamlPath("image")
                .image("a:bad tag").call()).hasMessageContaining("--image");
    }
}
