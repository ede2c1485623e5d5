package io.smartqueryrouter.core;

import java.util.List;
import java.util.Locale;

/**
 * A router's state at one moment: its nodes and its totals. The totals include calls on nodes
 * removed since, so {@code attemptsStarted - attemptsCompleted} is exactly the attempts in flight.
 *
 * @param router the router's name
 * @param policy the policy's name
 * @param nodes the registered nodes, in registration order
 * @param attemptsStarted attempts begun since the router was built
 * @param attemptsCompleted attempts completed since the router was built
 * @param retries attempts that were retries
 * @param retriesRefusedByBudget retries the budget refused
 * @param noAvailableNode calls that found no node
 * @param hedges attempts that were hedges
 * @param hedgesRefusedByBudget hedges the hedge budget refused
 * @param hedgesRefusedAsUnpaid hedges refused because the router's hedges rarely win (see {@link HedgePolicy})
 * @param concurrencyLimit the adaptive concurrency limit now, or 0 when the router has none
 * @param limitedInFlight the attempts the concurrency limit counts in flight (untimed calls and
 *     bound work are not counted), or 0 when the router has none
 * @param callsRejectedByLimit calls the concurrency limit refused (nothing was sent)
 * @param extrasRefusedByLimit retries and hedges the concurrency limit refused
 */
public record RouterSnapshot(String router, String policy, List<NodeSnapshot> nodes, long attemptsStarted,
        long attemptsCompleted, long retries, long retriesRefusedByBudget, long noAvailableNode, long hedges,
        long hedgesRefusedByBudget, long hedgesRefusedAsUnpaid, int concurrencyLimit, int limitedInFlight,
        long callsRejectedByLimit, long extrasRefusedByLimit) {

    /**
     * Copies the node list.
     *
     * @param router the router's name
     * @param policy the policy's name
     * @param nodes the registered nodes, in registration order; copied
     * @param attemptsStarted attempts begun since the router was built
     * @param attemptsCompleted attempts completed since the router was built
     * @param retries attempts that were retries
     * @param retriesRefusedByBudget retries the budget refused
     * @param noAvailableNode calls that found no node
     * @param hedges attempts that were hedges
     * @param hedgesRefusedByBudget hedges the hedge budget refused
     * @param hedgesRefusedAsUnpaid hedges refused because the router's hedges rarely win
     * @param concurrencyLimit the adaptive concurrency limit now, or 0 when the router has none
     * @param limitedInFlight the attempts the concurrency limit counts in flight, or 0 when the router has none
     * @param callsRejectedByLimit calls the concurrency limit refused
     * @param extrasRefusedByLimit retries and hedges the concurrency limit refused
     * @throws NullPointerException if {@code nodes} or one of its elements is null
     */
    public RouterSnapshot {
        nodes = List.copyOf(nodes);
    }

    /**
     * {@return the node with the given id, or {@code null} if no registered node has it}
     *
     * @param id the node's id
     */
    public NodeSnapshot node(String id) {
        for (NodeSnapshot n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** {@return a table, one line per node, for logs and consoles} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "router '%s' (%s): %d attempts, %d in flight, %d retries, %d budget refusals, %d no-node%n",
                router, policy, attemptsStarted, attemptsStarted - attemptsCompleted, retries, retriesRefusedByBudget,
                noAvailableNode));
        if (concurrencyLimit > 0) {
            sb.append(String.format(Locale.ROOT, "  concurrency limit %d, %d in flight, %d calls rejected, %d retries/hedges refused%n",
                    concurrencyLimit, limitedInFlight, callsRejectedByLimit, extrasRefusedByLimit));
        }
        sb.append(String.format(Locale.ROOT, "  %-16s %-9s %6s %9s %9s %8s %11s%n",
                "node", "state", "weight", "requests", "failures", "inflight", "peak-ewma"));
        for (NodeSnapshot n : nodes) {
            String state = !n.healthy() ? "UNHEALTHY" : n.ejected() ? "EJECTED" : n.coolingDown() ? "COOLING" : "UP";
            sb.append(String.format(Locale.ROOT, "  %-16s %-9s %6d %9d %9d %8d %9.2fms%n",
                    n.id(), state, n.weight(), n.requests(), n.failures() + n.overloaded(), n.inFlight(),
                    n.peakEwma().toNanos() / 1e6));
        }
        return sb.toString();
    }
}
