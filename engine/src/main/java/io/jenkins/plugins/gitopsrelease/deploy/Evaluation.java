package io.jenkins.plugins.gitopsrelease.deploy;

/**
 * What one observed state of the target means: still waiting (with a one-line summary for the progress log), ready,
 * or failed for a reason no amount of waiting will fix.
 */
record Evaluation(Phase phase, String summary) {
    enum Phase { WAITING, READY, FAILED }

    static Evaluation waiting(String summary) {
        return new Evaluation(Phase.WAITING, summary);
    }

    static Evaluation ready(String summary) {
        return new Evaluation(Phase.READY, summary);
    }

    static Evaluation failed(String reason) {
        return new Evaluation(Phase.FAILED, reason);
    }

    boolean terminal() {
        return phase != Phase.WAITING;
    }
}
