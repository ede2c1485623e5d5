package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.random.RandomGenerator;

/**
 * The yardstick: a policy that sees what no client can, each server's true queue (requests on
 * the way, waiting and in service, from every client), its speed and slowdown right now, whether
 * it is frozen or gone, and sends the call where it is expected to finish first (join the
 * shortest expected delay). Ties are broken at random. It runs inside the same {@code Router}
 * as the real policies, so ejection, fail-open and retries apply to it alike.
 *
 * <p>It reads the simulation through the candidates' node endpoints, which are the server
 * indexes. It is greedy, not clairvoyant: it uses the mean service time, not the draw each
 * request will get, so it is a strong reference rather than a proven lower bound.
 */
final class OraclePolicy implements RoutingPolicy {
    private final Simulation simulation;

    OraclePolicy(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        int ties = 0;
        for (int i = 0; i < candidates.size(); i++) {
            int server = (Integer) candidates.get(i).node().endpoint();
            double cost = simulation.expectedCompletionNanos(server);
            if (cost < bestCost * (1 - 1e-9)) {
                best = i;
                bestCost = cost;
                ties = 1;
            } else if (cost <= bestCost * (1 + 1e-9) && cost != Double.POSITIVE_INFINITY && random.nextInt(++ties) == 0) {
                best = i;
            }
        }
        // every candidate is gone: any of them fails as fast as another
        return best >= 0 ? best : random.nextInt(candidates.size());
    }

    @Override
    public String name() {
        return SimPolicy.ORACLE;
    }
}
