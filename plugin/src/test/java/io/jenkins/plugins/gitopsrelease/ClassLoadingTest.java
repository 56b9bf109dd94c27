package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import hudson.PluginWrapper;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/**
 * In a real controller (its own JVM, plugins loaded from their hpi files, not the flat test classpath) the engine links
 * against the one copy of JGit, Jackson, fabric8, github-api, gitlab4j and SnakeYAML that the API plugins ship: each
 * class resolves to the API plugin's own Class object and exists once on our plugin's class path, so no
 * LinkageError can come from two copies.
 */
class ClassLoadingTest {
    @RegisterExtension
    private final RealJenkinsExtension rr = new RealJenkinsExtension().withTimeout(600);

    @Test
    void sharedLibrariesComeOnceFromTheirApiPlugins() throws Throwable {
        String problems = rr.then(ClassLoadingTest::check);
        assertThat(problems, is(""));
    }

    private static String check(org.jvnet.hudson.test.JenkinsRule r) throws Exception {
        List<String> problems = new ArrayList<>();
        Jenkins jenkins = r.jenkins;
        PluginWrapper ours = jenkins.getPluginManager().getPlugin("gitops-release");
        if (ours == null || !ours.isActive()) {
            return "gitops-release is not active";
        }
        String[][] shared = {
            {"org.eclipse.jgit.api.Git", "git-client"},
            {"org.eclipse.jgit.transport.sshd.SshdSessionFactory", "git-client"},
            {"com.fasterxml.jackson.databind.ObjectMapper", "jackson2-api"},
            {"com.fasterxml.jackson.dataformat.yaml.YAMLFactory", "jackson2-api"},
            {"io.fabric8.kubernetes.client.KubernetesClient", "kubernetes-client-api"},
            {"io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory", "kubernetes-client-api"},
            {"org.kohsuke.github.GitHub", "github-api"},
            {"org.gitlab4j.api.GitLabApi", "gitlab-api"},
            {"org.yaml.snakeyaml.Yaml", "snakeyaml-api"},
        };
        for (String[] s : shared) {
            PluginWrapper api = jenkins.getPluginManager().getPlugin(s[1]);
            if (api == null) {
                problems.add(s[1] + " is not installed");
                continue;
            }
            Class<?> mine = Class.forName(s[0], false, ours.classLoader);
            Class<?> theirs = Class.forName(s[0], false, api.classLoader);
            if (mine != theirs) {
                problems.add(s[0] + " resolves to another copy than " + s[1] + "'s");
            }
            List<URL> copies = Collections.list(ours.classLoader.getResources(s[0].replace('.', '/') + ".class"));
            if (copies.size() != 1) {
                problems.add(s[0] + " is on the class path " + copies.size() + " times: " + copies);
            }
        }
        // The engine classes that use those libraries initialise and link inside the plugin's class loader.
        for (String c : List.of("io.jenkins.plugins.gitopsrelease.git.CommitRelease",
                "io.jenkins.plugins.gitopsrelease.deploy.KubeAccess", "io.jenkins.plugins.gitopsrelease.forge.GitHubForge",
                "io.jenkins.plugins.gitopsrelease.forge.GitLabForge", "io.jenkins.plugins.gitopsrelease.gitops.YamlDocs",
                "io.jenkins.plugins.gitopsrelease.image.build.BuildImage")) {
            try {
                Class.forName(c, true, ours.classLoader).getDeclaredMethods();
            } catch (LinkageError | ClassNotFoundException e) {
                problems.add(c + ": " + e);
            }
        }
        return String.join("\n", problems);
    }
}
