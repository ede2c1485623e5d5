package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.Redaction;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link Router#execute} when the call did not succeed on any attempt. The cause is the
 * last attempt's failure; every attempt is attached as a suppressed {@link NodeAttemptException}
 * naming its node.
 */
public final class AttemptsFailedException extends RoutingException {
    private static final long serialVersionUID = 1L;

    private final transient List<NodeAttemptException> attempts;

    /**
     * Creates the exception.
     *
     * @param router the router's name
     * @param attempts every failed attempt, in order; not empty
     * @param why why no further attempt was made
     */
    public AttemptsFailedException(String router, List<NodeAttemptException> attempts, String why) {
        super(router, "router '" + router + "': call failed after " + attempts.size()
                + (attempts.size() == 1 ? " attempt" : " attempts") + " (" + why + "): "
                + attempts.stream().map(a -> a.nodeId() + ": " + Redaction.endpoint(a.getCause()))
                        .collect(Collectors.joining("; ")),
                attempts.get(attempts.size() - 1).getCause());
        this.attempts = List.copyOf(attempts);
        this.attempts.forEach(this::addSuppressed);
    }

    /** {@return every failed attempt, in order; never empty, unmodifiable} */
    public List<NodeAttemptException> attempts() {
        return attempts;
    }
}
