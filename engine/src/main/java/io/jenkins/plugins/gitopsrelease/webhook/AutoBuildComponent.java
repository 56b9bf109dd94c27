package io.jenkins.plugins.gitopsrelease.webhook;

/**
 * A component's auto-build settings as OpenChoreo's Component resource holds them: {@code spec.autoBuild},
 * {@code spec.workflow.parameters.repository.url}, {@code .revision.branch} (default {@code main}) and
 * {@code .appPath} ("" or "/" for the whole repository).
 *
 * @param where the file (and document) it was read from, "" when the caller gave it
 */
public record AutoBuildComponent(String namespace, String project, String component, boolean autoBuild,
        String repositoryUrl, String branch, String appPath, String where) {
    public static final String DEFAULT_BRANCH = "main";

    public AutoBuildComponent {
        namespace = namespace == null ? "" : namespace;
        project = project == null ? "" : project;
        component = component == null ? "" : component;
        repositoryUrl = repositoryUrl == null ? "" : repositoryUrl.strip();
        branch = branch == null || branch.isBlank() ? DEFAULT_BRANCH : branch.strip();
        appPath = normalizeAppPath(appPath);
        where = where == null ? "" : where;
    }

    /** "/svc/api/" → "svc/api"; "", "/", "." and "./" mean the repository root (""). */
    static String normalizeAppPath(String p) {
        String s = p == null ? "" : p.strip();
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.equals(".") ? "" : s;
    }
}
