package io.smartqueryrouter.benchmarks.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link ScheduledExecutorService} on the simulation's clock, given to a router with
 * {@code RouterBuilder.executor(...)}: the router's health checker schedules its passes on it and
 * runs its probes on it, exactly as on an application's executor, but at simulated times.
 *
 * <ul>
 *   <li>{@link #schedule} runs the task on the simulation's thread when the simulated delay has
 *       passed (the checker's passes: short, they never wait);
 *   <li>{@link #execute} runs the task as a <em>fiber</em>, at the same simulated time: on a thread
 *       of its own, but only ever one thread at a time, the simulation's waiting while a fiber runs.
 *       A task that must wait for simulated time (a probe waiting for its answer) calls
 *       {@link Fibers#park}: the simulation goes on, and resumes the fiber when the answer is
 *       there. The core's {@code HealthProbe.probe} returns synchronously; this is what lets a
 *       probe wait in a server's queue without a change to the core, and the hand-over keeps
 *       the run deterministic (one thread runs at a time, in the order of simulated events).
 * </ul>
 *
 * Not for general use: the periodic methods are not supported, and nothing runs unless the
 * simulation's event loop runs it.
 */
final class SimExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    /** Schedules a task on the simulation's event loop at a simulated time. */
    interface EventLoop {
        void at(long nanos, Runnable task);
    }

    /**
     * Runs tasks on threads of their own, one at a time, handing control back and forth with the
     * simulation's thread.
     */
    static final class Fibers implements AutoCloseable {
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "simulation-fiber");
            t.setDaemon(true);
            return t;
        });
        /** Released by a fiber when it parks or ends: the simulation's thread goes on. */
        private final Semaphore back = new Semaphore(0);
        private Throwable failure;

        /** On the simulation's thread: runs {@code task} until it ends or parks. */
        void start(Runnable task) {
            threads.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    back.release();
                }
            });
            waitForFiber();
        }

        /** On a fiber: gives control back to the simulation until it calls {@link #resume(Semaphore)} with {@code go}. */
        void park(Semaphore go) throws InterruptedException {
            back.release();
            go.acquire();
        }

        /** On the simulation's thread: resumes the fiber parked on {@code go} until it ends or parks again. */
        void resume(Semaphore go) {
            go.release();
            waitForFiber();
        }

        private void waitForFiber() {
            back.acquireUninterruptibly();
            if (failure != null) {
                Throwable t = failure;
                failure = null;
                throw new IllegalStateException("a task on the simulated executor failed", t);
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }

    private final LongSupplier clock;
    private final EventLoop loop;
    private final Fibers fibers;
    private volatile boolean shutdown;

    /**
     * @param clock the simulated time
     * @param loop the simulation's event loop
     * @param fibers where {@link #execute}d tasks run
     */
    SimExecutor(LongSupplier clock, EventLoop loop, Fibers fibers) {
        this.clock = clock;
        this.loop = loop;
        this.fibers = fibers;
    }

    @Override
    public void execute(Runnable command) {
        loop.at(clock.getAsLong(), () -> fibers.start(command));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        SimFuture<V> f = new SimFuture<>(clock.getAsLong() + Math.max(0, unit.toNanos(delay)));
        loop.at(f.dueNanos, () -> {
            if (!f.cancelled && !shutdown) {
                try {
                    f.value = callable.call();
                } catch (Exception e) {
                    throw new IllegalStateException("a scheduled task on the simulated executor failed", e);
                } finally {
                    f.done = true;
                }
            }
        });
        return f;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulated executor runs one-shot tasks only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulated executor runs one-shot tasks only");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class SimFuture<V> implements ScheduledFuture<V> {
        final long dueNanos;
        volatile boolean cancelled;
        volatile boolean done;
        V value;

        SimFuture(long dueNanos) {
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - clock.getAsLong(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() throws ExecutionException {
            if (!done) {
                throw new IllegalStateException("a simulated task's result is there only once simulated time has passed");
            }
            return value;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
