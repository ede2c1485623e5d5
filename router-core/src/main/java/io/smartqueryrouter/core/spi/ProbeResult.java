package io.smartqueryrouter.core.spi;

import java.util.Map;
import java.util.Objects;

/**
 * The result of one active health probe of one node.
 *
 * @param healthy whether the node passed
 * @param detail a short human-readable explanation (never a secret), empty when healthy
 * @param attributes what the probe learned beyond up or down, such as a database role or
 *     replication lag; adapters read these to filter nodes
 */
public record ProbeResult(boolean healthy, String detail, Map<String, String> attributes) {
    private static final ProbeResult HEALTHY = new ProbeResult(true, "", Map.of());

    /** Validates and copies the attributes. */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
        attributes = Map.copyOf(attributes);
    }

    /** Returns a passing result with no attributes. */
    public static ProbeResult ok() {
        return HEALTHY;
    }

    /** Returns a passing result carrying the given attributes. */
    public static ProbeResult ok(Map<String, String> attributes) {
        return new ProbeResult(true, "", attributes);
    }

    /** Returns a failing result with the given reason. */
    public static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail, Map.of());
    }
}
