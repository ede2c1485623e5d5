package io.smartqueryrouter.core.config;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.internal.Redaction;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node as configuration describes it.
 *
 * @param id unique within its router
 * @param url the node's address as text: an HTTP base URL, a JDBC URL...
 * @param weight at least 1
 * @param zone the zone, or empty
 * @param labels free-form labels (a database node's {@code role}, say)
 * @param properties adapter settings such as a JDBC {@code user} and {@code password}; never
 *     printed: {@link #toString()} shows their keys only
 * @param pool the node's connection pool when it differs from its router's ({@link RouterConfig#pool()}),
 *     complete (a node's pool section starts from its router's), or {@code null} for the router's
 */
public record NodeConfig(String id, String url, int weight, String zone, Map<String, String> labels,
        Map<String, String> properties, PoolConfig pool) {

    /**
     * Validates and copies.
     *
     * @param id unique within its router, not blank
     * @param url the node's address as text
     * @param weight at least 1
     * @param zone the zone; {@code null} means none
     * @param labels free-form labels
     * @param properties adapter settings, never printed
     * @param pool the node's own pool settings, or {@code null} for its router's
     * @throws IllegalArgumentException if the id is blank or the weight below 1
     */
    public NodeConfig {
        Objects.requireNonNull(id, "node id must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank, but was '" + id + "'");
        }
        Objects.requireNonNull(url, () -> "node '" + id + "': url must not be null");
        if (weight < 1) {
            throw new IllegalArgumentException("node '" + id + "': weight must be > 0, but was " + weight);
        }
        zone = zone == null ? Node.NO_ZONE : zone;
        labels = Map.copyOf(labels);
        properties = Map.copyOf(properties);
    }

    /**
     * A node with its router's pool settings.
     *
     * @param id unique within its router, not blank
     * @param url the node's address as text
     * @param weight at least 1
     * @param zone the zone; {@code null} means none
     * @param labels free-form labels
     * @param properties adapter settings, never printed
     * @throws IllegalArgumentException if the id is blank or the weight below 1
     */
    public NodeConfig(String id, String url, int weight, String zone, Map<String, String> labels,
            Map<String, String> properties) {
        this(id, url, weight, zone, labels, properties, null);
    }

    /**
     * Returns a node with weight 1, no zone, no labels and no properties.
     *
     * @param id unique within its router, not blank
     * @param url the node's address as text
     * @return the node's configuration
     */
    public static NodeConfig of(String id, String url) {
        return new NodeConfig(id, url, 1, Node.NO_ZONE, Map.of(), Map.of(), null);
    }

    /** Shows the URL without credentials or query values, and the properties' keys only. */
    @Override
    public String toString() {
        return "NodeConfig[id=" + id + ", url=" + Redaction.endpoint(url) + ", weight=" + weight
                + (zone.isEmpty() ? "" : ", zone=" + zone) + (labels.isEmpty() ? "" : ", labels=" + new TreeMap<>(labels))
                + (properties.isEmpty() ? "" : ", properties=" + new TreeMap<>(properties).keySet())
                + (pool == null ? "" : ", pool=" + pool) + "]";
    }
}
