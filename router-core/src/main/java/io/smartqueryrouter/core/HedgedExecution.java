package io.smartqueryrouter.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link Router#execute} call with hedging on. The calling thread coordinates: it starts each
 * attempt on the executor, waits for answers, starts a hedge when none came within the hedge
 * delay, schedules retries of failed attempts (after their backoff), and returns the first
 * success. Every attempt is completed exactly once: by its worker with what happened, or by the
 * coordinator as {@link Outcome#CANCELLED} when it lost; an atomic flag per attempt decides which.
 *
 * @param <E> the endpoint type
 * @param <T> the result type
 */
final class HedgedExecution<E, T> {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final Router<E> router;
    private final NodeCall<E, T> call;
    private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    /** Set when the coordinator returns or throws; answers after that are dropped. Guarded by lock. */
    private boolean finished;

    // the coordinator's own state, touched by the calling thread only
    private final List<Run> running = new ArrayList<>(2);
    private final List<Pending> pending = new ArrayList<>(1);
    private final List<NodeAttemptException> failures = new ArrayList<>(2);
    private String stop;

    HedgedExecution(Router<E> router, NodeCall<E, T> call) {
        this.router = router;
        this.call = call;
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
            Outcome outcome;
            try {
                result = call.call(attempt.node());
                outcome = Outcome.SUCCESS;
            } catch (InterruptedException e) {
                failure = e;
                outcome = Outcome.CANCELLED;
            } catch (Exception e) {
                failure = e;
                if (Thread.currentThread().isInterrupted()) {
                    outcome = Outcome.CANCELLED;
                } else {
                    try {
                        outcome = router.classifier().classify(e);
                        if (outcome == null || outcome == Outcome.SUCCESS) {
                            fatal = new IllegalStateException("router '" + router.name() + "': the failure classifier "
                                    + "must not call " + e.getClass().getName() + " " + outcome, e);
                            outcome = Outcome.FAILURE;
                        }
                    } catch (RuntimeException | Error classifierFailure) {
                        classifierFailure.addSuppressed(e);
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
                // the coordinator already completed this attempt as CANCELLED: it lost
                dispose(result);
                return;
            }
            attempt.complete(outcome);
            answer(new Answer(this, result, failure, outcome, fatal));
        }

        /** Completes the attempt as cancelled and interrupts its thread, unless its worker completed it first. */
        boolean cancel() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            attempt.complete(Outcome.CANCELLED);
            task.cancel(true);
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

    /** A failed attempt whose retry is due at {@code atNanos} (System.nanoTime). */
    private final class Pending {
        final Attempt<E> failed;
        final long atNanos;

        Pending(Attempt<E> failed, long atNanos) {
            this.failed = failed;
            this.atNanos = atNanos;
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
        long delay = router.hedgeDelayNanos();
        Attempt<E> first = router.begin();
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
            for (Run r : running) {
                if (r.cancel()) {
                    failures.add(new NodeAttemptException(router.name(), r.attempt.node().id(), r.attempt.number(),
                            Outcome.CANCELLED, e));
                }
            }
            running.clear();
            throw new AttemptsFailedException(router.name(), failures, "interrupted");
        } finally {
            finish();
        }
    }

    private T coordinate(long delay) throws InterruptedException {
        boolean mayHedge = delay >= 0 && delay < Long.MAX_VALUE / 4;
        long hedgeAt = System.nanoTime() + (mayHedge ? delay : 0);
        while (true) {
            long now = System.nanoTime();
            long nextRetry = 0;
            boolean retryPending = false;
            for (int i = 0; i < pending.size(); i++) {
                Pending p = pending.get(i);
                if (now - p.atNanos >= 0) {
                    pending.remove(i--);
                    if (retry(p.failed)) {
                        hedgeAt = now + delay;
                    }
                } else if (!retryPending || p.atNanos - nextRetry < 0) {
                    nextRetry = p.atNanos;
                    retryPending = true;
                }
            }
            if (running.isEmpty() && pending.isEmpty()) {
                throw new AttemptsFailedException(router.name(), failures, stop);
            }
            boolean hedgeArmed = mayHedge && !running.isEmpty();
            if (hedgeArmed && now - hedgeAt >= 0) {
                Attempt<E> from = stillRunning();
                if (from == null) {
                    // every running attempt has just answered: take the answers first, hedge later if still needed
                    hedgeAt = now + delay;
                    continue;
                }
                Optional<Attempt<E>> hedge = from.hedge();
                if (hedge.isEmpty()) {
                    String why = from.noHedgeReason();
                    LOG.log(Level.DEBUG, () -> "router '" + router.name() + "': no hedge: " + why);
                    mayHedge = false;
                } else if (start(hedge.get()) != null) {
                    mayHedge = false;
                } else {
                    hedgeAt = now + delay;
                }
                continue;
            }
            Answer a;
            if (hedgeArmed || retryPending) {
                long wakeAt = hedgeArmed && (!retryPending || hedgeAt - nextRetry < 0) ? hedgeAt : nextRetry;
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
            if (a.outcome == Outcome.SUCCESS) {
                return a.result;
            }
            Attempt<E> failed = a.run.attempt;
            failures.add(new NodeAttemptException(router.name(), failed.node().id(), failed.number(), a.outcome,
                    a.failure));
            String why = router.whyNotRetry(a.outcome, a.failure);
            if (why != null) {
                if (a.outcome == Outcome.CLIENT_ERROR) {
                    // the caller's fault: any node would say the same, so the call ends here (finish() cancels the rest)
                    throw new AttemptsFailedException(router.name(), failures, why);
                }
                stop = why;
                continue;
            }
            // no pause before a retry that max attempts will refuse anyway
            long pause = router.attemptsLeft(failed)
                    ? router.retryPolicy().backoffNanos(failures.size(), router.random()) : 0;
            pending.add(new Pending(failed, System.nanoTime() + pause));
        }
    }

    /** Returns the first running attempt not yet completed, or null. */
    private Attempt<E> stillRunning() {
        for (Run r : running) {
            if (r.attempt.outcome() == null) {
                return r.attempt;
            }
        }
        return null;
    }

    /** Begins the retry of a failed attempt and starts it; returns whether an attempt started. */
    private boolean retry(Attempt<E> failed) {
        Optional<Attempt<E>> next;
        try {
            next = failed.retry();
        } catch (IllegalStateException e) {
            stop = "router '" + router.name() + "' was closed";
            return false;
        }
        if (next.isEmpty()) {
            stop = failed.noRetryReason();
            return false;
        }
        RejectedExecutionException refused = start(next.get());
        if (refused != null) {
            failures.add(new NodeAttemptException(router.name(), next.get().node().id(), next.get().number(),
                    Outcome.CANCELLED, refused));
            stop = "the executor refused the attempt";
            return false;
        }
        return true;
    }

    /** Starts an attempt on the executor; if the executor refuses, completes it as cancelled and returns why. */
    private RejectedExecutionException start(Attempt<E> attempt) {
        Run r = new Run(attempt);
        try {
            router.hedgeExecutor().execute(r.task);
        } catch (RejectedExecutionException e) {
            r.cancel();
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

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }
}
