package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global configuration imports from JCasC, exports back the same keys, and survives a form round trip. */
@WithJenkinsConfiguredWithCode
class GitOpsReleaseConfigurationTest {

    @Test
    @ConfiguredWithCode("casc.yml")
    void importsFromJcasc(JenkinsConfiguredWithCodeRule j) {
        GitOpsReleaseConfiguration c = GitOpsReleaseConfiguration.get();
        assertThat(c.getRepositoryUrl(), is("https://git.example.com/platform/gitops.git"));
        assertThat(c.getBaseBranch(), is("main"));
        assertThat(c.getForge(), is("github"));
        assertThat(c.labelList(), contains("release", "automated"));
        assertThat(c.getEnvironments().stream().map(EnvironmentConfig::getName).toList(),
                contains("development", "staging", "production"));
        assertThat(c.environment("staging").getRegistry(), is("registry.example.com/staging"));
        assertThat(c.environment("production").getWatchKind(), is("application"));
        assertThat(c.getGithubWebhookCredentialsId(), is("github-webhook-secret"));
        assertThat(c.getGitlabWebhookCredentialsId(), is("gitlab-webhook-token"));
        assertThat(c.getBitbucketWebhookCredentialsId(), is("bitbucket-webhook-secret"));
    }

    @Test
    @ConfiguredWithCode("casc.yml")
    void exportsTheSameKeys(JenkinsConfiguredWithCodeRule j) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertThat(yaml, containsString("gitopsRelease:"));
        assertThat(yaml, containsString("repositoryUrl: \"https://git.example.com/platform/gitops.git\""));
        assertThat(yaml, containsString("name: \"staging\""));
    }

    @Test
    @ConfiguredWithCode("casc.yml")
    void formRoundTripKeepsEverything(JenkinsConfiguredWithCodeRule j) throws Exception {
        GitOpsReleaseConfiguration before = GitOpsReleaseConfiguration.get();
        List<EnvironmentConfig> envs = before.getEnvironments();
        j.configRoundtrip();
        GitOpsReleaseConfiguration after = GitOpsReleaseConfiguration.get();
        j.assertEqualDataBoundBeans(envs, after.getEnvironments());
        assertThat(after.getComponentLinkTemplate(), is(before.getComponentLinkTemplate()));
        assertThat(after.getGithubWebhookCredentialsId(), is("github-webhook-secret"));
    }
}
