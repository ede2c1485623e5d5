package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Probes every node of a router on the router's {@link Ticker}: each node every interval, spread
 * by the jitter, never two probes of one node at a time; counts consecutive passes and failures
 * and reports when a node crosses {@code fall} or {@code rise}. A probe still running at its
 * timeout is counted as failed then (its late answer is dropped), so a hanging node is detected
 * on time even when the probe itself cannot be interrupted.
 *
 * <p>{@link #runDue()} does one pass and is all the logic; {@link #start} adds a daemon driver
 * thread that calls it whenever the next probe is due and a small pool that runs the probes. Tests
 * call {@code runDue()} themselves with a direct executor and a fake ticker.
 *
 * @param <E> the endpoint type
 */
public final class HealthChecker<E> implements AutoCloseable {
    /** Longest the driver sleeps, so a fake ticker that jumps ahead is noticed soon. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long NOT_SCHEDULED = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(HealthChecker.class.getName());

    /** Receives each probe's result. */
    @FunctionalInterface
    public interface Sink<E> {
        /**
         * @param state the probed node
         * @param result what the probe said (a timeout, an exception or an error already turned into a failure)
         * @param durationNanos how long the probe took
         * @param healthChange {@code null}, or the node's new health when this result crossed fall or rise
         */
        void probed(NodeState<E> state, ProbeResult result, long durationNanos, Boolean healthChange);
    }

    private final String router;
    private final HealthProbe<E> probe;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Duration timeout;
    private final int fall;
    private final int rise;
    private final double jitter;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final Supplier<NodeState<E>[]> nodes;
    private final Sink<E> sink;
    private final Executor executor;
    private volatile boolean closed;
    private Thread driver;
    /** The caller's executor when started on one ({@link #startOn}); null with threads of its own. */
    private ScheduledExecutorService scheduler;
    /** The next pass on the caller's scheduler; guarded by this. */
    private ScheduledFuture<?> nextTick;
    /** The probe pool's threads that may still be alive; only for a started checker. */
    private Queue<Thread> probeThreads;

    /** Creates a checker that runs probes on {@code executor}; nothing runs until {@link #runDue()} or {@link #start}. */
    public HealthChecker(String router, HealthCheck<E> config, Ticker ticker, RandomGenerator random,
            Supplier<NodeState<E>[]> nodes, Sink<E> sink, Executor executor) {
        this.router = router;
        this.probe = config.probe();
        this.intervalNanos = config.interval().toNanos();
        this.timeout = config.timeout();
        this.timeoutNanos = timeout.toNanos();
        this.fall = config.fall();
        this.rise = config.rise();
        this.jitter = config.jitter();
        this.ticker = ticker;
        this.random = random;
        this.nodes = nodes;
        this.sink = sink;
        this.executor = executor;
    }

    /** Starts a checker with its own daemon threads, named after the router. */
    public static <E> HealthChecker<E> start(String router, HealthCheck<E> config, Ticker ticker,
            RandomGenerator random, Supplier<NodeState<E>[]> nodes, Sink<E> sink) {
        AtomicInteger n = new AtomicInteger();
        Queue<Thread> threads = new ConcurrentLinkedQueue<>();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads(), config.threads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    // idle threads time out and are replaced: forget the dead ones so the queue stays small
                    threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
                    Thread t = daemon(r, "smartqueryrouter-probe-" + router + "-" + n.incrementAndGet());
                    threads.add(t);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        HealthChecker<E> checker = new HealthChecker<>(router, config, ticker, random, nodes, sink, pool);
        checker.probeThreads = threads;
        checker.driver = daemon(checker::drive, "smartqueryrouter-health-" + router);
        checker.driver.start();
        return checker;
    }

    /**
     * Starts a checker that runs on the caller's executor: passes are timed with it and probes run on
     * it; it starts no thread and never shuts the executor down.
     */
    public static <E> HealthChecker<E> startOn(String router, HealthCheck<E> config, Ticker ticker,
            RandomGenerator random, Supplier<NodeState<E>[]> nodes, Sink<E> sink,
            ScheduledExecutorService scheduler) {
        HealthChecker<E> checker = new HealthChecker<>(router, config, ticker, random, nodes, sink, scheduler);
        checker.scheduler = scheduler;
        checker.tick();
        return checker;
    }

    /** One pass on the caller's scheduler, then the next one scheduled. */
    private void tick() {
        long wait = pass();
        synchronized (this) {
            if (!closed) {
                nextTick = scheduler.schedule(this::tick, Math.max(1, Math.min(wait, MAX_PARK_NANOS)),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The driver loop of a checker with threads of its own. */
    private void drive() {
        while (!closed) {
            LockSupport.parkNanos(this, Math.max(1, Math.min(pass(), MAX_PARK_NANOS)));
        }
    }

    /**
     * Runs the due probes; returns the nanoseconds until the next pass. It survives whatever one
     * pass throws, an {@code Error} included (a probe run on a direct executor rethrows a
     * {@link VirtualMachineError} here): a driver or schedule that died would silently freeze
     * every node's health for the life of the router. The error is logged, not swallowed.
     */
    private long pass() {
        try {
            return runDue();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "router '" + router + "': health check pass failed; retrying", e);
            return MAX_PARK_NANOS;
        }
    }

    /**
     * Starts the probes that are due, and returns the nanoseconds until the next one is.
     * A node seen for the first time is probed at once (spread by up to jitter x interval).
     */
    public long runDue() {
        long now = ticker.read();
        long next = intervalNanos;
        for (NodeState<E> s : nodes.get()) {
            if (closed) {
                break;
            }
            if (s.probe.nextProbeNanos == NOT_SCHEDULED) {
                s.probe.nextProbeNanos = now + (jitter == 0 ? 0 : (long) (random.nextDouble() * jitter * intervalNanos));
            }
            if (s.probe.probeRunning) {
                if (!s.probe.probeSettled.get()) {
                    long overdue = now - s.probe.probeStartedNanos - timeoutNanos;
                    if (overdue <= 0) {
                        next = Math.min(next, -overdue + 1);
                    } else if (s.probe.probeSettled.compareAndSet(false, true)) {
                        // a probe that hangs fails at its deadline, not whenever it gives up; its late answer is dropped
                        s.probe.probeTimedOut = true;
                        settle(s, ProbeResult.failed("probe did not answer within the timeout " + timeout),
                                now - s.probe.probeStartedNanos);
                    }
                } else if (s.probe.probeTimedOut && s.probe.nextProbeNanos - now <= 0) {
                    // still hanging when the next probe is due: that probe fails too, so fall counts hangs in a row
                    settle(s, ProbeResult.failed("the previous probe still has not answered after "
                            + Duration.ofNanos(now - s.probe.probeStartedNanos)), now - s.probe.probeStartedNanos);
                    s.probe.nextProbeNanos = now + intervalNanos;
                }
                if (s.probe.probeTimedOut) {
                    // counted at its timeout and still hanging: the next thing due is its next probe
                    next = Math.min(next, Math.max(1, s.probe.nextProbeNanos - now));
                }
                // else it runs within its timeout (already the next thing due) or waits for a probe thread: a next
                // probe due meanwhile waits for it, and the driver must not spin on 1 ns until then
                continue;
            }
            long until = s.probe.nextProbeNanos - now;
            if (until <= 0) {
                s.probe.probeRunning = true;
                double spread = jitter == 0 ? 0 : (random.nextDouble() * 2 - 1) * jitter;
                s.probe.nextProbeNanos = now + (long) (intervalNanos * (1 + spread));
                until = s.probe.nextProbeNanos - now;
                executor.execute(() -> probeOnce(s));
            }
            next = Math.min(next, until);
        }
        return next;
    }

    /**
     * Runs one probe and counts its result. A probe that throws an {@code Exception} or an {@code Error}
     * has failed. A {@link VirtualMachineError} (out of memory, stack overflow) is counted too, then
     * rethrown once the probe is over, because the JVM is in trouble and the thread's owner (the probe
     * pool's uncaught-exception handler, or a caller's executor) must hear of it; the pool replaces the
     * thread, and the driver thread survives it (see {@link #drive()}).
     */
    private void probeOnce(NodeState<E> s) {
        VirtualMachineError fatal = null;
        try {
            long start = ticker.read();
            s.probe.probeStartedNanos = start;
            s.probe.probeTimedOut = false;
            s.probe.probeSettled.set(false);
            ProbeResult result;
            try {
                result = probe.probe(s.node(), timeout);
                if (result == null) {
                    result = ProbeResult.failed("probe returned no result");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | Error e) {
                // an Error is a failed probe too (an AssertionError in a custom probe, a NoClassDefFoundError
                // for a missing driver): were it not counted, the node would stay healthy whatever it answers
                result = ProbeResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
                fatal = e instanceof VirtualMachineError vm ? vm : null;
            }
            long took = ticker.read() - start;
            if (took > timeoutNanos && result.healthy()) {
                result = ProbeResult.failed("probe took " + Duration.ofNanos(took) + ", longer than the timeout " + timeout);
            }
            if (s.probe.probeSettled.compareAndSet(false, true)) {
                settle(s, result, took);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "router '" + router + "': health check of node '" + s.node().id() + "' failed", e);
        } finally {
            s.probe.probeRunning = false;
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    private void settle(NodeState<E> s, ProbeResult result, long tookNanos) {
        if (!closed && !s.removed()) {
            sink.probed(s, result, tookNanos, count(s, result.healthy()));
        }
    }

    private Boolean count(NodeState<E> s, boolean passed) {
        if (passed) {
            s.probe.probeFailures = 0;
            s.probe.probeSuccesses++;
            return !s.healthy() && s.probe.probeSuccesses >= rise ? Boolean.TRUE : null;
        }
        s.probe.probeSuccesses = 0;
        s.probe.probeFailures++;
        return s.healthy() && s.probe.probeFailures >= fall ? Boolean.FALSE : null;
    }

    /**
     * Stops probing and waits for the driver and probe threads to end (at most the probe timeout
     * plus 2 s), then closes the probe if it is {@link AutoCloseable} (an HTTP client, say).
     */
    @Override
    public void close() {
        closed = true;
        try {
            stopThreads();
        } finally {
            if (probe instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "router '" + router + "': closing the health probe failed", e);
                }
            }
        }
    }

    private void stopThreads() {
        if (scheduler != null) {
            // the caller's executor: stop scheduling, leave it running
            synchronized (this) {
                if (nextTick != null) {
                    nextTick.cancel(false);
                }
            }
            return;
        }
        if (driver == null) {
            return;
        }
        LockSupport.unpark(driver);
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        long deadline = System.nanoTime() + timeoutNanos + TimeUnit.SECONDS.toNanos(2);
        Thread self = Thread.currentThread();
        try {
            if (self != driver) {
                driver.join();
            }
            pool.shutdownNow();
            if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.WARNING, "router '" + router + "': a health probe ignored its timeout and interrupt; "
                        + "its daemon thread is left to finish");
                return;
            }
            // a terminated pool only means its workers have left their task loop: each thread still has
            // to exit, and close() promises that no thread of the router is alive when it returns
            for (Thread t : probeThreads) {
                long left = deadline - System.nanoTime();
                if (t != self && left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
