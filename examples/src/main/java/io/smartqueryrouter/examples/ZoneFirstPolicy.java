package io.smartqueryrouter.examples;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.random.RandomGenerator;

/**
 * A custom routing policy: stay in the local zone while any node there is a candidate (the
 * router has already left out unhealthy and ejected nodes), choosing between two random local
 * candidates by fewer calls in flight; go to another zone only when no local node is left.
 * Registered under the name {@code zone-first} by its {@link Provider}, listed in
 * {@code META-INF/services/io.smartqueryrouter.core.spi.RoutingPolicyProvider}.
 *
 * <p>Like every policy it takes no lock and allocates nothing: it scans the candidates twice.
 */
public final class ZoneFirstPolicy implements RoutingPolicy {
    /** The zone this process runs in: set by the system property {@code zone}, default {@code eu-1}. */
    private final String localZone;

    public ZoneFirstPolicy(String localZone) {
        this.localZone = localZone;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int local = 0;
        for (int i = 0; i < candidates.size(); i++) {
            local += localZone.equals(candidates.get(i).node().zone()) ? 1 : 0;
        }
        if (local == 0) {
            return random.nextInt(candidates.size());
        }
        // the k-th and m-th local candidates, k != m when there are two
        int k = random.nextInt(local);
        int m = local == 1 ? k : (k + 1 + random.nextInt(local - 1)) % local;
        int first = -1;
        int second = -1;
        for (int i = 0, seen = 0; i < candidates.size(); i++) {
            if (localZone.equals(candidates.get(i).node().zone())) {
                if (seen == k) {
                    first = i;
                }
                if (seen == m) {
                    second = i;
                }
                seen++;
            }
        }
        NodeStats a = candidates.get(first);
        NodeStats b = candidates.get(second);
        return a.inFlight() <= b.inFlight() ? first : second;
    }

    @Override
    public String name() {
        return "zone-first";
    }

    /** Registers {@code zone-first} for this process's zone. */
    public static final class Provider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "zone-first";
        }

        @Override
        public RoutingPolicy create() {
            return new ZoneFirstPolicy(System.getProperty("zone", "eu-1"));
        }
    }
}
