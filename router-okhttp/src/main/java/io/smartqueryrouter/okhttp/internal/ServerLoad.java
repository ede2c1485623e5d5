package io.smartqueryrouter.okhttp.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import okhttp3.Headers;

/**
 * Reads the load a server reports in its response headers, for policies that model the server's
 * queue (C3, Suresh et al., NSDI 2015): the queue length as a plain non-negative number
 * ({@code X-Server-Queue: 3}), and the server's own time on the request in the W3C Server Timing
 * syntax ({@code Server-Timing: db;dur=3.1, app;dur=12.5}: the {@code dur} of the first metric that
 * has one, in milliseconds). A malformed value is ignored and logged at DEBUG; it never fails a call.
 */
public final class ServerLoad {
    private static final System.Logger LOG = System.getLogger("io.smartqueryrouter.okhttp.RoutingInterceptor");
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private ServerLoad() {
    }

    /** Returns the queue length in header {@code name}, or -1 when absent or malformed. */
    public static double queueLength(Headers headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            return -1;
        }
        double q = number(value.trim());
        if (q < 0) {
            LOG.log(Level.DEBUG, () -> "ignored a malformed " + name + " header: '" + shorten(value)
                    + "' (a non-negative number is expected)");
            return -1;
        }
        return q;
    }

    /**
     * Returns the service time in header {@code name} (Server Timing syntax) in nanoseconds, or -1
     * when absent, without a {@code dur}, or malformed.
     */
    public static long serviceTimeNanos(Headers headers, String name) {
        List<String> values = headers.values(name);
        for (String value : values) {
            double ms = firstDuration(value);
            if (ms == MALFORMED) {
                LOG.log(Level.DEBUG, () -> "ignored a malformed " + name + " header: '" + shorten(value)
                        + "' (metric;dur=<milliseconds> is expected)");
                return -1;
            }
            if (ms >= 0) {
                return (long) Math.min(Long.MAX_VALUE, ms * NANOS_PER_MILLI);
            }
        }
        return -1;
    }

    private static final double NONE = -1;
    private static final double MALFORMED = -2;

    /**
     * Returns the {@code dur} of the first metric in a Server-Timing value that has one, in ms;
     * NONE if no metric has one; MALFORMED if a dur is not a non-negative number, or quotes do not close.
     */
    static double firstDuration(String value) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            // one metric: name *( ";" param ), up to a ',' outside quotes
            int end = endOf(value, i, ',');
            if (end < 0) {
                return MALFORMED;
            }
            int p = endOf(value, i, ';', end);
            if (p < 0) {
                return MALFORMED;
            }
            while (p < end) {
                int next = endOf(value, p + 1, ';', end);
                if (next < 0) {
                    return MALFORMED;
                }
                String param = value.substring(p + 1, next).trim();
                int eq = param.indexOf('=');
                String key = (eq < 0 ? param : param.substring(0, eq)).trim();
                if (key.equalsIgnoreCase("dur")) {
                    String raw = eq < 0 ? "" : param.substring(eq + 1).trim();
                    if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"') {
                        raw = raw.substring(1, raw.length() - 1);
                    }
                    double ms = number(raw);
                    return ms < 0 ? MALFORMED : ms;
                }
                p = next;
            }
            i = end + 1;
        }
        return NONE;
    }

    /** Returns the index of the first {@code stop} at or after {@code from} outside quotes, else the end; -1 if a quote does not close. */
    private static int endOf(String s, int from, char stop) {
        return endOf(s, from, stop, s.length());
    }

    private static int endOf(String s, int from, char stop, int limit) {
        boolean quoted = false;
        for (int i = from; i < limit; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == stop) {
                return i;
            }
        }
        return quoted ? -1 : limit;
    }

    /** Parses a plain non-negative decimal number; -1 if it is not one. */
    private static double number(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return -1;   // no "NaN", "Infinity", hex or type suffixes that Double.parseDouble would take
            }
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) && d >= 0 ? d : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
