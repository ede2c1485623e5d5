package io.smartqueryrouter.okhttp.internal;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;

/**
 * Reads the {@code Retry-After} header of RFC 9110 section 10.2.3: either a number of seconds or
 * an HTTP date.
 */
public final class RetryAfter {
    private static final String HEADER = "Retry-After";

    private RetryAfter() {
    }

    /**
     * Returns how long the server asks the client to wait, or {@link Duration#ZERO} when the header
     * is absent, malformed or in the past. A date is measured from the response's own
     * {@code Date} header when it has a valid one (so a skewed local clock does not matter), else
     * from {@code now}. A number of seconds too large for a {@code long} saturates.
     *
     * @param headers the response headers
     * @param now the local wall-clock time, used when the response carries no {@code Date}
     */
    public static Duration of(Headers headers, Instant now) {
        String value = headers.get(HEADER);
        if (value == null) {
            return Duration.ZERO;
        }
        value = value.trim();
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(Long.MAX_VALUE);
            }
        }
        Instant at = headers.getInstant(HEADER);
        if (at == null) {
            return Duration.ZERO;
        }
        Instant from = headers.getInstant("Date");
        Duration wait = Duration.between(from != null ? from : now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
