package io.smartqueryrouter.core;

/**
 * What happened on one attempt, as classified by the adapter (the core never guesses).
 *
 * <table>
 *   <caption>How each outcome counts</caption>
 *   <tr><th>outcome</th><th>latency sample</th><th>blames the node</th><th>may be retried</th></tr>
 *   <tr><td>{@link #SUCCESS}</td><td>yes</td><td>no</td><td>no</td></tr>
 *   <tr><td>{@link #FAILURE}</td><td>only if it raises the cost</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>{@link #OVERLOADED}</td><td>only if it raises the cost</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>{@link #CLIENT_ERROR}</td><td>yes</td><td>no</td><td>no</td></tr>
 *   <tr><td>{@link #CANCELLED}</td><td>no</td><td>no</td><td>no</td></tr>
 * </table>
 */
public enum Outcome {
    /** The node answered well. */
    SUCCESS,
    /** The node's fault: refused, reset, timed out, a 5xx, SQLState class 08 or 57P0x. */
    FAILURE,
    /** The node said it is overloaded (HTTP 429/503); counts against it and may carry a cool-down. */
    OVERLOADED,
    /** The caller's fault (a 4xx, bad SQL, bad credentials): latency is recorded, the node is not blamed. */
    CLIENT_ERROR,
    /** The call was cancelled or interrupted before the node answered: no latency sample. */
    CANCELLED;

    /** {@return whether this outcome blames the node (counts toward failures and ejection)} */
    public boolean blamesNode() {
        return this == FAILURE || this == OVERLOADED;
    }

    /** {@return whether another node could be tried after this outcome (the caller still decides)} */
    public boolean isRetryable() {
        return blamesNode();
    }
}
