package io.smartqueryrouter.yaml;

/**
 * A mistake in a router configuration file, located: the message reads
 * {@code <source>:<line>:<column>: <key path> <what is wrong and what is allowed>}, for example
 *
 * <pre>
 * routers.yaml:7:17: routers.orders.health-check.interval must be a duration: a whole number with
 * the unit ms, s, m or h, such as 500ms, 2s, 1m or 1h, but was '2 sec'
 * </pre>
 *
 * <p>It extends {@link IllegalArgumentException}, not core's {@code RoutingException}: it is a
 * refused input, like the {@code IllegalArgumentException}s of core's builders and config records
 * (which carry a router's name; this error may concern no router at all, a syntax error say), and
 * code that catches {@code IllegalArgumentException} around configuration keeps working.
 *
 * <p>A message never holds a {@code password} value, and the exception never has a cause whose
 * message could (a YAML syntax error's own message quotes the offending line: it is not kept).
 */
public final class RouterConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The file or stream read. */
    private final String source;
    /** The line of the mistake, from 1. */
    private final int line;
    /** The column of the mistake, from 1. */
    private final int column;
    /** The key path of the mistake, or empty. */
    private final String path;

    RouterConfigException(String source, int line, int column, String path, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.path = path;
    }

    /**
     * Returns the name of the file or stream read.
     *
     * @return the path given to {@code load}, the stream's source name, or {@code <string>}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the line of the mistake.
     *
     * @return the line, from 1
     */
    public int line() {
        return line;
    }

    /**
     * Returns the column of the mistake.
     *
     * @return the column, from 1
     */
    public int column() {
        return column;
    }

    /**
     * Returns the key path of the mistake, such as {@code routers.orders.nodes[1].weight}, or the
     * empty string when it concerns the file as a whole (a syntax error, an empty file).
     *
     * @return the key path, or the empty string
     */
    public String path() {
        return path;
    }
}
