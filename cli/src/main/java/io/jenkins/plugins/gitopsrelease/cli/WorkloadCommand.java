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

/** {@code workload}: occ's workload verbs, in file-system or api-server mode. */
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
        @Option(names = "--build-url", paramLabel = "URL",
                description = "The CI run that built the image; recorded as annotation " + WorkloadCreate.ANNOTATION_BUILD_URL + ".")
        String buildUrl;
        @Option(names = "--commit", description = "The source commit; recorded as annotation " + WorkloadCreate.ANNOTATION_COMMIT + ".")
        String commit;
        @Option(names = "--image-digest", paramLabel = "sha256:...",
                description = "The image digest; recorded as annotation " + WorkloadCreate.ANNOTATION_IMAGE_DIGEST + ".")
        String imageDigest;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            WorkloadCreate.BuildInfo info = buildUrl == null && commit == null && imageDigest == null ? null
                    : new WorkloadCreate.BuildInfo(buildUrl, commit, imageDigest);
            if (fs.apiMode()) {
                WorkloadCreate.Result r = WorkloadCreate.on(fs.apiStore()).namespace(fs.namespace).project(project)
                        .component(component).image(image).descriptor(descriptor).buildInfo(info).call();
                output.say(ApiModeOutput.word(r.outcome()) + ": " + r.path());
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("workload", r.workloadName());
                res.put("url", r.path());
                res.put("outcome", r.outcome().name().toLowerCase());
                output.result(res);
                return ExitCodes.OK;
            }
            DirectoryFiles files = fs.files("workload create");
            WorkloadCreate.Result r = WorkloadCreate.on(files).namespace(fs.namespace).project(project)
                    .component(component).image(image).descriptor(descriptor).buildInfo(info)
                    .outputPath(fs.outputPath(files)).call();
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
