package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The listeners of one router behind one {@link RouterListener}: each is called in turn, and one
 * that throws is logged and skipped. That includes an {@link Error} (an {@code AssertionError} from a
 * test's listener, say): it is thrown on the call path, after the attempt was recorded, so letting it
 * escape would lose the call's result and skip the ejection bookkeeping. A
 * {@link VirtualMachineError} still propagates: the JVM cannot be trusted to go on. A router without listeners holds {@link #NONE}, whose calls
 * are empty and inlined away, so events cost nothing when nobody listens.
 */
public final class SafeListeners implements RouterListener {
    /** No listener: every event is a no-op. */
    public static final RouterListener NONE = new RouterListener() {
    };

    private static final System.Logger LOG = System.getLogger(SafeListeners.class.getName());

    private final RouterListener[] listeners;

    private SafeListeners(RouterListener[] listeners) {
        this.listeners = listeners;
    }

    /** Returns {@code current} with {@code added} appended. */
    public static RouterListener plus(RouterListener current, RouterListener added) {
        if (current == NONE) {
            return new SafeListeners(new RouterListener[] {added});
        }
        RouterListener[] old = ((SafeListeners) current).listeners;
        RouterListener[] all = Arrays.copyOf(old, old.length + 1);
        all[old.length] = added;
        return new SafeListeners(all);
    }

    /**
     * Returns the listeners of {@code all} that override {@link RouterListener#onAttemptCompleted}, or
     * {@link #NONE} when none does: the call path then skips the event entirely.
     */
    public static RouterListener hearingAttempts(RouterListener all) {
        if (all == NONE) {
            return NONE;
        }
        RouterListener[] hearing = Arrays.stream(((SafeListeners) all).listeners)
                .filter(SafeListeners::overridesAttemptCompleted).toArray(RouterListener[]::new);
        return hearing.length == 0 ? NONE : new SafeListeners(hearing);
    }

    private static boolean overridesAttemptCompleted(RouterListener l) {
        try {
            return l.getClass().getMethod("onAttemptCompleted", String.class, Node.class, Outcome.class, long.class,
                    int.class).getDeclaringClass() != RouterListener.class;
        } catch (NoSuchMethodException e) {
            return true; // cannot happen for a RouterListener; hear it rather than lose events
        }
    }

    /** Returns {@code current} without {@code removed} (compared by identity). */
    public static RouterListener minus(RouterListener current, RouterListener removed) {
        if (current == NONE) {
            return NONE;
        }
        RouterListener[] kept = Arrays.stream(((SafeListeners) current).listeners)
                .filter(l -> l != removed).toArray(RouterListener[]::new);
        return kept.length == 0 ? NONE : new SafeListeners(kept);
    }

    private void each(String event, Consumer<RouterListener> call) {
        for (RouterListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | Error e) {
                ignored(l, event, e);
            }
        }
    }

    @Override
    public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
        // a plain loop: this is the hot path and must not allocate a capturing lambda
        for (RouterListener l : listeners) {
            try {
                l.onAttemptCompleted(router, node, outcome, latencyNanos, attempt);
            } catch (RuntimeException | Error e) {
                ignored(l, "attemptCompleted", e);
            }
        }
    }

    /** Logs what a listener threw and goes on; rethrows a {@link VirtualMachineError}. */
    private static void ignored(RouterListener l, String event, Throwable e) {
        if (e instanceof VirtualMachineError vmError) {
            throw vmError;
        }
        LOG.log(Level.WARNING, "router listener " + l.getClass().getName() + " threw on " + event + "; ignored", e);
    }

    @Override
    public void onRetry(String router, Node<?> failedNode, int nextAttempt) {
        each("retry", l -> l.onRetry(router, failedNode, nextAttempt));
    }

    @Override
    public void onHedge(String router, Node<?> from, Node<?> to, int hedgeAttempt) {
        each("hedge", l -> l.onHedge(router, from, to, hedgeAttempt));
    }

    @Override
    public void onNodeAdded(String router, Node<?> node) {
        each("nodeAdded", l -> l.onNodeAdded(router, node));
    }

    @Override
    public void onNodeRemoved(String router, Node<?> node) {
        each("nodeRemoved", l -> l.onNodeRemoved(router, node));
    }

    @Override
    public void onRetryBudgetExhausted(String router, Node<?> failedNode) {
        each("retryBudgetExhausted", l -> l.onRetryBudgetExhausted(router, failedNode));
    }

    @Override
    public void onConcurrencyLimitExceeded(String router, int limit, int inFlight) {
        each("concurrencyLimitExceeded", l -> l.onConcurrencyLimitExceeded(router, limit, inFlight));
    }

    @Override
    public void onNoAvailableNode(String router) {
        each("noAvailableNode", l -> l.onNoAvailableNode(router));
    }

    @Override
    public void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
        each("healthChecked", l -> l.onHealthChecked(router, node, result, durationNanos));
    }

    @Override
    public void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult result) {
        each("healthChanged", l -> l.onHealthChanged(router, node, healthy, result));
    }

    @Override
    public void onEjected(String router, Node<?> node, Duration duration) {
        each("ejected", l -> l.onEjected(router, node, duration));
    }

    @Override
    public void onRestored(String router, Node<?> node) {
        each("restored", l -> l.onRestored(router, node));
    }
}
