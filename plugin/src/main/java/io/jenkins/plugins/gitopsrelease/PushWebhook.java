package io.jenkins.plugins.gitopsrelease;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.Extension;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.triggers.Trigger;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import io.jenkins.plugins.gitopsrelease.git.GitCredentials;
import io.jenkins.plugins.gitopsrelease.git.TreeFetch;
import io.jenkins.plugins.gitopsrelease.webhook.ComponentIndex;
import io.jenkins.plugins.gitopsrelease.webhook.ComponentMatch;
import io.jenkins.plugins.gitopsrelease.webhook.Delivery;
import io.jenkins.plugins.gitopsrelease.webhook.Headers;
import io.jenkins.plugins.gitopsrelease.webhook.Provider;
import io.jenkins.plugins.gitopsrelease.webhook.Push;
import io.jenkins.plugins.gitopsrelease.webhook.RecentDeliveries;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookMatch;
import io.jenkins.plugins.gitopsrelease.webhook.WebhookRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.verb.POST;

/**
 * The push webhook receiver: {@code POST /gitops-release-webhook/github}, {@code .../gitlab}, {@code .../bitbucket}.
 * Size is checked first (413), then authenticity against the secret-text credentials named in the global
 * configuration (403, empty body), then the event (400 when malformed). A push is matched against the Component
 * resources of the configured GitOps repository (its base branch, fetched without a checkout) and schedules every
 * job whose {@link GitOpsReleasePushTrigger} names a matched component; the answer is 202 with the scheduled jobs as
 * a JSON list. Pings, other events and redeliveries of a delivery id seen in the last 10 minutes get 200 and start
 * nothing. Reasons go to the Jenkins log, never into a response.
 */
@Extension
public class PushWebhook implements UnprotectedRootAction {
    public static final String URL_NAME = "gitops-release-webhook";
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(PushWebhook.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecentDeliveries recent = new RecentDeliveries(DUPLICATE_WINDOW, 10_000, Clock.systemUTC());

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @POST
    public void doGithub(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        receive(Provider.GITHUB, req, rsp);
    }

    @POST
    public void doGitlab(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        receive(Provider.GITLAB, req, rsp);
    }

    @POST
    public void doBitbucket(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        receive(Provider.BITBUCKET, req, rsp);
    }

    private void receive(Provider provider, StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        long max = provider.maxBodyBytes();
        if (req.getContentLengthLong() > max) {
            LOG.warning(() -> provider + " delivery refused: Content-Length " + req.getContentLengthLong()
                    + " exceeds " + max + " bytes");
            status(rsp, 413);
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes((int) max + 1);
        }
        Map<String, String> h = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            h.put(name, req.getHeader(name));
        }
        Headers headers = Headers.of(h);
        GitOpsReleaseConfiguration config = GitOpsReleaseConfiguration.get();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            WebhookMatch match = WebhookMatch.of(provider, headers, body).secret(webhookSecret(config, provider))
                    .hookUuid(provider == Provider.BITBUCKET ? config.getBitbucketHookUuid() : null);
            Delivery delivery = match.verify();
            if (delivery.kind() != Delivery.Kind.PUSH) {
                LOG.fine(() -> provider + " delivery " + delivery.id() + ": " + delivery.note());
                json(rsp, 200, List.of());
                return;
            }
            if (!recent.firstSeen(provider, delivery.id())) {
                LOG.info(() -> provider + " delivery " + delivery.id() + " was already received: nothing scheduled");
                json(rsp, 200, List.of());
                return;
            }
            if (delivery.pushes().stream().noneMatch(Push::triggersBuilds)) {
                json(rsp, 202, List.of());
                return;
            }
            WebhookMatch.Result result;
            try {
                result = match.components(components(config)).call();
            } catch (RuntimeException e) {
                recent.forget(provider, delivery.id());
                throw e;
            }
            LOG.info(() -> provider + " delivery " + delivery.id() + ": " + result.summary());
            json(rsp, 202, schedule(result.matches()));
        } catch (WebhookRejectedException e) {
            LOG.warning(() -> provider + " delivery refused: " + e.getMessage());
            switch (e.reason()) {
                case NOT_AUTHENTIC -> status(rsp, 403);
                case TOO_LARGE -> status(rsp, 413);
                default -> {
                    rsp.setStatus(400);
                    rsp.setContentType("text/plain;charset=UTF-8");
                    rsp.getWriter().write("malformed push event\n");
                }
            }
        } catch (GitOpsReleaseException e) {
            // The GitOps repository could not be read: the provider will show the failure and can redeliver.
            LOG.log(Level.WARNING, provider + " delivery not processed: " + e.getMessage());
            status(rsp, 503);
        }
    }

    /** Schedules the jobs of every matched component; returns what was scheduled, for the response. */
    private static List<Map<String, Object>> schedule(List<ComponentMatch> matches) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (matches.isEmpty()) {
            return out;
        }
        for (Job<?, ?> job : Jenkins.get().allItems(Job.class)) {
            if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> pj)) {
                continue;
            }
            for (Trigger<?> t : pj.getTriggers().values()) {
                if (!(t instanceof GitOpsReleasePushTrigger trigger)) {
                    continue;
                }
                for (ComponentMatch m : matches) {
                    if (!trigger.matches(m.project(), m.component())) {
                        continue;
                    }
                    Queue.Item item = ParameterizedJobMixIn.scheduleBuild2(job, 0,
                            new CauseAction(new GitOpsPushCause(m)), new GitOpsPushAction(m));
                    if (item != null) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("job", job.getFullName());
                        row.put("url", job.getAbsoluteUrl());
                        row.put("project", m.project());
                        row.put("component", m.component());
                        row.put("branch", m.branch());
                        row.put("commit", m.commit());
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }

    /** The auto-build components on the GitOps repository's base branch, fetched without a checkout. */
    private static ComponentIndex components(GitOpsReleaseConfiguration config) {
        if (config.getRepositoryUrl() == null) {
            throw new io.jenkins.plugins.gitopsrelease.core.InvalidInputException("no GitOps repository URL in the"
                    + " global configuration: the webhook cannot read the components");
        }
        return TreeFetch.create().setRepository(config.getRepositoryUrl()).setBranch(config.getBaseBranch())
                .setCredentials(gitCredentials(config.getGitCredentialsId()))
                .read((commit, files) -> ComponentIndex.of(files));
    }

    private static GitCredentials gitCredentials(String id) {
        if (id == null) {
            return GitCredentials.none();
        }
        StandardCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id, StandardCredentials.class,
                Jenkins.get(), ACL.SYSTEM2, List.of());
        if (c instanceof StandardUsernamePasswordCredentials up) {
            return GitCredentials.password(up.getUsername(), Secret.of(up.getPassword().getPlainText()));
        }
        if (c instanceof SSHUserPrivateKey ssh && !ssh.getPrivateKeys().isEmpty()) {
            hudson.util.Secret pass = ssh.getPassphrase();
            return GitCredentials.sshKey(Secret.of(ssh.getPrivateKeys().get(0)),
                    pass == null || pass.getPlainText().isEmpty() ? null : Secret.of(pass.getPlainText()), null);
        }
        throw new io.jenkins.plugins.gitopsrelease.core.InvalidInputException("gitCredentialsId: credentials '" + id
                + "' are missing or of an unsupported kind: use username with password or SSH private key");
    }

    /** The provider's secret from its secret-text credentials; null (every delivery refused) when none is set. */
    private static Secret webhookSecret(GitOpsReleaseConfiguration config, Provider provider) {
        String id = switch (provider) {
            case GITHUB -> config.getGithubWebhookCredentialsId();
            case GITLAB -> config.getGitlabWebhookCredentialsId();
            case BITBUCKET -> config.getBitbucketWebhookCredentialsId();
        };
        if (id == null) {
            return null;
        }
        org.jenkinsci.plugins.plaincredentials.StringCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(
                id, org.jenkinsci.plugins.plaincredentials.StringCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                List.of());
        if (c == null) {
            LOG.warning(() -> provider + " webhook: no secret text credentials with id '" + id + "'");
            return null;
        }
        return Secret.of(c.getSecret().getPlainText());
    }

    private static void status(StaplerResponse2 rsp, int code) {
        rsp.setStatus(code);
        rsp.setContentLength(0);
    }

    private static void json(StaplerResponse2 rsp, int code, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        rsp.setStatus(code);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setContentLength(bytes.length);
        rsp.getOutputStream().write(bytes);
    }

}
