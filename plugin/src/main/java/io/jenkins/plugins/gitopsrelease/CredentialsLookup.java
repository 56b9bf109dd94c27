package io.jenkins.plugins.gitopsrelease;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.gitopsrelease.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves credential ids in the run's context into engine values ({@link Secret}s) that travel to the agent inside
 * the step's callable, and records their use. Nothing here writes a secret to disk, env or log.
 */
final class CredentialsLookup {
    private final Run<?, ?> run;
    private final List<Secret> resolved = new ArrayList<>();

    CredentialsLookup(Run<?, ?> run) {
        this.run = run;
    }

    /** A username and password (or token as password). */
    record UserPass(String username, Secret password) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Git credentials: username/password, or an SSH private key (with optional passphrase). */
    record GitAuth(String username, Secret password, Secret privateKey, Secret passphrase) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Kubernetes credentials: a kubeconfig's content, or a token for an explicit server URL. */
    record KubeAuth(Secret kubeconfig, Secret token) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Every secret resolved so far, for masking the log. */
    List<Secret> secrets() {
        return List.copyOf(resolved);
    }

    @CheckForNull
    UserPass usernamePassword(@CheckForNull String id, String field) throws AbortException {
        if (id == null) {
            return null;
        }
        StandardUsernamePasswordCredentials c = find(id, StandardUsernamePasswordCredentials.class, field,
                "username with password");
        return new UserPass(c.getUsername(), keep(c.getPassword().getPlainText()));
    }

    @CheckForNull
    Secret secretText(@CheckForNull String id, String field) throws AbortException {
        if (id == null) {
            return null;
        }
        StringCredentials c = find(id, StringCredentials.class, field, "secret text");
        return keep(c.getSecret().getPlainText());
    }

    @CheckForNull
    GitAuth git(@CheckForNull String id, String field) throws AbortException {
        if (id == null) {
            return null;
        }
        StandardCredentials any = find(id, StandardCredentials.class, field,
                "username with password or SSH username with private key");
        if (any instanceof StandardUsernamePasswordCredentials up) {
            return new GitAuth(up.getUsername(), keep(up.getPassword().getPlainText()), null, null);
        }
        if (any instanceof SSHUserPrivateKey ssh) {
            List<String> keys = ssh.getPrivateKeys();
            if (keys.isEmpty()) {
                throw new AbortException(field + ": credentials '" + id + "' hold no private key: add one");
            }
            hudson.util.Secret pass = ssh.getPassphrase();
            return new GitAuth(ssh.getUsername(), null, keep(keys.get(0)),
                    pass == null || pass.getPlainText().isEmpty() ? null : keep(pass.getPlainText()));
        }
        throw new AbortException(field + ": credentials '" + id + "' are of an unsupported kind: use username with"
                + " password (a token as password) or SSH username with private key");
    }

    @CheckForNull
    KubeAuth kube(@CheckForNull String id, String field) throws IOException {
        if (id == null) {
            return null;
        }
        StandardCredentials any = find(id, StandardCredentials.class, field, "secret file or secret text");
        if (any instanceof FileCredentials f) {
            try (InputStream in = f.getContent()) {
                return new KubeAuth(keep(new String(in.readAllBytes(), StandardCharsets.UTF_8)), null);
            }
        }
        if (any instanceof StringCredentials s) {
            return new KubeAuth(null, keep(s.getSecret().getPlainText()));
        }
        throw new AbortException(field + ": credentials '" + id + "' are of an unsupported kind: use a secret file"
                + " (kubeconfig) or secret text (token)");
    }

    /** OpenChoreo API auth: username/password = OAuth client id/secret, secret text = a bearer token. */
    @CheckForNull
    io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth openChoreo(@CheckForNull String id, String field)
            throws AbortException {
        if (id == null) {
            return null;
        }
        StandardCredentials any = find(id, StandardCredentials.class, field, "username with password or secret text");
        if (any instanceof StandardUsernamePasswordCredentials up) {
            return new io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.ClientCredentials(up.getUsername(),
                    keep(up.getPassword().getPlainText()), null, null);
        }
        if (any instanceof StringCredentials s) {
            return new io.jenkins.plugins.gitopsrelease.openchoreo.OpenChoreoAuth.Token(keep(s.getSecret().getPlainText()));
        }
        throw new AbortException(field + ": credentials '" + id + "' are of an unsupported kind: use username with"
                + " password (OAuth client id and secret) or secret text (a token)");
    }

    private <C extends StandardCredentials> C find(String id, Class<C> type, String field, String kind)
            throws AbortException {
        C c = CredentialsProvider.findCredentialById(id, type, run);
        if (c == null) {
            throw new AbortException(field + ": no " + kind + " credentials with id '" + id + "' are visible to this"
                    + " job: create them or fix the id");
        }
        CredentialsProvider.track(run, c);
        return c;
    }

    private Secret keep(String value) {
        Secret s = Secret.of(value);
        resolved.add(s);
        return s;
    }
}
