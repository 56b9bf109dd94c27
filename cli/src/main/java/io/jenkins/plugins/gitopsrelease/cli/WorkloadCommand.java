package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.gitops.WorkloadCreate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code workload}: occ's workload verbs in file-system mode. */
@Command(name = "workload", mixinStandardHelpOptions = true, description = "Workload resources (occ-compatible).",
        subcommands = {WorkloadCommand.Create.class})
final class WorkloadCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Write the component's Workload: from a descriptor, or change only the image of the existing one.")
    static final class Create implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        FsModeOptions fs;
        @Spec
        CommandSpec spec;

        @Option(names = {"-p", "--project"}, required = true, description = "Project name.")
        String project;
        @Option(names = {"-c", "--component"}, required = true, description = "Component name.")
        String component;
        @Option(names = "--image", required = true, description = "Image reference to deploy.")
        String image;
        @Option(names = "--descriptor", description = "Workload descriptor (workload.yaml from the source repository).")
        Path descriptor;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            DirectoryFiles files = fs.files("workload create");
            WorkloadCreate.Result r = WorkloadCreate.on(files).namespace(fs.namespace).project(project)
                    .component(component).image(image).descriptor(descriptor).outputPath(fs.outputPath(files)).call();
            if (r.changes().isEmpty()) {
                output.say("Unchanged: " + files.resolve(r.path()));
            }
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("workload", r.workloadName());
            res.put("path", r.path());
            res.put("changes", fs.apply(files, r.changes(), output));
            output.result(res);
            return ExitCodes.OK;
        }
    }
}
