package io.smartqueryrouter.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link Router#execute} call with hedging on: the I/O and the waiting. The calling thread
 * starts each attempt on the executor, waits for answers, for the hedge delay and for retries'
 * backoff, and reports each answer to the call's {@link RoutedCall}, which decides what follows.
 * Every attempt is completed exactly once: by its worker with what happened, or by the calling
 * thread as {@link Outcome#CANCELLED} when it lost; an atomic flag per attempt decides which.
 *
 * @param <E> the endpoint type
 * @param <T> the result type
 */
final class HedgedExecution<E, T> {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final Router<E> router;
    private final RoutedCall<E> routed;
    private final NodeCall<E, T> call;
    private final Executor executor;
    private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    /** Set when the calling thread returns or throws; answers after that are dropped. Guarded by lock. */
    private boolean finished;

    // touched by the calling thread only
    private final List<Run> running = new ArrayList<>(2);
    /** When each announced retry is due (System.nanoTime), in the order announced. */
    private final List<Long> retriesDue = new ArrayList<>(1);

    HedgedExecution(Router<E> router, RoutedCall<E> routed, NodeCall<E, T> call, Executor executor) {
        this.router = router;
        this.routed = routed;
        this.call = call;
        this.executor = executor;
    }

    /** One attempt running on the executor. */
    private final class Run implements Runnable {
        final Attempt<E> attempt;
        final AtomicBoolean settled = new AtomicBoolean();
        final FutureTask<Void> task = new FutureTask<>(this, null);

        Run(Attempt<E> attempt) {
            this.attempt = attempt;
        }

        @Override
        public void run() {
            T result = null;
            Throwable failure = null;
            Throwable fatal = null;
            Outcome outcome = Outcome.SUCCESS;
            try {
                result = call.call(attempt.node());
            } catch (InterruptedException e) {
                failure = e;
                outcome = Outcome.CANCELLED;
            } catch (Exception e) {
                failure = e;
                if (Thread.currentThread().isInterrupted()) {
                    outcome = Outcome.CANCELLED;
                } else {
                    try {
                        outcome = SequentialExecution.classify(router, e);
                    } catch (RuntimeException | Error classifierFailure) {
                        fatal = classifierFailure;
                        outcome = Outcome.FAILURE;
                    }
                }
            } catch (Error e) {
                failure = e;
                fatal = e;
                outcome = Outcome.FAILURE;
            }
            if (!settled.compareAndSet(false, true)) {
                // the calling thread already completed this attempt as CANCELLED: it lost
                dispose(result);
                return;
            }
            try {
                attempt.complete(outcome);
            } finally {
                // even if completing threw: the calling thread must hear of the answer
                answer(new Answer(this, result, failure, outcome, fatal));
            }
        }

        /** Completes the attempt as cancelled and interrupts its thread, unless its worker completed it first. */
        boolean cancel() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            task.cancel(true);
            attempt.complete(Outcome.CANCELLED);
            return true;
        }
    }

    private final class Answer {
        final Run run;
        final T result;
        final Throwable failure;
        final Outcome outcome;
        final Throwable fatal;

        Answer(Run run, T result, Throwable failure, Outcome outcome, Throwable fatal) {
            this.run = run;
            this.result = result;
            this.failure = failure;
            this.outcome = outcome;
            this.fatal = fatal;
        }
    }

    private void answer(Answer a) {
        synchronized (lock) {
            if (!finished) {
                answers.add(a);
                return;
            }
        }
        dispose(a.result);
    }

    T run() {
        long delay = routed.hedgeDelayNanos();
        Attempt<E> first = routed.begin();
        try {
            RejectedExecutionException refused = start(first);
            if (refused != null) {
                if (router.isClosed()) {
                    throw new IllegalStateException("router '" + router.name() + "' is closed", refused);
                }
                throw refused;
            }
            return coordinate(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // answers already in are reported first: one may be the result, and failures belong in the exception
            for (Answer a; (a = answers.poll()) != null; ) {
                running.remove(a.run);
                if (a.fatal == null && a.outcome == Outcome.SUCCESS) {
                    routed.succeeded(a.run.attempt);
                    return a.result;
                }
                routed.failed(a.run.attempt, a.failure != null ? a.failure : e, null);
            }
            routed.cancel("interrupted");
            for (Run r : running) {
                if (r.cancel()) {
                    routed.failed(r.attempt, e, null);
                }
            }
            running.clear();
            throw routed.exception();
        } finally {
            finish();
        }
    }

    private T coordinate(long delay) throws InterruptedException {
        boolean mayHedge = delay >= 0 && delay < Long.MAX_VALUE / 4;
        long hedgeAt = System.nanoTime() + (mayHedge ? delay : 0);
        long left = routed.remainingNanos();
        boolean hasDeadline = left != Long.MAX_VALUE;
        long deadline = System.nanoTime() + (hasDeadline ? left : 0);
        while (true) {
            long now = System.nanoTime();
            if (hasDeadline && now - deadline >= 0) {
                // the caller's time is up: what still runs is cancelled, its failure is the deadline
                routed.cancel("the call's deadline passed");
                TimeoutException timeout = new TimeoutException("the call's deadline passed while the attempt ran");
                for (Run r : running) {
                    if (r.cancel()) {
                        routed.failed(r.attempt, timeout, null);
                    }
                }
                running.clear();
                throw routed.exception();
            }
            while (!retriesDue.isEmpty() && now - retriesDue.get(0) >= 0) {
                retriesDue.remove(0);
                Attempt<E> next = routed.retry();
                if (next != null && start(next) == null) {
                    hedgeAt = now + delay;
                }
            }
            if (routed.isDone()) {
                throw routed.exception();
            }
            boolean hedgeArmed = mayHedge && !running.isEmpty();
            if (hedgeArmed && now - hedgeAt >= 0) {
                if (stillRunning()) {
                    Attempt<E> hedge = routed.hedge();
                    if (hedge == null) {
                        LOG.log(Level.DEBUG, () -> "router '" + router.name() + "': no hedge: " + routed.noHedgeReason());
                        mayHedge = false;
                    } else if (start(hedge) != null) {
                        mayHedge = false;
                    }
                }
                // else every running attempt has just answered: take the answers first, hedge later if still needed
                hedgeAt = now + delay;
                continue;
            }
            Answer a;
            boolean retryPending = !retriesDue.isEmpty();
            if (hedgeArmed || retryPending || hasDeadline) {
                long wakeAt = hedgeArmed && (!retryPending || hedgeAt - retriesDue.get(0) < 0) ? hedgeAt
                        : retryPending ? retriesDue.get(0) : deadline;
                if (hasDeadline && (!(hedgeArmed || retryPending) || deadline - wakeAt < 0)) {
                    wakeAt = deadline;
                }
                a = answers.poll(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
            } else {
                a = answers.take();
            }
            if (a == null) {
                continue;
            }
            running.remove(a.run);
            if (a.fatal != null) {
                throw unchecked(a.fatal);
            }
            Attempt<E> attempt = a.run.attempt;
            if (a.outcome == Outcome.SUCCESS) {
                routed.succeeded(attempt);
                return a.result;
            }
            decided(routed.failed(attempt, a.failure, null));
        }
    }

    private void decided(RoutedCall.Decision decision) {
        if (decision.action() == RoutedCall.Action.RETRY) {
            retriesDue.add(System.nanoTime() + decision.delayNanos());
        }
    }

    private boolean stillRunning() {
        for (Run r : running) {
            // the atomic flag, not the attempt's plain outcome field, which the worker writes
            if (!r.settled.get()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an attempt on the executor. If the executor refuses, completes the attempt as
     * cancelled, reports it to the call and returns why.
     */
    private RejectedExecutionException start(Attempt<E> attempt) {
        Run r = new Run(attempt);
        try {
            executor.execute(r.task);
        } catch (RejectedExecutionException e) {
            r.cancel();
            decided(routed.failed(attempt, e, "the executor refused the attempt"));
            return e;
        }
        running.add(r);
        return null;
    }

    /** Cancels what still runs and drops answers that came too late; the call is over. */
    private void finish() {
        for (Run r : running) {
            r.cancel();
        }
        running.clear();
        synchronized (lock) {
            finished = true;
        }
        for (Answer a; (a = answers.poll()) != null; ) {
            dispose(a.result);
        }
    }

    /** A result no caller will see: closed if it holds a resource. */
    private static void dispose(Object result) {
        if (result instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "closing the result of an attempt that lost the race failed", e);
            }
        }
    }

    /** The threads of a router's own pool for hedged attempts: daemons named after the router. */
    static java.util.concurrent.ThreadFactory threads(String router) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "smartqueryrouter-" + router + "-hedge-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }
}
