package io.jenkins.plugins.gitopsrelease.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.jenkins.plugins.gitopsrelease.core.ParseLimits;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a platform engineer fixes once: the GitOps repository, its forge, the environments in promotion order and the
 * component link. The keys are the field names of the Jenkins plugin's global configuration, so a
 * {@code gitops-release.yaml} and a JCasC block read alike. Immutable; unknown keys are an error (a typo must not be
 * silently ignored).
 */
public record ReleaseSettings(
        String repositoryUrl,
        String baseBranch,
        String namespace,
        String forge,
        String forgeUrl,
        String forgeTokenEnv,
        String branchStyle,
        List<String> labels,
        boolean autoMerge,
        String componentLinkTemplate,
        List<Environment> environments) implements java.io.Serializable {

    static final Pattern DNS1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Set<String> FORGES = Set.of("none", "github", "gitlab", "bitbucket", "bitbucket-server", "gitea");
    static final Set<String> PLACEHOLDERS = Set.of("namespace", "project", "component", "environment");
    static final Set<String> WATCH_KINDS =
            Set.of("deployment", "statefulset", "daemonset", "helmrelease", "kustomization", "application", "releasebinding");

    /** One environment: its registry repository prefix and how to watch its cluster. */
    @JsonIgnoreProperties({"registryCredentialsId", "kubeCredentialsId"}) // Jenkins-only keys, accepted for symmetry
    public record Environment(
            String name,
            String registry,
            String registryUsername,
            String registryPasswordEnv,
            String kubeconfig,
            String kubeContext,
            String kubeServerUrl,
            String kubeTokenEnv,
            String namespace,
            String watchKind,
            String watchName,
            io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy policy) implements java.io.Serializable {

        public Environment {
            if (name == null || !DNS1123.matcher(name).matches()) {
                throw InvalidInputException.invalid("environments[].name", name,
                        "use lower-case letters, digits and '-', e.g. development");
            }
            watchKind = watchKind == null ? "deployment" : watchKind;
            policy = policy == null ? io.jenkins.plugins.gitopsrelease.policy.EnvironmentPolicy.none() : policy;
            if (!WATCH_KINDS.contains(watchKind)) {
                throw InvalidInputException.invalid("environments[" + name + "].watchKind", watchKind,
                        "use one of " + WATCH_KINDS.stream().sorted().toList());
            }
            if (registry != null && (registry.contains("://") || registry.endsWith("/"))) {
                throw InvalidInputException.invalid("environments[" + name + "].registry", registry,
                        "give host[:port]/path without scheme or trailing '/', e.g. registry.example.com/staging");
            }
        }

        public static Environment named(String name) {
            return new Environment(name, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    public ReleaseSettings {
        baseBranch = baseBranch == null || baseBranch.isBlank() ? "main" : baseBranch;
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        forge = forge == null || forge.isBlank() ? "none" : forge;
        branchStyle = branchStyle == null || branchStyle.isBlank() ? "release-name" : branchStyle;
        labels = labels == null ? List.of() : List.copyOf(labels);
        environments = environments == null ? List.of() : List.copyOf(environments);
        if (!FORGES.contains(forge)) {
            throw InvalidInputException.invalid("forge", forge, "use one of " + FORGES.stream().sorted().toList());
        }
        if (!branchStyle.equals("release-name") && !branchStyle.equals("timestamp")) {
            throw InvalidInputException.invalid("branchStyle", branchStyle, "use release-name or timestamp");
        }
        if (repositoryUrl != null && repositoryUrl.matches("^(https?)://[^/@]+@.*")) {
            throw new InvalidInputException("repositoryUrl: credentials in the URL are not allowed (they would end"
                    + " up in logs): remove 'user:token@' and pass the token through the environment or Jenkins credentials");
        }
        if (componentLinkTemplate != null) {
            Matcher m = Pattern.compile("\\{([^}]*)}").matcher(componentLinkTemplate);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw InvalidInputException.invalid("componentLinkTemplate", componentLinkTemplate,
                            "unknown placeholder {" + m.group(1) + "}; use {namespace}, {project}, {component} or {environment}");
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (Environment e : environments) {
            if (!seen.add(e.name())) {
                throw InvalidInputException.invalid("environments", e.name(), "each environment name may appear once");
            }
        }
    }

    /** Nothing configured: a local GitOps repository, no forge, no environments. */
    public static ReleaseSettings defaults() {
        return new ReleaseSettings(null, null, null, null, null, null, null, null, false, null, null);
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The environment before {@code name} in promotion order, if any (where a build soaks before entering it). */
    public Optional<Environment> previous(String name) {
        for (int i = 1; i < environments.size(); i++) {
            if (environments.get(i).name().equals(name)) {
                return Optional.of(environments.get(i - 1));
            }
        }
        return Optional.empty();
    }

    /** The environment after {@code name} in promotion order, if any. */
    public Optional<Environment> next(String name) {
        for (int i = 0; i < environments.size() - 1; i++) {
            if (environments.get(i).name().equals(name)) {
                return Optional.of(environments.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /** A copy whose relative paths (a local repositoryUrl, kubeconfig files) are resolved against {@code base}. */
    public ReleaseSettings resolvedAgainst(Path base) {
        String repo = repositoryUrl;
        if (repo != null && !repo.contains("://") && !repo.startsWith("git@") && !Path.of(repo).isAbsolute()) {
            repo = base.resolve(repo).normalize().toString();
        }
        List<Environment> envs = environments.stream().map(e -> e.kubeconfig() == null || Path.of(e.kubeconfig()).isAbsolute()
                ? e
                : new Environment(e.name(), e.registry(), e.registryUsername(), e.registryPasswordEnv(),
                        base.resolve(e.kubeconfig()).normalize().toString(), e.kubeContext(), e.kubeServerUrl(),
                        e.kubeTokenEnv(), e.namespace(), e.watchKind(), e.watchName(), e.policy())).toList();
        return new ReleaseSettings(repo, baseBranch, namespace, forge, forgeUrl, forgeTokenEnv, branchStyle, labels,
                autoMerge, componentLinkTemplate, envs);
    }

    private static final ObjectMapper YAML = ParseLimits.yaml()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads a settings file; relative paths in it are resolved against the file's directory. */
    public static ReleaseSettings load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.invalid("--config", file, "the file does not exist");
        }
        try {
            ReleaseSettings s = YAML.readValue(ParseLimits.readYaml("--config", file), ReleaseSettings.class);
            if (s == null) {
                return defaults();
            }
            return s.resolvedAgainst(file.toAbsolutePath().getParent());
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(file + ": unknown key '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds() + ")", e);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            if (e.getCause() instanceof InvalidInputException iie) {
                throw new InvalidInputException(file + ": " + iie.getMessage(), iie);
            }
            throw new InvalidInputException(file + ": " + ParseLimits.describe(e), e);
        } catch (IOException e) {
            throw new InvalidInputException(file + " is not valid YAML: " + ParseLimits.describe(e), e);
        }
    }
}
