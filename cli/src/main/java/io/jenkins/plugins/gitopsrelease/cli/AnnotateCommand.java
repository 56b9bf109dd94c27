package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.buildrecord.Annotate;
import io.jenkins.plugins.gitopsrelease.buildrecord.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code annotate}: adds annotation events to a build's record (referrer artifacts on its digest). */
@Command(name = "annotate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add annotations to a build's record: KEY=VALUE events stored next to the image as OCI referrer"
                + " artifacts on its digest (referrers API, or the sha256-<hex> tag schema where the registry has none).",
                "They travel with the image on promote-image; policies read them (policy check)."},
        footer = {"", "Exit codes: 0 written, 1 the registry failed, 2 bad input (nothing written).",
                "Example: gitops-release annotate registry.example.com/shop/app:1.4.2 smoke=passed"})
final class AnnotateCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;
    @Mixin
    RegistryOptions.WithCaFile registry;
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The build: REPO:TAG or REPO@sha256:DIGEST.")
    String image;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "Annotations (a bare KEY means KEY=true).")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--writer", paramLabel = "WHO", description = "Who or what writes (default: cli:$USER).")
    String writer;

    @Option(names = "--run-url", paramLabel = "URL", description = "The CI run that writes (default: $BUILD_URL).")
    String runUrl;

    @Override
    public Integer call() {
        Output output = new Output(spec, global);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String p : pairs) {
            String[] split = Annotation.parsePair("KEY=VALUE", p);
            kv.put(split[0], split[1]);
        }
        Annotate.Result r = Annotate.image(image).annotations(kv).insecure(registry.insecure).caFile(registry.caFile)
                .auth(registry.auth(image))
                .writer(writer != null ? writer : "cli:" + System.getProperty("user.name", "unknown"))
                .runUrl(runUrl != null ? runUrl : System.getenv("BUILD_URL")).progress(output.progress()).call();
        r.annotations().forEach(a -> output.say("annotated " + r.image() + ": " + a.key() + "=" + a.value()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", r.image());
        json.put("digest", r.digest());
        json.put("annotations", r.annotations());
        json.put("artifacts", r.artifactDigests());
        json.put("listing", r.referrersApi() ? "referrers-api" : "tag-schema");
        output.result(json);
        return ExitCodes.OK;
    }
}
