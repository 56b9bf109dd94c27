package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.gitops.ReleaseBindingGenerate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code releasebinding}: occ's ReleaseBinding verbs in file-system mode. */
@Command(name = "releasebinding", mixinStandardHelpOptions = true,
        description = "ReleaseBinding resources (occ-compatible).",
        subcommands = {ReleaseBindingCommand.Generate.class})
final class ReleaseBindingCommand extends CommandGroup {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Bind components to a release in one environment (create or update the ReleaseBinding).")
    static final class Generate implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        FsModeOptions fs;
        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Every component: of --project when given, else of the namespace (needs"
                + " --use-pipeline); needs --target-env.")
        boolean all;
        @Option(names = {"-p", "--project"}, description = "Project (alone: every component of the project).")
        String project;
        @Option(names = {"-c", "--component"}, description = "One component (needs --project).")
        String component;
        @Option(names = "--component-release", description = "Release to bind (default: see docs/cli.md).")
        String componentRelease;
        @Option(names = {"-e", "--target-env"}, description = "Environment (default: the pipeline's root).")
        String targetEnv;
        @Option(names = "--use-pipeline", description = "Deployment pipeline (default: the Project's).")
        String usePipeline;
        @Option(names = "--parallel", defaultValue = "8",
                description = "api-server mode: components updated at once in bulk promotion (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            if (fs.apiMode()) {
                ReleaseBindingGenerate.Result r = ReleaseBindingGenerate.on(fs.apiStore()).namespace(fs.namespace)
                        .all(all).project(project).component(component).componentRelease(componentRelease)
                        .targetEnv(targetEnv).usePipeline(usePipeline).parallelism(parallel).call();
                for (ReleaseBindingGenerate.Item i : r.items()) {
                    if (i.status() == ReleaseBindingGenerate.Status.FAILED) {
                        output.err().println("error: " + i.project() + "/" + i.component() + ": " + i.error());
                    } else {
                        output.say(ApiModeOutput.word(i.status().name()) + ": " + i.path() + " (" + i.releaseName() + ")");
                    }
                }
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("items", r.items());
                if (component == null) {
                    output.say(r.summary());
                }
                output.result(res);
                ComponentReleaseCommand.failIfAny(r.failed().stream().map(i -> i.project() + "/" + i.component())
                        .toList());
                return ExitCodes.OK;
            }
            DirectoryFiles files = fs.files("releasebinding generate");
            ReleaseBindingGenerate.Result r = ReleaseBindingGenerate.on(files).namespace(fs.namespace).all(all)
                    .project(project).component(component).componentRelease(componentRelease).targetEnv(targetEnv)
                    .usePipeline(usePipeline).outputPath(fs.outputPath(files)).call();
            for (ReleaseBindingGenerate.Item i : r.items()) {
                if (i.status() == ReleaseBindingGenerate.Status.UNCHANGED) {
                    output.say("Unchanged: " + files.resolve(i.path()) + " (" + i.releaseName() + ")");
                } else if (i.status() == ReleaseBindingGenerate.Status.FAILED) {
                    output.err().println("error: " + i.project() + "/" + i.component() + ": " + i.error());
                }
            }
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("items", r.items());
            res.put("changes", fs.apply(files, r.changes(), output));
            if (component == null) {
                output.say(r.summary());
            }
            output.result(res);
            ComponentReleaseCommand.failIfAny(r.failed().stream().map(i -> i.project() + "/" + i.component()).toList());
            return ExitCodes.OK;
        }
    }
}
