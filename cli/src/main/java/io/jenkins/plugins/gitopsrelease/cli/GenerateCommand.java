package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import io.jenkins.plugins.gitopsrelease.files.DirectoryFiles;
import io.jenkins.plugins.gitopsrelease.gitops.Generate;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code generate}: workload create + componentrelease generate + releasebinding generate, all or nothing. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a release's GitOps resources: Workload, ComponentRelease and ReleaseBinding (occ's three steps).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;
    @Spec
    CommandSpec spec;

    @Option(names = "--root-dir", description = "The GitOps repository checkout (default: the current directory).")
    Path rootDir;
    @Option(names = {"-p", "--project"}, required = true, description = "Project name.")
    String project;
    @Option(names = {"-c", "--component"}, required = true, description = "Component name.")
    String component;
    @Option(names = "--image", required = true, description = "Image reference to deploy.")
    String image;
    @Option(names = "--descriptor", description = "Workload descriptor (workload.yaml from the source repository).")
    Path descriptor;
    @Option(names = "--release-name", description = "Release name (default <component>-<YYYYMMDD>-<n>).")
    String releaseName;
    @Option(names = {"-e", "--target-env"}, description = "Environment to bind (default: the pipeline's root).")
    String targetEnv;
    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;
    @Option(names = "--dry-run", description = "Print the files instead of writing them.")
    boolean dryRun;
    @Mixin
    PolicyOptions policy;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        DirectoryFiles files = new DirectoryFiles(rootDir != null ? rootDir : Paths.get("").toAbsolutePath());
        if (descriptor != null && !descriptor.toFile().isFile()) {
            throw InvalidInputException.invalid("--descriptor", descriptor, "no such file");
        }
        policy.enforce(image, targetEnv, output); // before anything is written
        Generate.Result r = Generate.on(files).namespace(namespace).project(project).component(component).image(image)
                .descriptor(descriptor).releaseName(releaseName).targetEnv(targetEnv).call();
        FsModeOptions fs = new FsModeOptions();
        fs.dryRun = dryRun;
        if (r.releaseUnchanged()) {
            output.say("Skipped (unchanged): " + r.releaseName());
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("releaseName", r.releaseName());
        res.put("releaseUnchanged", r.releaseUnchanged());
        res.put("environment", r.environment());
        res.put("workloadPath", r.workloadPath());
        res.put("releasePath", r.releasePath());
        res.put("bindingPaths", r.bindingPaths());
        res.put("created", r.created());
        res.put("updated", r.updated());
        fs.apply(files, r.changes(), output);
        output.result(res);
        return ExitCodes.OK;
    }
}
