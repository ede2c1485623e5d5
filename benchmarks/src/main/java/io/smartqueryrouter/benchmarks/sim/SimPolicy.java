package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.internal.PredictivePolicy;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A policy the simulator compares: a name and how to make one instance per client router. The
 * registered policies come from {@link RoutingPolicies#providers()}, exactly as an application
 * gets them; the {@link OraclePolicy oracle} is the simulator's own yardstick.
 *
 * @param name the name shown in reports
 * @param factory makes a new instance for each client's router; it may read the simulation (the oracle does)
 */
public record SimPolicy(String name, Function<Simulation, RoutingPolicy> factory) {

    /** The oracle's name in reports. */
    public static final String ORACLE = "oracle";

    /** Validates. */
    public SimPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * Returns the policy registered under {@code name}; each router gets its own instance from the provider.
     *
     * @throws IllegalArgumentException if no provider registers it
     */
    public static SimPolicy registered(String name) {
        RoutingPolicyProvider provider = RoutingPolicies.providers().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown routing policy '" + name + "'; registered: "
                    + RoutingPolicies.providers().keySet() + " (and '" + PREDICTIVE_P2C + "', '" + ORACLE
                    + "' in the simulator)");
        }
        return new SimPolicy(name, sim -> provider.create());
    }

    /** The name of the measured alternative to {@code predictive}: the same forecast, compared by power of two choices. */
    public static final String PREDICTIVE_P2C = "predictive-p2c";

    /**
     * Returns {@code predictive} comparing two random candidates instead of all: not registered (it
     * lost to comparing all candidates, see SIMULATION.md), kept here so that comparison can be rerun.
     */
    public static SimPolicy predictiveP2c() {
        return new SimPolicy(PREDICTIVE_P2C, sim -> new PredictivePolicy(true));
    }

    /** Returns the oracle: it sees every server's true queue, speed and state. */
    public static SimPolicy oracle() {
        return new SimPolicy(ORACLE, OraclePolicy::new);
    }

    /**
     * Returns a registered policy or the oracle by name.
     *
     * @throws IllegalArgumentException if there is no such policy
     */
    public static SimPolicy byName(String name) {
        if (PREDICTIVE_P2C.equals(name)) {
            return predictiveP2c();
        }
        if (name.startsWith("xpool-3-")) {
            // xpool-3-M-L: pool-ewma with a pool of M, cost x (in-flight + L)
            String[] parts = name.substring(8).split("-");
            int m = Integer.parseInt(parts[0]);
            int load = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            return new SimPolicy(name, sim -> new io.smartqueryrouter.core.internal.PoolEwmaPolicy(m, load));
        }
        if (name.startsWith("xll-")) {
            // xll-M[-TIE[-EXPLORE[-u]]]: a measured variant of lowest-latency
            new LatencyRankPolicy(name);
            return new SimPolicy(name, sim -> new LatencyRankPolicy(name));
        }
        if (name.startsWith("try-k")) {
            int k = name.charAt(5) - '0';
            char stat = name.endsWith("-f") ? 'f' : name.endsWith("-e") ? 'e' : name.endsWith("-m") ? 'm'
                    : name.endsWith("-w") ? 'w' : name.endsWith("-x") ? 'x' : name.endsWith("-v") ? 'v' : 'p';
            String base = stat == 'p' ? name : name.substring(0, name.length() - 2);
            int memory = base.endsWith("-last") ? ChoicesPolicy.LAST
                    : base.endsWith("-cheap") ? ChoicesPolicy.CHEAPEST
                    : ChoicesPolicy.NONE;
            return new SimPolicy(name, sim -> new ChoicesPolicy(k, memory, name, stat));
        }
        return ORACLE.equals(name) ? oracle() : registered(name);
    }

    /** Returns the name of the routers' default policy. */
    public static String defaultName() {
        return RoutingPolicies.poolEwma().name();
    }

    /**
     * Returns every registered policy, the default first and the rest in name order, then
     * {@code predictive-p2c} and the oracle.
     */
    public static List<SimPolicy> all() {
        List<SimPolicy> all = new ArrayList<>();
        String first = defaultName();
        Map<String, RoutingPolicyProvider> providers = RoutingPolicies.providers();
        if (providers.containsKey(first)) {
            all.add(registered(first));
        }
        for (String name : providers.keySet()) {
            if (!name.equals(first)) {
                all.add(registered(name));
            }
        }
        all.add(predictiveP2c());
        all.add(oracle());
        return all;
    }
}
