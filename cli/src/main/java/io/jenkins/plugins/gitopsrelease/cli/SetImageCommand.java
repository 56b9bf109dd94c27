package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.gitops.SetImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code set-image}: a minimal, comment-preserving image edit in a kustomization, Helm values or any YAML file. */
@Command(name = "set-image", mixinStandardHelpOptions = true,
        description = "Set an image in a kustomization (images:), Helm values (dotted path) or any YAML path,"
                + " changing nothing else in the file.")
final class SetImageCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;
    @Spec
    CommandSpec spec;

    @Option(names = "--file", required = true, description = "The YAML file to edit.")
    Path file;
    @Option(names = "--image", required = true, description = "Image reference: repository[:tag][@digest].")
    String image;
    @Option(names = "--dry-run", description = "Print the edited file instead of writing it.")
    boolean dryRun;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--kustomize", description = "Edit the kustomization's images: entry (newName/newTag/digest).")
        boolean kustomize;
        @Option(names = "--helm-path", description = "Dotted path of the Helm image value, e.g. image or app.image.")
        String helmPath;
        @Option(names = "--yaml-path", description = "Dotted path of a scalar (list indexes allowed), e.g. spec.containers.0.image.")
        String yamlPath;
    }

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw InvalidInputException.invalid("--file", file, "no such file");
        }
        DirectoryFiles files = new DirectoryFiles(abs.getParent());
        SetImage cmd = SetImage.on(files).file(abs.getFileName().toString()).image(image);
        if (target.kustomize) {
            cmd.kustomize();
        } else if (target.helmPath != null) {
            cmd.helmPath(target.helmPath);
        } else {
            cmd.yamlPath(target.yamlPath);
        }
        SetImage.Result r = cmd.call();
        if (!r.changed()) {
            output.say("Unchanged: " + abs);
        } else if (dryRun) {
            output.say(r.changes().get(0).text().stripTrailing());
        } else {
            files.apply(r.changes());
            output.say("Updated: " + abs);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("file", abs.toString());
        res.put("changed", r.changed());
        output.result(res);
        return ExitCodes.OK;
    }
}
