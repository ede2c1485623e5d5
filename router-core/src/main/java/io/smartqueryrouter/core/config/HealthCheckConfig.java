package io.smartqueryrouter.core.config;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.spi.HealthProbe;
import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking as configuration describes it: which kind of probe (the adapter decides
 * which kinds it supports, e.g. {@code tcp}, {@code http}, {@code postgres}), its path for HTTP
 * probes, and the schedule.
 *
 * @param probe the probe kind
 * @param path the path an HTTP probe requests, or {@code null}
 * @param interval time between probes of a node
 * @param timeout time a probe may take
 * @param fall failed probes in a row that take a node out
 * @param rise passed probes in a row that bring it back
 */
public record HealthCheckConfig(String probe, String path, Duration interval, Duration timeout, int fall, int rise) {

    /**
     * Validates, with the same checks and messages as {@link HealthCheck}'s setters.
     *
     * @param probe the probe kind
     * @param path the path an HTTP probe requests, or {@code null}
     * @param interval time between probes of a node, positive
     * @param timeout time a probe may take, positive
     * @param fall failed probes in a row that take a node out, at least 1
     * @param rise passed probes in a row that bring it back, at least 1
     * @throws IllegalArgumentException if a value is out of range
     */
    public HealthCheckConfig {
        Objects.requireNonNull(probe, "healthCheck.probe must not be null");
        // the same checks, and messages, as HealthCheck's own setters
        HealthCheck.of((node, t) -> null).interval(interval).timeout(timeout).fall(fall).rise(rise);
    }

    /**
     * Returns health checking with the given probe and this schedule.
     *
     * @param <E> the endpoint type
     * @param probeForKind the adapter's probe for {@link #probe()}
     * @return health checking on this schedule
     */
    public <E> HealthCheck<E> apply(HealthProbe<E> probeForKind) {
        return HealthCheck.of(probeForKind).interval(interval).timeout(timeout).fall(fall).rise(rise);
    }
}
