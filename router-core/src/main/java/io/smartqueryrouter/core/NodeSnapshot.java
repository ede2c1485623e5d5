package io.smartqueryrouter.core;

import java.time.Duration;

/**
 * One node's state at one moment, for people and dashboards.
 *
 * @param id the node's id
 * @param endpoint the endpoint as text, without credentials or query strings
 * @param weight the node's weight
 * @param zone the node's zone
 * @param healthy whether active health checking considers it healthy
 * @param ejected whether outlier detection has it ejected
 * @param ejectedFor how much longer it stays ejected (zero when not ejected)
 * @param timesEjected the ejection multiplier as of its latest ejection
 * @param coolingDown whether an overloaded answer keeps it out of rotation right now
 * @param inFlight attempts running on it
 * @param requests attempts begun on it
 * @param successes attempts that ended {@link Outcome#SUCCESS}
 * @param failures attempts that ended {@link Outcome#FAILURE}
 * @param overloaded attempts that ended {@link Outcome#OVERLOADED}
 * @param clientErrors attempts that ended {@link Outcome#CLIENT_ERROR}
 * @param cancelled attempts that ended {@link Outcome#CANCELLED}
 * @param consecutiveFailures failures in a row
 * @param peakEwma the Peak-EWMA latency cost now
 * @param lastProbe the detail of the latest health probe, empty before the first or when it passed
 */
public record NodeSnapshot(String id, String endpoint, int weight, String zone, boolean healthy, boolean ejected,
        Duration ejectedFor, int timesEjected, boolean coolingDown, int inFlight, long requests, long successes,
        long failures, long overloaded, long clientErrors, long cancelled, int consecutiveFailures, Duration peakEwma,
        String lastProbe) {

    /** {@return whether the node would be offered to the policy now: healthy, not ejected, not cooling down} */
    public boolean available() {
        return healthy && !ejected && !coolingDown;
    }

    /** {@return attempts that have completed, whatever their outcome: the sum of the five outcome counts} */
    public long completed() {
        return successes + failures + overloaded + clientErrors + cancelled;
    }
}
