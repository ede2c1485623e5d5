package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.Redaction;

/**
 * One failed attempt of a call: which node, which attempt, what outcome, and the original failure
 * as cause. The message quotes the cause with URL user info, query values and password-like
 * pairs masked. {@link AttemptsFailedException} carries one of these per attempt as suppressed.
 */
public final class NodeAttemptException extends RoutingException {
    private static final long serialVersionUID = 1L;

    /** The id of the node the attempt went to. */
    private final String nodeId;
    /** The attempt number within its call, from 1. */
    private final int attempt;
    /** How the attempt was classified. */
    private final Outcome outcome;

    /**
     * Creates the record of one failed attempt.
     *
     * @param router the router's name
     * @param nodeId the node the attempt went to
     * @param attempt the attempt number, from 1
     * @param outcome how the attempt was classified
     * @param cause what the attempt threw
     */
    public NodeAttemptException(String router, String nodeId, int attempt, Outcome outcome, Throwable cause) {
        super(router, "attempt " + attempt + " on node '" + nodeId + "' failed (" + outcome + "): "
                + Redaction.endpoint(cause), cause);
        this.nodeId = nodeId;
        this.attempt = attempt;
        this.outcome = outcome;
    }

    /** {@return the id of the node the attempt went to} */
    public String nodeId() {
        return nodeId;
    }

    /** {@return the attempt number, from 1} */
    public int attempt() {
        return attempt;
    }

    /** {@return how the attempt was classified} */
    public Outcome outcome() {
        return outcome;
    }
}
