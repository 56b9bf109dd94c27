package io.jenkins.plugins.gitopsrelease.policy;

import io.jenkins.plugins.gitopsrelease.buildrecord.BuildRecord;
import io.jenkins.plugins.gitopsrelease.core.OperationFailedException;

/**
 * A policy refused a build (exit 1, the message lists every unmet rule). Carries the evaluation and the record it was
 * made on, so a front end can show them (the Jenkins run page) and not only the message.
 */
public class PolicyRefusedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    private final transient PolicyResult result;
    private final transient BuildRecord record;

    public PolicyRefusedException(PolicyResult result, BuildRecord record) {
        super(result.refusal());
        this.result = result;
        this.record = record;
    }

    /** Null after the exception was serialised (it is not meant to travel: front ends read it where it is thrown). */
    public PolicyResult result() {
        return result;
    }

    public BuildRecord record() {
        return record;
    }
}
