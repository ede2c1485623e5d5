package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.NodeAttemptException;
import java.io.IOException;
import java.util.List;

/**
 * Thrown by a call that {@link RoutingInterceptor} routed when no attempt got an answer: every
 * attempt threw, the router had no node to offer, or it was at its concurrency limit and sent
 * nothing. The cause is the last attempt's failure (or the router's
 * {@link io.smartqueryrouter.core.NoAvailableNodeException} or
 * {@link io.smartqueryrouter.core.ConcurrencyLimitExceededException}); every attempt is attached
 * as a suppressed {@link NodeAttemptException} that names its node, its number and its outcome.
 *
 * <p>The message names the router, the method and the URL as {@code scheme://host:port/path}:
 * never user info or query values.
 */
public final class RoutedCallException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The name of the router that routed the call. */
    private final String router;
    private final transient List<NodeAttemptException> attempts;

    RoutedCallException(String router, String message, List<NodeAttemptException> attempts, Throwable cause) {
        super(message, cause);
        this.router = router;
        this.attempts = List.copyOf(attempts);
        this.attempts.forEach(this::addSuppressed);
    }

    /** {@return the name of the router that routed the call} */
    public String router() {
        return router;
    }

    /** {@return every attempt, in order; unmodifiable, empty when the router had no node to offer} */
    public List<NodeAttemptException> attempts() {
        return attempts;
    }
}
