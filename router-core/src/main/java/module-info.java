/**
 * The SmartQueryRouter engine: nodes, statistics, health checking, outlier ejection, routing
 * policies and failover. Depends on nothing but the JDK.
 */
module io.smartqueryrouter.core {
    exports io.smartqueryrouter.core;
    exports io.smartqueryrouter.core.spi;
    exports io.smartqueryrouter.core.config;

    uses io.smartqueryrouter.core.spi.RoutingPolicyProvider;

    provides io.smartqueryrouter.core.spi.RoutingPolicyProvider with
            io.smartqueryrouter.core.internal.BuiltinPolicies.P2cPeakEwmaProvider,
            io.smartqueryrouter.core.internal.BuiltinPolicies.LeastInFlightProvider,
            io.smartqueryrouter.core.internal.BuiltinPolicies.LowestLatencyProvider,
            io.smartqueryrouter.core.internal.BuiltinPolicies.RoundRobinProvider,
            io.smartqueryrouter.core.internal.BuiltinPolicies.UniformRandomProvider,
            io.smartqueryrouter.core.internal.BuiltinPolicies.WeightedRandomProvider,
            io.smartqueryrouter.core.internal.PredictivePolicy.Provider,
            io.smartqueryrouter.core.internal.C3Policy.Provider;
}
