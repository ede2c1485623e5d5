package io.smartqueryrouter.core;

import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.internal.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One backend a router can send calls to: an immutable value.
 *
 * <p>{@code id} is unique within its router; {@code endpoint} is whatever the adapter talks to (a
 * {@code URI}, an OkHttp {@code HttpUrl}, an {@code InetAddress}, a {@code DataSource}...);
 * {@code weight} (default 1) scales the node's share of traffic; {@code zone} and {@code labels}
 * are free-form metadata for policies and filters. {@link #toString()} never prints credentials
 * or query strings of the endpoint.
 *
 * @param <E> the endpoint type
 */
public final class Node<E> {
    /** The zone of a node built without one. */
    public static final String NO_ZONE = "";

    private final String id;
    private final E endpoint;
    private final int weight;
    private final String zone;
    private final Map<String, String> labels;

    private Node(Builder<E> b) {
        this.id = b.id;
        this.endpoint = b.endpoint;
        this.weight = b.weight;
        this.zone = b.zone;
        this.labels = Map.copyOf(b.labels);
    }

    /**
     * Returns a node with weight 1, no zone and no labels.
     *
     * @param <E> the endpoint type
     * @param id the node's id, unique within its router
     * @param endpoint what the adapter talks to
     * @return the node
     * @throws IllegalArgumentException if {@code id} is blank
     * @throws NullPointerException if an argument is null
     */
    public static <E> Node<E> of(String id, E endpoint) {
        return builder(id, endpoint).build();
    }

    /**
     * Returns a builder for a node.
     *
     * @param <E> the endpoint type
     * @param id the node's id, unique within its router
     * @param endpoint what the adapter talks to
     * @return a builder with weight 1, no zone and no labels
     * @throws IllegalArgumentException if {@code id} is blank
     * @throws NullPointerException if an argument is null
     */
    public static <E> Builder<E> builder(String id, E endpoint) {
        return new Builder<>(id, endpoint);
    }

    /** {@return the id, unique within its router} */
    public String id() {
        return id;
    }

    /** {@return the endpoint the adapter talks to; never null} */
    public E endpoint() {
        return endpoint;
    }

    /** {@return the weight, at least 1} */
    public int weight() {
        return weight;
    }

    /** {@return the zone, or {@link #NO_ZONE} (the empty string) when it has none} */
    public String zone() {
        return zone;
    }

    /** {@return the labels, an unmodifiable map; empty when it has none} */
    public Map<String, String> labels() {
        return labels;
    }

    /** {@return a builder that starts from this node's values} */
    public Builder<E> toBuilder() {
        Builder<E> b = new Builder<>(id, endpoint).weight(weight).zone(zone);
        b.labels.putAll(labels);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node<?> n && id.equals(n.id) && endpoint.equals(n.endpoint) && weight == n.weight
                && zone.equals(n.zone) && labels.equals(n.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, endpoint, weight, zone, labels);
    }

    /** {@return a description with the endpoint stripped of user info, query strings and passwords} */
    @Override
    public String toString() {
        return "Node[id=" + id + ", endpoint=" + Redaction.endpoint(endpoint) + ", weight=" + weight
                + (zone.isEmpty() ? "" : ", zone=" + zone) + (labels.isEmpty() ? "" : ", labels=" + labels) + "]";
    }

    /**
     * Builds a {@link Node}; each setter validates its value at once.
     *
     * @param <E> the endpoint type
     */
    public static final class Builder<E> {
        private final String id;
        private final E endpoint;
        private int weight = ConfigRules.DEFAULT_WEIGHT;
        private String zone = NO_ZONE;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(String id, E endpoint) {
            Objects.requireNonNull(id, "node id must not be null");
            if (id.isBlank()) {
                throw new IllegalArgumentException("node id must not be blank, but was '" + id + "'");
            }
            this.id = id;
            this.endpoint = Objects.requireNonNull(endpoint, () -> "node '" + id + "': endpoint must not be null");
        }

        /**
         * Sets the weight (default 1): a node of weight 2 gets about twice the traffic of a node of
         * weight 1 when both perform alike.
         *
         * @param weight the node's relative share of traffic, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code weight < 1}
         */
        public Builder<E> weight(int weight) {
            if (weight < 1) {
                throw new IllegalArgumentException("node '" + id + "': weight must be > 0, but was " + weight);
            }
            this.weight = weight;
            return this;
        }

        /**
         * Sets the zone (default none).
         *
         * @param zone free-form zone name, such as {@code "eu-west-1a"}; {@link #NO_ZONE} for none
         * @return this builder
         * @throws NullPointerException if {@code zone} is null
         */
        public Builder<E> zone(String zone) {
            this.zone = Objects.requireNonNull(zone, () -> "node '" + id + "': zone must not be null");
            return this;
        }

        /**
         * Adds a label, replacing any earlier value of the same key.
         *
         * @param key the label's name
         * @param value the label's value
         * @return this builder
         * @throws NullPointerException if {@code key} or {@code value} is null
         */
        public Builder<E> label(String key, String value) {
            Objects.requireNonNull(key, () -> "node '" + id + "': label key must not be null");
            Objects.requireNonNull(value, () -> "node '" + id + "': label '" + key + "' must not have a null value");
            labels.put(key, value);
            return this;
        }

        /** {@return the node, with this builder's values} */
        public Node<E> build() {
            return new Node<>(this);
        }
    }
}
