package io.jenkins.plugins.gitopsrelease.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.cloud.tools.jib.api.ImageReference;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which repository (registry/path) an environment name stands for, from the same sources as OctoPilot {@code op},
 * first match wins:
 * <ol>
 * <li>explicit options ({@code --source-repository}/{@code --destination-repository}, or {@code NAME=REPO} pairs);</li>
 * <li>environment variables: {@code GOOGLE_GKE_IMAGE_<NAME>_REPOSITORY} ({@code GOOGLE_GKE_IMAGE_REPOSITORY} for
 * {@code dev}), then {@code PROMOTE_SOURCE_REPOSITORY}/{@code PROMOTE_DESTINATION_REPOSITORY} for the role;</li>
 * <li>{@code pipeline.properties} (or the file named by {@code OCTOPILOT_PIPELINE_PROPERTIES}), same keys;</li>
 * <li>{@code .registry} (YAML): {@code environments: {NAME: REPO}}, or a top-level {@code NAME: REPO} (op's
 * {@code local:}; {@code ci:} takes its first entry), with {@code ${VAR:-default}} interpolation.</li>
 * </ol>
 * Names are free: {@code qa-eu} reads {@code GOOGLE_GKE_IMAGE_QA_EU_REPOSITORY}. The environment-variable map is
 * injected so tests (and the Jenkins plugin, which has its own build environment) do not touch the process env.
 */
public final class Environments {
    public enum Role {
        SOURCE("--source", "PROMOTE_SOURCE_REPOSITORY"),
        DESTINATION("--destination", "PROMOTE_DESTINATION_REPOSITORY");

        final String option;
        final String variable;

        Role(String option, String variable) {
            this.option = option;
            this.variable = variable;
        }
    }

    /** A resolved environment and where its repository came from (for the log). */
    public record Resolved(String name, String repository, String origin) {
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;
    private final Path workDir;
    private final Map<String, String> explicitByName = new LinkedHashMap<>();
    private final Map<Role, String> explicitByRole = new LinkedHashMap<>();
    private Path pipelineProperties;

    private Environments(Map<String, String> env, Path workDir) {
        this.env = Map.copyOf(env);
        this.workDir = workDir;
    }

    /** Reads the given variables and files under {@code workDir}. */
    public static Environments of(Map<String, String> env, Path workDir) {
        return new Environments(env, workDir);
    }

    /** The process environment and the current directory. */
    public static Environments fromProcess() {
        return new Environments(System.getenv(), Path.of("").toAbsolutePath());
    }

    public Environments explicit(String name, String repository) {
        explicitByName.put(name, repository);
        return this;
    }

    public Environments explicit(Role role, String repository) {
        if (repository != null && !repository.isBlank()) {
            explicitByRole.put(role, repository);
        }
        return this;
    }

    public Environments pipelineProperties(Path file) {
        this.pipelineProperties = file;
        return this;
    }

    public Resolved resolve(String name, Role role) {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw InvalidInputException.invalid(role.option, name, "give an environment name such as dev, pp or prod");
        }
        if (explicitByRole.containsKey(role)) {
            return done(name, explicitByRole.get(role), role.option + "-repository", role);
        }
        if (explicitByName.containsKey(name)) {
            return done(name, explicitByName.get(name), "--environment " + name, role);
        }
        List<String> keys = keys(name);
        for (String k : keys) {
            if (nonBlank(env.get(k))) {
                return done(name, env.get(k), "environment variable " + k, role);
            }
        }
        if (nonBlank(env.get(role.variable))) {
            return done(name, env.get(role.variable), "environment variable " + role.variable, role);
        }
        Path props = propertiesFile();
        if (props != null && Files.isRegularFile(props)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw InvalidInputException.invalid("pipeline.properties", props, "cannot be read: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // java.util.Properties refuses a malformed \\uXXXX escape with an unchecked exception.
                throw InvalidInputException.invalid("pipeline.properties", props, "not a valid properties file ("
                        + e.getMessage() + "): write \\u followed by four hex digits, or \\\\ for a backslash");
            }
            for (String k : keys) {
                if (nonBlank(p.getProperty(k))) {
                    return done(name, p.getProperty(k), props.getFileName() + " " + k, role);
                }
            }
            if (nonBlank(p.getProperty(role.variable))) {
                return done(name, p.getProperty(role.variable), props.getFileName() + " " + role.variable, role);
            }
        }
        Optional<String> fromRegistryFile = registryFile(name);
        if (fromRegistryFile.isPresent()) {
            return done(name, fromRegistryFile.get(), ".registry", role);
        }
        throw InvalidInputException.invalid(role.option, name, "unknown environment: no repository configured;"
                + " set " + keys.get(0) + " or " + role.variable + ", the same key in pipeline.properties, an entry"
                + " under 'environments:' in .registry, or pass " + role.option + "-repository");
    }

    /** {@code GOOGLE_GKE_IMAGE_<NAME>_REPOSITORY}; dev is op's unqualified {@code GOOGLE_GKE_IMAGE_REPOSITORY}. */
    static List<String> keys(String name) {
        String upper = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        List<String> keys = new ArrayList<>();
        if (upper.equals("DEV")) {
            keys.add("GOOGLE_GKE_IMAGE_REPOSITORY");
        }
        keys.add("GOOGLE_GKE_IMAGE_" + upper + "_REPOSITORY");
        return keys;
    }

    private Path propertiesFile() {
        if (pipelineProperties != null) {
            if (!Files.isRegularFile(pipelineProperties)) {
                throw InvalidInputException.invalid("--pipeline-properties", pipelineProperties, "the file does not exist");
            }
            return pipelineProperties;
        }
        String fromEnv = env.get("OCTOPILOT_PIPELINE_PROPERTIES");
        if (nonBlank(fromEnv)) {
            return workDir.resolve(fromEnv);
        }
        return workDir.resolve("pipeline.properties");
    }

    private Optional<String> registryFile(String name) {
        Path file = workDir.resolve(".registry");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = io.jenkins.plugins.gitopsrelease.core.ParseLimits.yaml().readTree(
                    io.jenkins.plugins.gitopsrelease.core.ParseLimits.readYaml(".registry", file));
        } catch (IOException e) {
            throw InvalidInputException.invalid(".registry", file, "not valid YAML: "
                    + io.jenkins.plugins.gitopsrelease.core.ParseLimits.describe(e));
        }
        if (root == null) {
            return Optional.empty();
        }
        JsonNode n = root.path("environments").path(name);
        if (n.isMissingNode()) {
            n = root.path(name);
        }
        if (n.isArray() && n.size() > 0) {
            n = n.get(0);
        }
        return n.isTextual() && !n.asText().isBlank() ? Optional.of(interpolate(n.asText())) : Optional.empty();
    }

    private String interpolate(String s) {
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(nonBlank(v) ? v : m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Resolved done(String name, String repo, String origin, Role role) {
        String r = repo.trim().replaceAll("/+$", "");
        if (r.contains("://") || r.contains(":") && r.lastIndexOf(':') > r.lastIndexOf('/') && r.indexOf('/') > 0
                || r.contains("@")) {
            throw InvalidInputException.invalid(role.option, name, "the repository '" + r + "' from " + origin
                    + " must be REGISTRY[/PATH] without scheme, tag or digest");
        }
        return new Resolved(name, r, origin);
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * Where a built image goes in the destination environment: the image's path below the source repository is
     * kept under the destination repository, with the same tag ({@code src-repo/app:1.2} → {@code dst-repo/app:1.2}).
     */
    public static String relocate(ImageReference built, String sourceRepository, String destinationRepository,
            String field) {
        String repo = ImageRefs.repository(built);
        String prefix = sourceRepository + "/";
        if (!repo.startsWith(prefix)) {
            throw InvalidInputException.invalid(field, ImageRefs.withoutDigest(built), "the image is not under the"
                    + " source environment's repository " + sourceRepository + "; fix the source environment or"
                    + " its repository setting");
        }
        String tag = built.getTag().filter(t -> !built.usesDefaultTag()).orElseThrow(() -> InvalidInputException
                .invalid(field, built.toString(), "a tag is required (a digest-only reference cannot be promoted"
                        + " to a tag)"));
        return destinationRepository + "/" + repo.substring(prefix.length()) + ":" + tag;
    }
}
