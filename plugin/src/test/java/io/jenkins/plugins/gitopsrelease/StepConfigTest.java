package io.jenkins.plugins.gitopsrelease;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import hudson.model.FreeStyleProject;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What the Snippet Generator and the job forms see: each step survives its form unchanged, renders the expected
 * Pipeline snippet (which parses back into the same step), and each freestyle builder survives the job form.
 */
@WithJenkins
class StepConfigTest {

    static BuildImageStep buildImage() {
        BuildImageStep s = new BuildImageStep("registry.example.com/dev/hello-web");
        s.setBuilder("jib");
        s.setContext("app");
        s.setRegistryCredentialsId("registry-dev");
        s.setDescriptor("app/workload.yaml");
        s.setBuildArgs("A=1\nB=2");
        return s;
    }

    static GenerateGitopsResourcesStep generate() {
        GenerateGitopsResourcesStep s = new GenerateGitopsResourcesStep("shop", "hello-web", "reg/hello-web:1.0");
        s.setDescriptor("workload.yaml");
        s.setReleaseName("hello-web-20260101-1");
        s.setTargetEnv("development");
        s.setRoot("gitops");
        s.setNamespace("default");
        s.setInsecureRegistries("localhost:5000");
        return s;
    }

    static OpenReleasePrStep openReleasePr() {
        OpenReleasePrStep s = new OpenReleasePrStep("shop", "hello-web", "reg/hello-web:1.0");
        s.setDescriptor("workload.yaml");
        s.setTargetEnv("staging");
        s.setRevision("${GIT_COMMIT}");
        s.setLabels(List.of("release", "hello-web"));
        s.setReviewers(List.of("alice"));
        s.setWaitMerge(true);
        s.setAutoMerge(true);
        s.setDraft(true);
        s.setMergeTimeout(45);
        s.setBranchStyle("timestamp");
        s.setInsecureRegistries("localhost:5000,127.0.0.1:5001");
        s.setGitCredentialsId("gitops-push");
        s.setForgeCredentialsId("github-token");
        s.setRepositoryUrl("https://git.example.com/platform/gitops.git");
        s.setBaseBranch("main");
        return s;
    }

    static PromoteImageStep promoteImage() {
        PromoteImageStep s = new PromoteImageStep();
        s.setBuildResult("build_result.json");
        s.setSource("development");
        s.setDestination("staging");
        s.setDestinationCredentialsId("registry-staging");
        s.setInsecureRegistries("localhost:5000");
        s.setWithReferrers(false);
        return s;
    }

    static WatchDeploymentStep watchDeployment() {
        WatchDeploymentStep s = new WatchDeploymentStep();
        s.setComponent("hello-web");
        s.setEnvironment("development");
        s.setTimeout(15);
        s.setKind("deployment");
        s.setImage("reg/hello-web:1.0");
        s.setKubeCredentialsId("kube-dev");
        return s;
    }

    @Test
    void everyStepSurvivesItsForm(JenkinsRule j) throws Exception {
        StepConfigTester tester = new StepConfigTester(j);
        AnnotateBuildStep annotate = new AnnotateBuildStep("reg/hello-web:1.0");
        annotate.setAnnotationLines("smoke=passed\napproved-by=alice");
        annotate.setInsecureRegistries("localhost:5000");
        annotate.setCredentialsId("registry-dev");
        for (Step s : List.of(buildImage(), generate(), openReleasePr(), promoteImage(), watchDeployment(), annotate)) {
            j.assertEqualDataBoundBeans(s, tester.configRoundTrip(s));
        }
        // The properties the generic comparison cannot see: descriptor (shadowed by getDescriptor()) and lists.
        assertThat(tester.configRoundTrip(generate()).getWorkloadDescriptor(), is("workload.yaml"));
        OpenReleasePrStep pr = tester.configRoundTrip(openReleasePr());
        assertThat(pr.getWorkloadDescriptor(), is("workload.yaml"));
        assertThat(pr.getLabels(), contains("release", "hello-web"));
        assertThat(pr.getReviewers(), contains("alice"));
        assertThat(pr.getMergeTimeout(), is(45));
        assertThat(pr.getInsecureRegistries(), is("localhost:5000,127.0.0.1:5001"));
        assertThat(tester.configRoundTrip(generate()).getInsecureRegistries(), is("localhost:5000"));
        PromoteImageStep promote = tester.configRoundTrip(promoteImage());
        assertThat(promote.isWithReferrers(), is(false));
        // Unset values stay unset (the global configuration keeps deciding).
        OpenReleasePrStep bare = tester.configRoundTrip(new OpenReleasePrStep("shop", "hello-web", "reg/a:1"));
        assertThat(bare.getLabels(), empty());
        assertThat(bare.getBranchStyle(), nullValue());
        assertThat(bare.getMergeTimeout(), is(OpenReleasePrStep.DEFAULT_MERGE_TIMEOUT));
        assertThat(tester.configRoundTrip(new WatchDeploymentStep()).getTimeout(), is(WatchDeploymentStep.DEFAULT_TIMEOUT));
        assertThat(tester.configRoundTrip(new PromoteImageStep()).isWithReferrers(), is(true));
    }

    @Test
    void everyBuilderSurvivesTheJobForm(JenkinsRule j) throws Exception {
        FreeStyleProject p = j.createFreeStyleProject();
        List<Builder> builders = List.of(new BuildImageBuilder(buildImage()), new GenerateGitopsResourcesBuilder(generate()),
                new OpenReleasePrBuilder(openReleasePr()), new PromoteImageBuilder(promoteImage()),
                new WatchDeploymentBuilder(watchDeployment()));
        p.getBuildersList().addAll(builders);
        p = j.configRoundtrip(p);
        List<Builder> after = p.getBuildersList().toList();
        assertThat(after.size(), is(builders.size()));
        for (int i = 0; i < builders.size(); i++) {
            j.assertEqualDataBoundBeans(builders.get(i), after.get(i));
        }
        assertThat(((OpenReleasePrBuilder) after.get(2)).getStep().getLabels(), contains("release", "hello-web"));
    }

    @Test
    void snippetGeneratorWritesTheIssuesSyntax(JenkinsRule j) throws Exception {
        SnippetizerTester t = new SnippetizerTester(j);
        t.assertRoundTrip(new BuildImageStep("app"), "buildImage 'app'");
        BuildImageStep build = new BuildImageStep("app");
        build.setBuilder("jib");
        build.setRegistryCredentialsId("registry-dev");
        t.assertRoundTrip(build, "buildImage builder: 'jib', image: 'app', registryCredentialsId: 'registry-dev'");

        GenerateGitopsResourcesStep gen = new GenerateGitopsResourcesStep("p", "c", "reg/app:1");
        gen.setDescriptor("workload.yaml");
        gen.setTargetEnv("development");
        t.assertRoundTrip(gen, "generateGitopsResources component: 'c', descriptor: 'workload.yaml', image: 'reg/app:1',"
                + " project: 'p', targetEnv: 'development'");

        OpenReleasePrStep pr = new OpenReleasePrStep("p", "c", "reg/app:1");
        pr.setLabels(List.of("release", "hello"));
        pr.setWaitMerge(true);
        t.assertRoundTrip(pr, "openReleasePr component: 'c', image: 'reg/app:1', labels: ['release', 'hello'],"
                + " project: 'p', waitMerge: true");

        PromoteImageStep promote = new PromoteImageStep();
        promote.setBuildResult("build_result.json");
        promote.setSource("dev");
        promote.setDestination("staging");
        t.assertRoundTrip(promote, "promoteImage buildResult: 'build_result.json', destination: 'staging', source: 'dev'");
        PromoteImageStep direct = new PromoteImageStep();
        direct.setFrom("reg/dev/app:1");
        direct.setTo("reg/staging/app:1");
        t.assertRoundTrip(direct, "promoteImage from: 'reg/dev/app:1', to: 'reg/staging/app:1'");

        WatchDeploymentStep watch = new WatchDeploymentStep();
        watch.setComponent("c");
        watch.setEnvironment("dev");
        watch.setTimeout(10);
        t.assertRoundTrip(watch, "watchDeployment component: 'c', environment: 'dev'");
        WatchDeploymentStep byName = new WatchDeploymentStep();
        byName.setKind("helmrelease");
        byName.setName("web");
        byName.setNamespace("apps");
        byName.setTimeout(20);
        t.assertRoundTrip(byName, "watchDeployment kind: 'helmrelease', name: 'web', namespace: 'apps', timeout: 20");

        AnnotateBuildStep ann = new AnnotateBuildStep("reg/app:1");
        ann.setAnnotationLines("smoke=passed");
        t.assertRoundTrip(ann, "annotateBuild annotationLines: 'smoke=passed', image: 'reg/app:1'");
        // the issue's Pipeline form: a map
        AnnotateBuildStep byMap = new AnnotateBuildStep("reg/app:1");
        byMap.setAnnotationLines("smoke=passed\napproved-by=alice");
        t.assertParseStep(byMap, "annotateBuild image: 'reg/app:1', annotations: [smoke: 'passed', 'approved-by': 'alice']");

        // A Pipeline may also give comma-separated labels in one entry; they are split like the form's text.
        OpenReleasePrStep split = new OpenReleasePrStep("p", "c", "reg/app:1");
        split.setLabels(List.of("release", "hello"));
        t.assertParseStep(split, "openReleasePr component: 'c', image: 'reg/app:1', labels: ['release, hello'], project: 'p'");
    }

    @Test
    void formChecksUseTheEnginesValidation(JenkinsRule j) {
        GenerateGitopsResourcesStep.DescriptorImpl gen = j.jenkins.getDescriptorByType(GenerateGitopsResourcesStep.DescriptorImpl.class);
        assertThat(gen.doCheckProject(null, "shop").kind, is(FormValidation.Kind.OK));
        assertThat(gen.doCheckProject(null, "Shop_1").kind, is(FormValidation.Kind.ERROR));
        assertThat(gen.doCheckImage(null, "https://reg/app").kind, is(FormValidation.Kind.ERROR));
        // Known only at run time: not judged.
        assertThat(gen.doCheckImage(null, "${IMAGE}").kind, is(FormValidation.Kind.OK));

        WatchDeploymentStep.DescriptorImpl watch = j.jenkins.getDescriptorByType(WatchDeploymentStep.DescriptorImpl.class);
        assertThat(watch.doCheckTimeout(null, "0").kind, is(FormValidation.Kind.ERROR));
        assertThat(watch.doCheckTimeout(null, "ten").kind, is(FormValidation.Kind.ERROR));
        assertThat(watch.doCheckKind(null, "pod").kind, is(FormValidation.Kind.ERROR));
        assertThat(watch.doCheckEnvironment(null, "qa").kind, is(FormValidation.Kind.ERROR));

        OpenReleasePrStep.DescriptorImpl pr = j.jenkins.getDescriptorByType(OpenReleasePrStep.DescriptorImpl.class);
        assertThat(pr.doCheckRepositoryUrl(null, "").kind, is(FormValidation.Kind.ERROR));
        assertThat(pr.doCheckRepositoryUrl(null, "https://git.example.com/gitops.git").kind, is(FormValidation.Kind.OK));
        assertThat(pr.doCheckMergeTimeout(null, "-1").kind, is(FormValidation.Kind.ERROR));

        PromoteImageStep.DescriptorImpl promote = j.jenkins.getDescriptorByType(PromoteImageStep.DescriptorImpl.class);
        assertThat(promote.doCheckSource(null, "nowhere").kind, is(FormValidation.Kind.WARNING));
    }
}
