package io.smartqueryrouter.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection pool of one database node, as configuration describes it: what a routing
 * {@code DataSource} built from configuration gives each node's pool (HikariCP's settings of the same
 * names). Given per router, and per node where one differs; a setting a node leaves out is the
 * router's. The defaults ({@link #defaults()}) are chosen for routing: a caller waits seconds, not
 * HikariCP's 30, before the router fails over or reports the node.
 *
 * <p>Ranges ({@link ConfigRules} holds them, for every configuration front end): pool size in
 * [{@value ConfigRules#MIN_POOL_SIZE}, {@value ConfigRules#MAX_POOL_SIZE}], minimum idle in
 * [0, pool size]; connection and validation timeouts at least {@link ConfigRules#MIN_POOL_TIMEOUT},
 * the validation timeout no longer than the connection timeout; idle timeout at least
 * {@link ConfigRules#MIN_POOL_IDLE_TIMEOUT}; max lifetime at least
 * {@link ConfigRules#MIN_POOL_MAX_LIFETIME} and longer than the idle timeout; every duration at
 * most {@link ConfigRules#MAX_DURATION}.
 *
 * @param maximumPoolSize the most connections the pool holds, idle and in use
 * @param minimumIdle the idle connections the pool keeps ready
 * @param connectionTimeout how long a caller waits for a connection from the pool
 * @param idleTimeout how long a connection beyond {@code minimumIdle} may stay idle
 * @param maxLifetime how long a connection lives at most; keep it shorter than any timeout of the
 *     database or the network in between
 * @param validationTimeout how long checking that a connection is alive may take
 */
public record PoolConfig(int maximumPoolSize, int minimumIdle, Duration connectionTimeout, Duration idleTimeout,
        Duration maxLifetime, Duration validationTimeout) {

    private static final PoolConfig DEFAULTS = new PoolConfig(ConfigRules.DEFAULT_POOL_SIZE,
            ConfigRules.DEFAULT_POOL_MINIMUM_IDLE, ConfigRules.DEFAULT_POOL_CONNECTION_TIMEOUT,
            ConfigRules.DEFAULT_POOL_IDLE_TIMEOUT, ConfigRules.DEFAULT_POOL_MAX_LIFETIME,
            ConfigRules.DEFAULT_POOL_VALIDATION_TIMEOUT);

    /**
     * Validates.
     *
     * @param maximumPoolSize the most connections the pool holds
     * @param minimumIdle the idle connections the pool keeps ready, at most {@code maximumPoolSize}
     * @param connectionTimeout how long a caller waits for a connection
     * @param idleTimeout how long a connection beyond {@code minimumIdle} may stay idle
     * @param maxLifetime how long a connection lives at most, longer than {@code idleTimeout}
     * @param validationTimeout how long a liveness check may take, at most {@code connectionTimeout}
     * @throws IllegalArgumentException if a value is out of its range; the message names the setting,
     *     the value and the range
     * @throws NullPointerException if a duration is null
     */
    public PoolConfig {
        ConfigRules.checkRange("pool.maximumPoolSize", maximumPoolSize, ConfigRules.MIN_POOL_SIZE, ConfigRules.MAX_POOL_SIZE);
        ConfigRules.checkRange("pool.minimumIdle", minimumIdle, 0, maximumPoolSize);
        ConfigRules.checkAtLeast("pool.connectionTimeout", connectionTimeout, ConfigRules.MIN_POOL_TIMEOUT);
        ConfigRules.checkAtLeast("pool.idleTimeout", idleTimeout, ConfigRules.MIN_POOL_IDLE_TIMEOUT);
        ConfigRules.checkAtLeast("pool.maxLifetime", maxLifetime, ConfigRules.MIN_POOL_MAX_LIFETIME);
        ConfigRules.checkAtLeast("pool.validationTimeout", validationTimeout, ConfigRules.MIN_POOL_TIMEOUT);
        if (validationTimeout.compareTo(connectionTimeout) > 0) {
            throw new IllegalArgumentException("pool.validationTimeout must be <= pool.connectionTimeout ("
                    + connectionTimeout + "), but was " + validationTimeout);
        }
        if (maxLifetime.compareTo(idleTimeout) <= 0) {
            throw new IllegalArgumentException("pool.maxLifetime must be longer than pool.idleTimeout ("
                    + idleTimeout + "), but was " + maxLifetime);
        }
    }

    /**
     * Returns the defaults: {@value ConfigRules#DEFAULT_POOL_SIZE} connections at most,
     * {@value ConfigRules#DEFAULT_POOL_MINIMUM_IDLE} kept idle, a 3 s connection timeout, 10 min idle
     * timeout, 30 min max lifetime and 1 s validation timeout.
     *
     * @return the default pool settings
     */
    public static PoolConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder starting from {@code base}: a node's pool starts from its router's, so what the
     * node leaves out is the router's.
     *
     * @param base the settings to start from
     * @return the builder
     * @throws NullPointerException if {@code base} is null
     */
    public static Builder builder(PoolConfig base) {
        return new Builder(Objects.requireNonNull(base, "base"));
    }

    /** Changes some settings of a base {@link PoolConfig}; {@link #build()} checks them all together. */
    public static final class Builder {
        private int maximumPoolSize;
        private int minimumIdle;
        private Duration connectionTimeout;
        private Duration idleTimeout;
        private Duration maxLifetime;
        private Duration validationTimeout;

        private Builder(PoolConfig base) {
            maximumPoolSize = base.maximumPoolSize;
            minimumIdle = base.minimumIdle;
            connectionTimeout = base.connectionTimeout;
            idleTimeout = base.idleTimeout;
            maxLifetime = base.maxLifetime;
            validationTimeout = base.validationTimeout;
        }

        /**
         * Sets the most connections the pool holds.
         *
         * @param size in [{@value ConfigRules#MIN_POOL_SIZE}, {@value ConfigRules#MAX_POOL_SIZE}]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maximumPoolSize(int size) {
            ConfigRules.checkRange("pool.maximumPoolSize", size, ConfigRules.MIN_POOL_SIZE, ConfigRules.MAX_POOL_SIZE);
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * Sets the idle connections the pool keeps ready.
         *
         * @param idle at least 0 (and at most the pool size, checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minimumIdle(int idle) {
            ConfigRules.checkRange("pool.minimumIdle", idle, 0, ConfigRules.MAX_POOL_SIZE);
            this.minimumIdle = idle;
            return this;
        }

        /**
         * Sets how long a caller waits for a connection.
         *
         * @param timeout at least {@link ConfigRules#MIN_POOL_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if shorter or longer than allowed
         */
        public Builder connectionTimeout(Duration timeout) {
            ConfigRules.checkAtLeast("pool.connectionTimeout", timeout, ConfigRules.MIN_POOL_TIMEOUT);
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a connection beyond the minimum idle may stay idle.
         *
         * @param timeout at least {@link ConfigRules#MIN_POOL_IDLE_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if shorter or longer than allowed
         */
        public Builder idleTimeout(Duration timeout) {
            ConfigRules.checkAtLeast("pool.idleTimeout", timeout, ConfigRules.MIN_POOL_IDLE_TIMEOUT);
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a connection lives at most.
         *
         * @param lifetime at least {@link ConfigRules#MIN_POOL_MAX_LIFETIME}
         * @return this builder
         * @throws IllegalArgumentException if shorter or longer than allowed
         */
        public Builder maxLifetime(Duration lifetime) {
            ConfigRules.checkAtLeast("pool.maxLifetime", lifetime, ConfigRules.MIN_POOL_MAX_LIFETIME);
            this.maxLifetime = lifetime;
            return this;
        }

        /**
         * Sets how long checking that a connection is alive may take.
         *
         * @param timeout at least {@link ConfigRules#MIN_POOL_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if shorter or longer than allowed
         */
        public Builder validationTimeout(Duration timeout) {
            ConfigRules.checkAtLeast("pool.validationTimeout", timeout, ConfigRules.MIN_POOL_TIMEOUT);
            this.validationTimeout = timeout;
            return this;
        }

        /**
         * Returns the settings.
         *
         * @return the pool configuration
         * @throws IllegalArgumentException if the settings disagree (minimum idle above the pool size,
         *     validation timeout above the connection timeout, max lifetime not above the idle timeout)
         */
        public PoolConfig build() {
            return new PoolConfig(maximumPoolSize, minimumIdle, connectionTimeout, idleTimeout, maxLifetime,
                    validationTimeout);
        }
    }
}
