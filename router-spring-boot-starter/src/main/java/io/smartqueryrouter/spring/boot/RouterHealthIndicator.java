package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one router for Spring Boot Actuator: {@code UP} while at least one node is available
 * (healthy, not ejected, not cooling down), else {@code DOWN}; the details show the policy and, per
 * node, whether it is available, healthy, ejected or cooling down, its attempts in flight and begun,
 * its failures and its Peak-EWMA latency. A node's endpoint is shown without credentials or query
 * (as {@link NodeSnapshot#endpoint()} gives it).
 */
public final class RouterHealthIndicator implements HealthIndicator {
    private final Router<?> router;

    /**
     * Reports the health of {@code router}.
     *
     * @param router the router
     * @throws NullPointerException if {@code router} is null
     */
    public RouterHealthIndicator(Router<?> router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /** {@return the router's health, from its snapshot now} */
    @Override
    public Health health() {
        RouterSnapshot snapshot = router.snapshot();
        int available = 0;
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (NodeSnapshot n : snapshot.nodes()) {
            if (n.available()) {
                available++;
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("available", n.available());
            node.put("healthy", n.healthy());
            node.put("ejected", n.ejected());
            node.put("coolingDown", n.coolingDown());
            node.put("endpoint", n.endpoint());
            node.put("inFlight", n.inFlight());
            node.put("requests", n.requests());
            node.put("failures", n.failures() + n.overloaded());
            node.put("peakEwmaMillis", n.peakEwma().toNanos() / 1e6);
            if (!n.lastProbe().isEmpty()) {
                node.put("lastProbe", n.lastProbe());
            }
            nodes.put(n.id(), node);
        }
        Health.Builder health = available > 0 ? Health.up() : Health.down();
        return health.withDetail("policy", snapshot.policy())
                .withDetail("available", available + " of " + snapshot.nodes().size())
                .withDetail("nodes", nodes)
                .build();
    }

    @Override
    public String toString() {
        return "RouterHealthIndicator[" + router.name() + "]";
    }
}
