package io.smartqueryrouter.core;

/**
 * Thrown when a router has no node to send a call to: no node is registered, or the caller's
 * filter left none. A router with nodes that are all unhealthy or ejected does not throw this: it
 * fails open and tries them anyway.
 */
public final class NoAvailableNodeException extends RoutingException {
    private static final long serialVersionUID = 1L;

    /** Nodes registered when the call found none available. */
    private final int registered;
    /** Registered nodes that were healthy. */
    private final int healthy;
    /** Registered nodes that were ejected. */
    private final int ejected;

    /**
     * Creates the exception.
     *
     * @param router the router's name
     * @param registered nodes registered
     * @param healthy nodes healthy among them
     * @param ejected nodes ejected among them
     * @param reason why none was eligible, appended to the message; may be empty
     */
    public NoAvailableNodeException(String router, int registered, int healthy, int ejected, String reason) {
        super(router, "router '" + router + "' has no available node (" + registered + " registered, "
                + healthy + " healthy, " + ejected + " ejected)" + (reason.isEmpty() ? "" : ": " + reason), null);
        this.registered = registered;
        this.healthy = healthy;
        this.ejected = ejected;
    }

    /** {@return how many nodes were registered} */
    public int registered() {
        return registered;
    }

    /** {@return how many registered nodes were healthy} */
    public int healthy() {
        return healthy;
    }

    /** {@return how many registered nodes were ejected} */
    public int ejected() {
        return ejected;
    }
}
