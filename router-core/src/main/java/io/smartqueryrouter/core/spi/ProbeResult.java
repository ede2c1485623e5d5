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

    /**
     * Validates and copies the attributes.
     *
     * @param healthy whether the node passed
     * @param detail a short human-readable explanation (never a secret), empty when healthy
     * @param attributes what the probe learned beyond up or down; copied
     * @throws NullPointerException if {@code detail} or {@code attributes} is null, or {@code attributes}
     *     holds a null key or value
     */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
        attributes = Map.copyOf(attributes);
    }

    /** {@return a passing result with no attributes} */
    public static ProbeResult ok() {
        return HEALTHY;
    }

    /**
     * {@return a passing result carrying the given attributes}
     *
     * @param attributes what the probe learned, such as a database role; copied
     * @throws NullPointerException if {@code attributes} is null or holds a null key or value
     */
    public static ProbeResult ok(Map<String, String> attributes) {
        return new ProbeResult(true, "", attributes);
    }

    /**
     * {@return a failing result with the given reason and no attributes}
     *
     * @param detail why the node failed, short and without secrets; shown in snapshots and logs
     * @throws NullPointerException if {@code detail} is null
     */
    public static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail, Map.of());
    }
}
