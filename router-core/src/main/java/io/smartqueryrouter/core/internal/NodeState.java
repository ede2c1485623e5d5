package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable, lock-free state of one registered node: statistics on the call path, and the
 * health and ejection state the router changes (under its membership lock, off the call path).
 *
 * <p>Peak-EWMA (Finagle's {@code PeakEwma}, Linkerd's balancer): on a sample {@code rtt} at time
 * {@code t}, with {@code w = exp(-(t - stamp) / tau)}: if {@code rtt > cost} then {@code cost = rtt},
 * else {@code cost = cost * w + rtt * (1 - w)}. Reading at time {@code t} decays the cost toward zero,
 * {@code cost * exp(-(t - stamp) / tau)}, as Finagle and Linkerd do: a node that was slow once and
 * then got no traffic soon looks cheap enough to be tried again, and its next sample decides
 * (decaying toward a fixed prior instead would starve it forever in a cluster faster than the
 * prior). Before its first sample a node reads as the prior; the first sample replaces it. A
 * failure ({@code FAILURE}, {@code OVERLOADED}) only ever raises the cost, to at least the prior:
 * if the larger of its latency and the prior exceeds the cost as read at that moment, the cost
 * jumps to it; otherwise nothing changes. So a fast "connection refused" never makes a node look
 * faster, a failing node costs at least as much as an unknown one (in a cluster faster than the
 * prior it is only tried again once its cost has decayed), and a node that failed counts as
 * sampled. Failures do not enter the plain EWMA.
 *
 * <p>Concurrent samples stay exact without a lock: each sample first claims the time since the
 * previous one by advancing the stamp ({@code getAndAccumulate(max)}), then folds itself into the
 * cost with a CAS loop. Decay factors multiply, so the claimed intervals add up to the elapsed time
 * whatever the interleaving.
 *
 * @param <E> the endpoint type
 */
public final class NodeState<E> implements NodeStats {
    private static final long NO_SAMPLE = Double.doubleToRawLongBits(Double.NaN);

    private volatile Node<E> node;
    private final double priorNanos;
    private final double tauNanos;

    private final AtomicLong peakBits = new AtomicLong(NO_SAMPLE);
    private final AtomicLong peakStamp;
    private final AtomicLong ewmaBits = new AtomicLong(NO_SAMPLE);
    private final AtomicLong ewmaStamp;
    // the valley-EWMA: Peak-EWMA mirrored, the latency the node manages when nothing queues ahead
    private final AtomicLong valleyBits = new AtomicLong(NO_SAMPLE);
    private final AtomicLong valleyStamp;
    // what the node itself reported (c3): per-report EWMAs, as Elasticsearch's adaptive replica selection keeps
    private final AtomicLong serverQueueBits = new AtomicLong(NO_SAMPLE);
    private final AtomicLong serverServiceBits = new AtomicLong(NO_SAMPLE);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] completed = new LongAdder[Outcome.values().length];

    // changed by the router under its membership lock, read anywhere
    private volatile boolean healthy = true;
    private volatile boolean removed;
    private volatile boolean ejected;
    private volatile long ejectedUntilNanos;
    private volatile int timesEjected;
    private volatile long lastRestoredNanos;
    private volatile boolean coolingDown;
    private volatile long coolDownUntilNanos;
    private volatile ProbeResult lastProbe;

    // owned by the health checker: at most one probe of a node runs at a time
    volatile long nextProbeNanos = Long.MIN_VALUE;
    volatile boolean probeRunning;
    volatile long probeStartedNanos;
    /** Set by whoever counts the running probe first: its own answer, or the driver at its timeout. */
    final AtomicBoolean probeSettled = new AtomicBoolean(true);
    /** Whether the running probe was already counted as failed at its timeout. */
    volatile boolean probeTimedOut;
    int probeSuccesses;
    int probeFailures;

    /**
     * Creates the state of a node that has no sample yet.
     *
     * @param node the node
     * @param priorNanos the latency assumed before the first sample
     * @param tauNanos the decay time constant of both moving averages
     * @param nowNanos the current ticker reading
     */
    public NodeState(Node<E> node, double priorNanos, double tauNanos, long nowNanos) {
        this.node = node;
        this.priorNanos = priorNanos;
        this.tauNanos = tauNanos;
        this.peakStamp = new AtomicLong(nowNanos);
        this.ewmaStamp = new AtomicLong(nowNanos);
        this.valleyStamp = new AtomicLong(nowNanos);
        this.lastRestoredNanos = nowNanos;
        for (int i = 0; i < completed.length; i++) {
            completed[i] = new LongAdder();
        }
    }

    @Override
    public Node<E> node() {
        return node;
    }

    /** Replaces the node's definition (same id) while keeping its statistics. */
    public void node(Node<E> replacement) {
        this.node = replacement;
    }

    // ---- the call path ----

    /** Counts an attempt that starts on this node. */
    public void begin() {
        requests.increment();
        inFlight.incrementAndGet();
    }

    /**
     * Records the end of an attempt and its latency sample.
     *
     * @return the number of consecutive failures after this outcome
     */
    public int complete(Outcome outcome, long latencyNanos, long nowNanos) {
        return complete(outcome, latencyNanos, nowNanos, true);
    }

    /**
     * Records the end of an attempt without a latency sample (a failure still raises the cost to
     * at least the prior).
     *
     * @return the number of consecutive failures after this outcome
     */
    public int completeUntimed(Outcome outcome, long nowNanos) {
        return complete(outcome, 0, nowNanos, false);
    }

    private int complete(Outcome outcome, long latencyNanos, long nowNanos, boolean timed) {
        inFlight.decrementAndGet();
        completed[outcome.ordinal()].increment();
        switch (outcome) {
            case SUCCESS, CLIENT_ERROR -> {
                if (timed) {
                    sample(latencyNanos, nowNanos, false);
                }
                consecutiveFailures.set(0);
                return 0;
            }
            case FAILURE, OVERLOADED -> {
                // a failure may only make a node look slower: a fast "connection refused" must not attract traffic
                sample(timed ? latencyNanos : 0, nowNanos, true);
                return consecutiveFailures.incrementAndGet();
            }
            default -> {
                return consecutiveFailures.get();
            }
        }
    }

    private void sample(long latencyNanos, long nowNanos, boolean onlyIfHigher) {
        double rtt = Math.max(0, latencyNanos);
        if (onlyIfHigher) {
            raisePeak(rtt, nowNanos);
            return;
        }
        double w = decay(nowNanos - peakStamp.getAndAccumulate(nowNanos, Math::max));
        while (true) {
            long bits = peakBits.get();
            double cost = Double.longBitsToDouble(bits);
            double next = bits == NO_SAMPLE || rtt > cost ? rtt : cost * w + rtt * (1 - w);
            if (peakBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                break;
            }
        }
        w = decay(nowNanos - ewmaStamp.getAndAccumulate(nowNanos, Math::max));
        while (true) {
            long bits = ewmaBits.get();
            double next = bits == NO_SAMPLE ? rtt : Double.longBitsToDouble(bits) * w + rtt * (1 - w);
            if (ewmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                break;
            }
        }
        w = decay(nowNanos - valleyStamp.getAndAccumulate(nowNanos, Math::max));
        while (true) {
            long bits = valleyBits.get();
            double valley = Double.longBitsToDouble(bits);
            double next = bits == NO_SAMPLE || rtt < valley ? rtt : valley * w + rtt * (1 - w);
            if (valleyBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                break;
            }
        }
    }

    /** The weight of a new report in the server-reported averages (Elasticsearch uses 0.3 as well). */
    static final double SERVER_REPORT_ALPHA = 0.3;

    /** Folds what the node reported into its averages; a negative value is unknown and skipped. */
    public void reportServerLoad(double queueLength, long serviceTimeNanos) {
        if (queueLength >= 0) {
            fold(serverQueueBits, queueLength);
        }
        if (serviceTimeNanos >= 0) {
            fold(serverServiceBits, serviceTimeNanos);
        }
    }

    private static void fold(AtomicLong average, double value) {
        while (true) {
            long bits = average.get();
            double next = bits == NO_SAMPLE ? value
                    : Double.longBitsToDouble(bits) * (1 - SERVER_REPORT_ALPHA) + value * SERVER_REPORT_ALPHA;
            if (average.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    private void raisePeak(double rtt, long nowNanos) {
        // a failed node is no longer unknown, and never looks cheaper than an unknown one: its cost
        // becomes at least the prior (or the failure's latency if higher) unless it already reads more
        double floor = Math.max(rtt, priorNanos);
        while (true) {
            long bits = peakBits.get();
            if (bits != NO_SAMPLE && floor <= Double.longBitsToDouble(bits) * decay(nowNanos - peakStamp.get())) {
                return;
            }
            if (peakBits.compareAndSet(bits, Double.doubleToRawLongBits(floor))) {
                peakStamp.accumulateAndGet(nowNanos, Math::max);
                return;
            }
        }
    }

    private double decay(long elapsedNanos) {
        return elapsedNanos <= 0 ? 1.0 : Math.exp(-elapsedNanos / tauNanos);
    }

    // ---- NodeStats ----

    @Override
    public double peakEwmaNanos(long nowNanos) {
        long bits = peakBits.get();
        if (bits == NO_SAMPLE) {
            return priorNanos;
        }
        return Double.longBitsToDouble(bits) * decay(nowNanos - peakStamp.get());
    }

    @Override
    public boolean hasLatencySample() {
        return peakBits.get() != NO_SAMPLE;
    }

    @Override
    public double ewmaNanos() {
        long bits = ewmaBits.get();
        return bits == NO_SAMPLE ? priorNanos : Double.longBitsToDouble(bits);
    }

    @Override
    public double valleyEwmaNanos() {
        long bits = valleyBits.get();
        return bits == NO_SAMPLE ? priorNanos : Double.longBitsToDouble(bits);
    }

    @Override
    public double serverQueueLength() {
        long bits = serverQueueBits.get();
        return bits == NO_SAMPLE ? Double.NaN : Double.longBitsToDouble(bits);
    }

    @Override
    public double serverServiceTimeNanos() {
        long bits = serverServiceBits.get();
        return bits == NO_SAMPLE ? Double.NaN : Double.longBitsToDouble(bits);
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public long completed(Outcome outcome) {
        return completed[outcome.ordinal()].sum();
    }

    @Override
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public boolean ejected() {
        return ejected;
    }

    @Override
    public ProbeResult lastProbe() {
        return lastProbe;
    }

    // ---- state the router changes under its membership lock ----

    /** Returns whether the node may take calls now: healthy, not ejected, not cooling down. */
    public boolean available() {
        return healthy && !ejected && !coolingDown;
    }

    public void healthy(boolean value) {
        this.healthy = value;
    }

    public void lastProbe(ProbeResult result) {
        this.lastProbe = result;
    }

    public boolean removed() {
        return removed;
    }

    public void markRemoved() {
        this.removed = true;
    }

    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    public int timesEjected() {
        return timesEjected;
    }

    /**
     * Ejects the node. The multiplier decays by one for each {@code baseNanos} the node stayed in
     * since its last restore (as Envoy's outlier detection does), then grows by one.
     *
     * @return the ejection time
     */
    public long eject(long nowNanos, long baseNanos, long maxNanos) {
        long quietPeriods = Math.max(0, nowNanos - lastRestoredNanos) / baseNanos;
        int times = (int) Math.max(0, timesEjected - quietPeriods) + 1;
        long duration = times > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * times);
        this.timesEjected = times;
        this.ejectedUntilNanos = nowNanos + duration;
        this.ejected = true;
        consecutiveFailures.set(0);
        return duration;
    }

    /**
     * Forgets the node's latency history: for a node that rejoins after an ejection or an outage,
     * whose old samples (or failure penalty) say nothing of how it answers now. It reads as the
     * prior again, so policies that try unknown nodes at once (p2c-peak-ewma) send it a call soon
     * instead of waiting for a stale cost to decay.
     */
    public void forgetLatency() {
        peakBits.set(NO_SAMPLE);
        ewmaBits.set(NO_SAMPLE);
        valleyBits.set(NO_SAMPLE);
        serverQueueBits.set(NO_SAMPLE);
        serverServiceBits.set(NO_SAMPLE);
    }

    /**
     * Ends the ejection. The node counts as back from its ejection's deadline once that has passed,
     * not from whenever the router next looked (a call or a snapshot), so the multiplier's decay
     * does not depend on traffic or on who reads the state.
     */
    public void restore(long nowNanos) {
        this.ejected = false;
        this.lastRestoredNanos = nowNanos - ejectedUntilNanos >= 0 ? ejectedUntilNanos : nowNanos;
    }

    public boolean coolingDown() {
        return coolingDown;
    }

    public long coolDownUntilNanos() {
        return coolDownUntilNanos;
    }

    /** Keeps the node out of rotation until {@code untilNanos}, extending (never shortening) a running cool-down. */
    public void coolDown(long untilNanos) {
        if (!coolingDown || untilNanos - coolDownUntilNanos > 0) {
            this.coolDownUntilNanos = untilNanos;
        }
        this.coolingDown = true;
    }

    public void endCoolDown() {
        this.coolingDown = false;
    }

    @Override
    public String toString() {
        return "NodeState[" + node.id() + "]";
    }
}
