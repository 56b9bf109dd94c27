package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.buildrecord.ReadRecord;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code record}: a build's record (attributes fixed in the image + annotations in time order). */
@Command(name = "record", mixinStandardHelpOptions = true, description = "A build's record.",
        subcommands = {RecordCommand.Show.class})
final class RecordCommand extends CommandGroup {

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print a build's attributes (fixed at build time, part of the digest) and every annotation"
                    + " in time order (key, value, writer, time, run).",
            footer = {"", "Exit codes: 0 shown, 1 the registry failed, 2 bad input (no such image)."})
    static final class Show implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Mixin
        RegistryOptions.WithCaFile registry;
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IMAGE", description = "The build: REPO:TAG or REPO@sha256:DIGEST.")
        String image;

        @Override
        public Integer call() {
            Output output = new Output(spec, global);
            BuildRecord r = ReadRecord.image("IMAGE", image).insecure(registry.insecure).caFile(registry.caFile)
                    .auth(registry.auth(image)).call();
            output.say(r.image());
            output.say("attributes:");
            new TreeMap<>(r.attributes()).forEach((k, v) -> output.say("  " + k + " = " + v));
            output.say("annotations (" + r.annotations().size() + ", " + r.listing() + "):");
            for (Annotation a : r.annotations()) {
                output.say("  " + a.time() + "  " + a.key() + "=" + a.value() + "  by " + a.writer()
                        + (a.runUrl() == null ? "" : "  " + a.runUrl()));
            }
            for (String x : r.rejected()) {
                output.say("  REJECTED " + x);
            }
            output.result(r);
            return ExitCodes.OK;
        }
    }
}
