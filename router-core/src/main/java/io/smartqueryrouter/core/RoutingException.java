package io.smartqueryrouter.core;

/** The root of every exception the routing engine throws; unchecked. */
public class RoutingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The name of the router that threw. */
    private final String router;

    /**
     * Creates an exception for the named router.
     *
     * @param router the router's name
     * @param message the detail message
     * @param cause the cause, or {@code null}
     */
    public RoutingException(String router, String message, Throwable cause) {
        super(message, cause);
        this.router = router;
    }

    /** {@return the name of the router that threw} */
    public String router() {
        return router;
    }
}
