package io.smartqueryrouter.core;

/**
 * Thrown at once, before anything is sent, when a call's first attempt would take a router
 * beyond its adaptive {@link ConcurrencyLimit}: the router's servers answer too slowly for the
 * load, and the client sheds the call rather than queue it behind work they cannot finish in time.
 * Retrying at once makes the overload worse; back off, or fail the request upstream.
 *
 * <p>Message: "router 'orders' is at its concurrency limit: 24 attempts in flight, limit 24; the
 * call was not sent".
 */
public final class ConcurrencyLimitExceededException extends RoutingException {
    private static final long serialVersionUID = 1L;

    /** The limit when the call was refused. */
    private final int limit;
    /** Attempts in flight when the call was refused. */
    private final int inFlight;

    /**
     * Creates the exception.
     *
     * @param router the router's name
     * @param limit the router's concurrency limit when the call was refused
     * @param inFlight the attempts it had in flight
     */
    public ConcurrencyLimitExceededException(String router, int limit, int inFlight) {
        super(router, "router '" + router + "' is at its concurrency limit: " + inFlight + " attempts in flight, limit "
                + limit + "; the call was not sent", null);
        this.limit = limit;
        this.inFlight = inFlight;
    }

    /** {@return the router's concurrency limit when the call was refused} */
    public int limit() {
        return limit;
    }

    /** {@return the attempts the router had in flight when the call was refused} */
    public int inFlight() {
        return inFlight;
    }
}
