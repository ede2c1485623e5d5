package io.smartqueryrouter.spring.boot;

/**
 * A mistake in the {@code smartqueryrouter.*} properties, located like {@code router-yaml}'s errors:
 * the message reads {@code <where it was set>: <property> <what is wrong and what is allowed>}, for
 * example
 *
 * <pre>
 * class path resource [application.yml] - 9:19: smartqueryrouter.routers.orders.health-check.interval
 * must be a duration such as 500ms, 2s, 1m, PT2S or 1500 (milliseconds), but was '2 sec'
 * </pre>
 *
 * (without the place when the property source does not tell it). Thrown while the application
 * starts, so a wrong key or value stops it. A message never holds a {@code password} value, nor a
 * URL's user information or query, and the exception has no cause whose message could.
 */
public final class RouterPropertiesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The property, such as {@code smartqueryrouter.routers.orders.nodes[1].weight}. */
    private final String property;
    /** Where it was set, or empty. */
    private final String origin;

    RouterPropertiesException(String property, String origin, String problem) {
        super((origin.isEmpty() ? "" : origin + ": ") + problem);
        this.property = property;
        this.origin = origin;
    }

    /**
     * Returns the property the mistake is in.
     *
     * @return its name in the canonical form, such as {@code smartqueryrouter.routers.orders.health-check.interval}
     */
    public String property() {
        return property;
    }

    /**
     * Returns where the property was set, as Spring Boot's property source tells it.
     *
     * @return the origin, such as {@code class path resource [application.yml] - 9:19}, or the empty string when unknown
     */
    public String origin() {
        return origin;
    }
}
