package io.smartqueryrouter.okhttp.internal;

import io.smartqueryrouter.core.Outcome;
import java.util.Locale;
import java.util.Set;
import okhttp3.Request;
import okhttp3.RequestBody;

/** How HTTP answers and requests count for routing and failover. */
public final class HttpOutcomes {
    /** RFC 9110 section 9.2.2: methods whose intended effect is the same however often they are sent. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** The header of the IETF draft "The Idempotency-Key HTTP Header Field". */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private HttpOutcomes() {
    }

    /**
     * Classifies a response code: 429 and 503 are {@link Outcome#OVERLOADED}; other 5xx are the
     * node's {@link Outcome#FAILURE}, except 501 and 505, which reject the request itself and are
     * {@link Outcome#CLIENT_ERROR} like every other 4xx; the rest is {@link Outcome#SUCCESS}.
     */
    public static Outcome outcome(int code) {
        if (code == 429 || code == 503) {
            return Outcome.OVERLOADED;
        }
        if (code >= 500 && code != 501 && code != 505) {
            return Outcome.FAILURE;
        }
        if (code >= 400) {
            return Outcome.CLIENT_ERROR;
        }
        return Outcome.SUCCESS;
    }

    /** Returns whether the method is idempotent per RFC 9110 (compared case-sensitively, as methods are). */
    public static boolean isIdempotent(String method) {
        return IDEMPOTENT.contains(method);
    }

    /** Returns whether the request carries a non-blank {@code Idempotency-Key} header. */
    public static boolean hasIdempotencyKey(Request request) {
        String key = request.header(IDEMPOTENCY_KEY);
        return key != null && !key.isBlank();
    }

    /** Returns whether the request body can be written only once (one-shot or duplex). */
    public static boolean hasOneTimeBody(Request request) {
        RequestBody body = request.body();
        return body != null && (body.isOneShot() || body.isDuplex());
    }

    /** Returns the method in upper case, for messages. */
    public static String method(Request request) {
        return request.method().toUpperCase(Locale.ROOT);
    }
}
