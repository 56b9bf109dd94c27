package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.gitops.ComponentReleaseGenerate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code componentrelease}: occ's ComponentRelease verbs in file-system mode. */
@Command(name = "componentrelease", mixinStandardHelpOptions = true,
        description = "ComponentRelease resources (occ-compatible).",
        subcommands = {ComponentReleaseCommand.Generate.class})
final class ComponentReleaseCommand extends CommandGroup {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Snapshot components into immutable ComponentRelease files.")
    static final class Generate implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        FsModeOptions fs;
        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Every component in the namespace.")
        boolean all;
        @Option(names = {"-p", "--project"}, description = "Project (alone: every component of the project).")
        String project;
        @Option(names = {"-c", "--component"}, description = "One component (needs --project).")
        String component;
        @Option(names = "--name", description = "Release name (default <component>-<YYYYMMDD>-<n>).")
        String name;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            if (fs.apiMode()) {
                ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(fs.apiStore()).namespace(fs.namespace)
                        .all(all).project(project).component(component).name(name).call();
                for (ComponentReleaseGenerate.Item i : r.items()) {
                    if (i.status() == ComponentReleaseGenerate.Status.FAILED) {
                        output.err().println("error: " + i.project() + "/" + i.component() + ": " + i.error());
                    } else {
                        output.say("Generated: " + i.releaseName() + " (" + i.path() + ")");
                    }
                }
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("items", r.items());
                if (component == null) {
                    output.say(r.summary());
                } else {
                    res.put("releaseName", r.single().releaseName());
                }
                output.result(res);
                failIfAny(r.failed().stream().map(i -> i.project() + "/" + i.component()).toList());
                return ExitCodes.OK;
            }
            DirectoryFiles files = fs.files("componentrelease generate");
            ComponentReleaseGenerate.Result r = ComponentReleaseGenerate.on(files).namespace(fs.namespace).all(all)
                    .project(project).component(component).name(name).outputPath(fs.outputPath(files)).call();
            for (ComponentReleaseGenerate.Item i : r.items()) {
                if (i.status() == ComponentReleaseGenerate.Status.UNCHANGED) {
                    output.say("Skipped (unchanged): " + i.releaseName());
                } else if (i.status() == ComponentReleaseGenerate.Status.FAILED) {
                    output.err().println("error: " + i.project() + "/" + i.component() + ": " + i.error());
                }
            }
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("items", r.items());
            res.put("changes", fs.apply(files, r.changes(), output));
            if (component == null) {
                output.say(r.summary());
            } else {
                res.put("releaseName", r.single().releaseName());
            }
            output.result(res);
            failIfAny(r.failed().stream().map(i -> i.project() + "/" + i.component()).toList());
            return ExitCodes.OK;
        }
    }

    static void failIfAny(List<String> failed) {
        if (!failed.isEmpty()) {
            throw new OperationFailedException(failed.size() + " component(s) failed: " + String.join(", ", failed)
                    + " (the others were written; see the errors above)");
        }
    }
}
