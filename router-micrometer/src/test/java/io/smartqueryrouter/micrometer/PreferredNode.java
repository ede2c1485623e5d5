package io.smartqueryrouter.micrometer;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.random.RandomGenerator;

/** A test policy that picks the node the test names, so every attempt lands where the test wants it. */
final class PreferredNode implements RoutingPolicy {
    private volatile String preferred = "";

    PreferredNode prefer(String id) {
        this.preferred = id;
        return this;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).node().id().equals(preferred)) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public String name() {
        return "preferred-node";
    }
}
