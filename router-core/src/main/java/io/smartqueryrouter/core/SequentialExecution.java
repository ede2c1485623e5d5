package io.smartqueryrouter.core;

/**
 * {@link Router#execute} without hedging: every attempt on the calling thread, one after another,
 * each answer reported to the call's {@link RoutedCall}, whose decision it carries out (waiting
 * the backoff here).
 */
final class SequentialExecution {
    private SequentialExecution() {
    }

    static <E, T> T run(Router<E> router, RoutedCall<E> routed, NodeCall<E, T> call) {
        Attempt<E> attempt = routed.begin();
        while (true) {
            T result = null;
            Throwable failure = null;
            Outcome outcome = Outcome.SUCCESS;
            try {
                result = call.call(attempt.node());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
                outcome = Outcome.CANCELLED;
            } catch (Exception e) {
                failure = e;
                // an I/O call cut short because this thread was interrupted is not the node's fault
                outcome = Thread.currentThread().isInterrupted() ? Outcome.CANCELLED : classifyOrComplete(router, attempt, e);
            } catch (Error e) {
                attempt.complete(Outcome.FAILURE);
                throw e;
            }
            // outside the try: whatever completing throws (a listener's Error), the attempt is completed once
            attempt.complete(outcome);
            if (outcome == Outcome.SUCCESS) {
                routed.succeeded(attempt);
                return result;
            }
            RoutedCall.Decision decision = routed.failed(attempt, failure, null);
            if (decision.action() != RoutedCall.Action.RETRY) {
                throw routed.exception();
            }
            if (!decision.sleep()) {
                routed.cancel("interrupted");
                throw routed.exception();
            }
            attempt = routed.retry();
            if (attempt == null) {
                throw routed.exception();
            }
        }
    }

    /**
     * The classifier's outcome for a failure.
     *
     * @throws RuntimeException or Error what the classifier threw (the failure suppressed in it), or
     *     an IllegalStateException when it answered {@code null} or {@code SUCCESS}
     */
    static Outcome classify(Router<?> router, Exception failure) {
        Outcome outcome;
        try {
            outcome = router.classifier().classify(failure);
        } catch (RuntimeException | Error e) {
            e.addSuppressed(failure);
            throw e;
        }
        if (outcome == null || outcome == Outcome.SUCCESS) {
            throw new IllegalStateException("router '" + router.name() + "': the failure classifier must not call "
                    + failure.getClass().getName() + " " + outcome, failure);
        }
        return outcome;
    }

    private static <E> Outcome classifyOrComplete(Router<E> router, Attempt<E> attempt, Exception failure) {
        try {
            return classify(router, failure);
        } catch (RuntimeException | Error e) {
            attempt.complete(Outcome.FAILURE);
            throw e;
        }
    }
}
