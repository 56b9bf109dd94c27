package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.Executables;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Tells which external tools this agent has, so a platform engineer sees what each builder needs. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "List the external tools found on PATH (buildah, podman, docker, skopeo, pack, git, node).")
final class DoctorCommand implements Callable<Integer> {
    static final List<String> TOOLS = List.of("buildah", "podman", "docker", "skopeo", "pack", "git", "node", "npm");

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        Map<String, String> found = new LinkedHashMap<>();
        for (String tool : TOOLS) {
            String where = Executables.find(tool).map(Path::toString).orElse(null);
            found.put(tool, where);
            output.say(String.format("%-8s %s", tool, where == null ? "not found" : where));
        }
        output.result(Map.of("tools", found));
        return ExitCodes.OK;
    }
}
