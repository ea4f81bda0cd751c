package io.dbsnap.cli.agent;

import io.dbsnap.core.DbsnapException;

/** A failure the agent can name, with the reason the DatabaseSnapshot's status will show. */
public final class AgentFailure extends DbsnapException {

    private final String reason;

    public AgentFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
