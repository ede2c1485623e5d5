package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HedgePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named simulation setting: M clients, each with its own router, sending open-loop Poisson
 * calls to N servers of c workers and a FIFO queue each, at a target utilisation of the servers'
 * capacity; a network delay each way; a per-attempt client timeout.
 *
 * <p>The arrival rate is {@code utilisation x sum over servers of (workers x speed) / mean service
 * time}: the capacity the servers have at their steady speed. Slowdowns, freezes and outages come
 * on top, so a degrading server really pushes the others toward overload.
 *
 * @param name short name, used in file names
 * @param description one sentence on what happens
 * @param servers one spec per server; server {@code i} is node {@code s<i>}
 * @param workers workers per server
 * @param clients independent clients, each with its own router
 * @param utilisation offered load over capacity, in (0, 1.5]
 * @param durationNanos how long calls arrive, in simulated nanoseconds
 * @param serviceTime the service time of a speed-1 server
 * @param networkDelayNanos one-way network delay
 * @param timeoutNanos per-attempt client timeout: then the attempt fails and the call fails over
 * @param worstServer the server the scenario hurts, or -1 if none is singled out
 * @param seed the seed every random stream of the run derives from
 * @param outlierEjection whether the routers keep their default outlier ejection (true) or have it
 *     disabled, to see what a policy does on its own
 * @param focus a time window the report looks at apart (the worst server's share of attempts in it),
 *     or null
 * @param hedge the routers' hedging, or null for none: a call not answered after the router's hedge
 *     delay is sent to a second node as well, the first answer wins and the other is cancelled
 * @param fault when capacity is lost and when it returns, for the recovery time; null for a scenario
 *     without one, or whose run ends before capacity returns
 * @param dropAbandoned whether servers drop work whose caller gave up (deadline propagation): a request
 *     still queued or in service when its attempt times out is dropped then (the server knows the
 *     deadline), one whose attempt was cancelled is dropped when the cancel arrives, one network delay
 *     later; false: servers do all the work they were sent, as most HTTP and JDBC servers do
 * @param healthCheck the routers' active health checking, or null for none
 * @param concurrencyLimit the routers' concurrency limit, or null for the router's default
 */
public record Scenario(String name, String description, List<ServerSpec> servers, int workers, int clients,
        double utilisation, long durationNanos, ServiceTime serviceTime, long networkDelayNanos, long timeoutNanos,
        int worstServer, long seed, boolean outlierEjection, Focus focus, HedgePolicy hedge, Fault fault,
        boolean dropAbandoned, Probing healthCheck, ConcurrencyLimit concurrencyLimit) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /**
     * A time window of the run the report looks at apart, such as "before s4 is 5x slower".
     *
     * @param fromNanos start, simulated nanoseconds
     * @param toNanos end (exclusive), after the start
     * @param label what the window is, for the report's column header
     */
    public record Focus(long fromNanos, long toNanos, String label) {
        /** Validates. */
        public Focus {
            Objects.requireNonNull(label, "label");
            if (fromNanos < 0 || toNanos <= fromNanos) {
                throw new IllegalArgumentException("focus window must have 0 <= from < to, but was [" + fromNanos + ", "
                        + toNanos + ")");
            }
        }
    }

    /**
     * A loss of capacity the report measures recovery from: it starts at {@code fromNanos} (the p99
     * before the fault is that of the calls that began before it) and capacity is back at
     * {@code returnNanos}, from when the recovery time is counted.
     *
     * @param fromNanos when the fault starts, simulated nanoseconds
     * @param returnNanos when capacity returns, after the start
     */
    public record Fault(long fromNanos, long returnNanos) {
        /** Validates. */
        public Fault {
            if (fromNanos <= 0 || returnNanos <= fromNanos) {
                throw new IllegalArgumentException("a fault must have 0 < from < return, but was [" + fromNanos + ", "
                        + returnNanos + ")");
            }
        }
    }

    /**
     * The routers' active health checking: the core's {@code HealthCheck} with these settings and
     * no jitter (see {@link Simulation}), probing each node with a request of {@code workNanos} (on a
     * speed-1 server) that travels the network and queues at the server like any call.
     *
     * @param intervalNanos time between two probes of a node
     * @param timeoutNanos how long a probe may take
     * @param fall consecutive failed probes that mark a node down
     * @param rise consecutive passed probes that mark it up again
     * @param workNanos the probe's service time on a speed-1 server
     */
    public record Probing(long intervalNanos, long timeoutNanos, int fall, int rise, long workNanos) {
        /** Validates. */
        public Probing {
            if (intervalNanos <= 0 || timeoutNanos <= 0 || timeoutNanos > intervalNanos || fall < 1 || rise < 1
                    || workNanos <= 0) {
                throw new IllegalArgumentException("health check needs interval > 0, 0 < timeout <= interval, fall and "
                        + "rise >= 1, work > 0, but was " + intervalNanos + " ns, " + timeoutNanos + " ns, " + fall
                        + ", " + rise + ", " + workNanos + " ns");
            }
        }

        /** Probes every 1 s with a 1 s timeout, fall 3, rise 2 (the core's defaults but the interval), 1 ms of work. */
        public static Probing defaults() {
            return new Probing(1_000_000_000L, 1_000_000_000L, 3, 2, 1_000_000L);
        }

        @Override
        public String toString() {
            return "every " + Format.millis(intervalNanos) + " ms, timeout " + Format.millis(timeoutNanos) + " ms, fall "
                    + fall + ", rise " + rise + ", probe work " + Format.millis(workNanos) + " ms";
        }
    }

    /** Validates. */
    public Scenario {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("scenario name must be lowercase letters, digits and '-', but was '" + name + "'");
        }
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + name + "' needs at least one server");
        }
        if (focus != null && worstServer < 0) {
            throw new IllegalArgumentException("scenario '" + name + "': a focus window needs a worst server");
        }
        if (fault != null && fault.returnNanos() >= durationNanos) {
            fault = null; // a run shortened (--duration) to end before capacity returns has no recovery to measure
        }
        if (worstServer < -1 || worstServer >= servers.size()) {
            throw new IllegalArgumentException("scenario '" + name + "': worstServer must be -1 or a server index, but was "
                    + worstServer);
        }
    }

    /** Returns a builder with the defaults: 5 servers x 4 workers, 10 clients, 70% utilisation, 2 minutes, seed 42. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Returns a builder that starts from this scenario. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.description = description;
        b.servers.clear();
        b.servers.addAll(servers);
        b.workers = workers;
        b.clients = clients;
        b.utilisation = utilisation;
        b.duration = Duration.ofNanos(durationNanos);
        b.serviceTime = serviceTime;
        b.networkDelay = Duration.ofNanos(networkDelayNanos);
        b.timeout = Duration.ofNanos(timeoutNanos);
        b.worstServer = worstServer;
        b.seed = seed;
        b.outlierEjection = outlierEjection;
        b.focus = focus;
        b.hedge = hedge;
        b.fault = fault;
        b.dropAbandoned = dropAbandoned;
        b.healthCheck = healthCheck;
        b.concurrencyLimit = concurrencyLimit;
        return b;
    }

    /** Returns the node id of server {@code i}. */
    public static String nodeId(int server) {
        return "s" + server;
    }

    /** Returns the servers' steady capacity in requests per second. */
    public double capacityPerSecond() {
        double speeds = 0;
        for (ServerSpec s : servers) {
            speeds += s.speed();
        }
        return workers * speeds * 1e9 / serviceTime.meanNanos();
    }

    /** Returns the offered load, all clients together, in calls per second. */
    public double arrivalsPerSecond() {
        return utilisation * capacityPerSecond();
    }

    /** Returns a one-line summary of the setting. */
    public String setting() {
        return servers.size() + " servers x " + workers + " workers, " + clients + " clients, "
                + Format.number(utilisation * 100, 0) + "% utilisation (" + Format.number(arrivalsPerSecond(), 0)
                + " calls/s), " + Format.number(durationNanos / 1e9, 0) + " s, service " + serviceTime
                + ", network " + Format.millis(networkDelayNanos) + " ms each way, timeout "
                + Format.millis(timeoutNanos) + " ms, seed " + seed + (outlierEjection ? "" : ", outlier ejection off")
                + (hedge == null ? "" : ", hedging " + hedge)
                + (dropAbandoned ? ", servers drop work whose caller gave up" : "")
                + (healthCheck == null ? "" : ", health check " + healthCheck)
                + (concurrencyLimit == null ? "" : ", concurrency limit " + (concurrencyLimit.isEnabled() ? "on" : "off"));
    }

    /** Builds a {@link Scenario}; each setter validates at once. */
    public static final class Builder {
        private String name;
        private String description = "";
        private final List<ServerSpec> servers = new ArrayList<>(Collections.nCopies(5, ServerSpec.normal()));
        private int workers = 4;
        private int clients = 10;
        private double utilisation = 0.7;
        private Duration duration = Duration.ofMinutes(2);
        private ServiceTime serviceTime = ServiceTime.logNormal(Duration.ofMillis(10), 0.5);
        private Duration networkDelay = Duration.ofMillis(1).dividedBy(2);
        private Duration timeout = Duration.ofSeconds(1);
        private int worstServer = -1;
        private long seed = 42;
        private boolean outlierEjection = true;
        private Focus focus;
        private HedgePolicy hedge;
        private Fault fault;
        private boolean dropAbandoned;
        private Probing healthCheck;
        private ConcurrencyLimit concurrencyLimit;

        private Builder(String name) {
            this.name = name;
        }

        /** Renames the scenario (for a variant of another). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Says in one sentence what happens. */
        public Builder describe(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Sets the number of servers, all {@link ServerSpec#normal()} (default 5). */
        public Builder servers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("servers must be >= 1, but was " + count);
            }
            servers.clear();
            servers.addAll(Collections.nCopies(count, ServerSpec.normal()));
            return this;
        }

        /** Replaces server {@code index}. */
        public Builder server(int index, ServerSpec spec) {
            servers.set(index, Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Sets one server per speed, each otherwise normal. */
        public Builder speeds(double... speeds) {
            servers.clear();
            for (double s : speeds) {
                servers.add(ServerSpec.normal().speed(s));
            }
            return this;
        }

        /** Sets workers per server (default 4). */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, but was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** Sets the number of clients, each with its own router (default 10). */
        public Builder clients(int clients) {
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be >= 1, but was " + clients);
            }
            this.clients = clients;
            return this;
        }

        /** Sets offered load over capacity (default 0.7). */
        public Builder utilisation(double utilisation) {
            if (!(utilisation > 0 && utilisation <= 1.5)) {
                throw new IllegalArgumentException("utilisation must be in (0, 1.5], but was " + utilisation);
            }
            this.utilisation = utilisation;
            return this;
        }

        /** Sets how long calls arrive (default 2 minutes); the run then drains the calls still open. */
        public Builder duration(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be > 0, but was " + duration);
            }
            this.duration = duration;
            return this;
        }

        /** Sets the service time of a speed-1 server (default log-normal, mean 10 ms, sigma 0.5). */
        public Builder serviceTime(ServiceTime serviceTime) {
            this.serviceTime = Objects.requireNonNull(serviceTime, "serviceTime");
            return this;
        }

        /** Sets the one-way network delay (default 0.5 ms). */
        public Builder networkDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("networkDelay must be >= 0, but was " + delay);
            }
            this.networkDelay = delay;
            return this;
        }

        /** Sets the per-attempt client timeout (default 1 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Names the server the scenario hurts, for the "share on worst server" column. */
        public Builder worstServer(int index) {
            this.worstServer = index;
            return this;
        }

        /** Sets the seed (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the routers keep their default outlier ejection (default true); off shows what a
         * policy does on its own.
         */
        public Builder outlierEjection(boolean on) {
            this.outlierEjection = on;
            return this;
        }

        /** Reports the worst server's share of attempts between {@code from} and {@code to} apart, under {@code label}. */
        public Builder focus(Duration from, Duration to, String label) {
            this.focus = new Focus(from.toNanos(), to.toNanos(), label);
            return this;
        }

        /** Gives every client's router this hedge policy (default: none; a disabled policy is none). */
        public Builder hedge(HedgePolicy hedge) {
            this.hedge = Objects.requireNonNull(hedge, "hedge").isEnabled() ? hedge : null;
            return this;
        }

        /**
         * Declares a loss of capacity from {@code from} until {@code capacityReturns}: the report gives the
         * recovery time from {@code capacityReturns} (see {@link RunResult#recoveryNanos()}).
         */
        public Builder fault(Duration from, Duration capacityReturns) {
            this.fault = new Fault(from.toNanos(), capacityReturns.toNanos());
            return this;
        }

        /**
         * Whether servers drop work whose caller gave up (default false: they do all the work they were
         * sent); see {@link Scenario#dropAbandoned()}.
         */
        public Builder dropAbandoned(boolean drop) {
            this.dropAbandoned = drop;
            return this;
        }

        /** Gives every client's router active health checking (default: none; null is none). */
        public Builder healthCheck(Probing probing) {
            this.healthCheck = probing;
            return this;
        }

        /** Gives every client's router this concurrency limit (default null: the router's default). */
        public Builder concurrencyLimit(ConcurrencyLimit limit) {
            this.concurrencyLimit = limit;
            return this;
        }

        /** Returns the scenario. */
        public Scenario build() {
            return new Scenario(name, description, servers, workers, clients, utilisation, duration.toNanos(),
                    serviceTime, networkDelay.toNanos(), timeout.toNanos(), worstServer, seed, outlierEjection, focus,
                    hedge, fault, dropAbandoned, healthCheck, concurrencyLimit);
        }
    }
}
