/**
 * Micrometer meters for SmartQueryRouter: {@link io.smartqueryrouter.micrometer.RouterMetrics}, a
 * {@code MeterBinder} that follows the nodes of one or more routers, and
 * {@link io.smartqueryrouter.micrometer.RouterObservations}, one {@code Observation} per attempt. Only the API package is
 * exported; the listener that records is in a non-exported {@code internal} package.
 */
// micrometer-core is an automatic module (Automatic-Module-Name: micrometer.core); the API takes
// MeterRegistry and Tag and implements MeterBinder, so readers of this module must read it too
@SuppressWarnings("requires-transitive-automatic")
module io.smartqueryrouter.micrometer {
    requires transitive io.smartqueryrouter.core;
    requires transitive micrometer.core;
    // RouterObservations takes an ObservationRegistry
    requires transitive micrometer.observation;

    exports io.smartqueryrouter.micrometer;
}
