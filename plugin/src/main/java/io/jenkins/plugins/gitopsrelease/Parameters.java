package io.jenkins.plugins.gitopsrelease;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gitopsrelease.core.GitOpsReleaseException;
import io.jenkins.plugins.gitopsrelease.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Turning form and script values into engine requests, and the engine's validation into form messages. */
final class Parameters {
    private Parameters() {
    }

    /** Builds a request; the engine's bad-input errors fail the build with their one-line message. */
    static <T> T map(Supplier<T> build) throws AbortException {
        try {
            return build.get();
        } catch (GitOpsReleaseException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The engine's validation as a form check. */
    static FormValidation check(Runnable validation) {
        try {
            validation.run();
            return FormValidation.ok();
        } catch (GitOpsReleaseException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * The engine's validation of one form value, for users who may configure the job. A value holding a
     * {@code ${...}} reference is only known at run time, so it is not judged here.
     */
    static FormValidation checkValue(Item item, String value, Consumer<String> validation) {
        if (item != null) {
            item.checkPermission(Item.CONFIGURE);
        }
        String v = Util.fixEmptyAndTrim(value);
        if (v != null && v.contains("${")) {
            return FormValidation.ok();
        }
        return check(() -> validation.accept(v));
    }

    /** A whole number of minutes from a form field, or the engine-style one-line error. */
    static long minutes(String field, String value) {
        String v = Util.fixEmptyAndTrim(value);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid(field, v, "give whole minutes, e.g. 10");
        }
    }

    /** A select whose first, empty choice means "what the global configuration says". */
    static ListBoxModel choices(String defaultLabel, List<String> values) {
        ListBoxModel m = new ListBoxModel();
        m.add(defaultLabel, "");
        for (String v : values) {
            m.add(v, v);
        }
        return m;
    }

    /**
     * A list parameter that a Pipeline passes as a list ({@code labels: ['a', 'b']}) and a form as one
     * comma-separated text (which Stapler binds as a one-element list): both end as trimmed, non-blank values.
     */
    static ArrayList<String> values(List<String> given) {
        ArrayList<String> out = new ArrayList<>();
        if (given != null) {
            for (String s : given) {
                for (String v : list(s)) {
                    if (!out.contains(v)) {
                        out.add(v);
                    }
                }
            }
        }
        return out;
    }

    /** Comma- or newline-separated values. */
    static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : text.split("[,\\n]")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** One {@code KEY=VALUE} per line. */
    static Map<String, String> keyValues(String field, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\\n")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw InvalidInputException.invalid(field, line.trim(), "write one KEY=VALUE per line");
                }
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1));
            }
        }
        return out;
    }

    static ListBoxModel usernamePasswordItems(Item item, String current) {
        return items(item, current, StandardUsernamePasswordCredentials.class);
    }

    /** Username/password or SSH username with private key (Git over HTTPS or SSH). */
    static ListBoxModel usernameItems(Item item, String current) {
        return items(item, current, StandardUsernameCredentials.class);
    }

    static ListBoxModel secretTextItems(Item item, String current) {
        return items(item, current, StringCredentials.class);
    }

    static ListBoxModel anyItems(Item item, String current) {
        return items(item, current, StandardCredentials.class);
    }

    /** Credentials a job may use; nothing but the current value for users who may not see them. */
    private static <C extends StandardCredentials> ListBoxModel items(Item item, String current, Class<C> type) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(item instanceof Queue.Task t ? Tasks.getAuthenticationOf2(t) : ACL.SYSTEM2,
                        item, type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }
}
