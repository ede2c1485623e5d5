package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request tag that hands one attempt of a hedged call to {@link RoutingInterceptor}: the
 * interceptor sends the request to that attempt's node, once, instead of beginning attempts of its
 * own. The attempt is completed exactly once, by whoever settles first: the interceptor with what
 * the node answered, or the hedged call when it cancels the attempt (it lost, or the call was
 * cancelled) or when OkHttp failed the call before the interceptor ran.
 */
final class AttemptTag {
    final Attempt<?> attempt;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Outcome outcome;

    AttemptTag(Attempt<?> attempt) {
        this.attempt = attempt;
    }

    /** Completes the attempt unless it was already settled; returns whether this call completed it. */
    boolean complete(Outcome outcome, Duration coolDown) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        this.outcome = outcome;
        attempt.complete(outcome, coolDown);
        return true;
    }

    boolean complete(Outcome outcome) {
        return complete(outcome, Duration.ZERO);
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Returns the outcome the attempt was completed with, or null while it runs. */
    Outcome outcome() {
        return outcome;
    }

    @Override
    public String toString() {
        return "AttemptTag[" + attempt + "]";
    }
}
