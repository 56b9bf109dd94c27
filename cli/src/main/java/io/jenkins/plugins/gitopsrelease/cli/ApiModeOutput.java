package io.jenkins.plugins.gitopsrelease.cli;

import io.jenkins.plugins.gitopsrelease.gitops.ResourceStore;

/** Words for what api-server mode did to an object ("Created", "Updated", "Unchanged"). */
final class ApiModeOutput {
    private ApiModeOutput() {
    }

    static String word(ResourceStore.Outcome o) {
        return word(o.name());
    }

    static String word(String status) {
        return status.charAt(0) + status.substring(1).toLowerCase();
    }
}
