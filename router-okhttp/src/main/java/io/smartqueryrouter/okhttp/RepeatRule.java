package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.okhttp.internal.HttpOutcomes;
import java.util.Objects;
import okhttp3.Request;

/**
 * Decides whether a request whose attempt failed may be sent to another node, that is, whether
 * repeating it is safe. {@link RoutingInterceptor} asks it after every attempt that failed in a
 * way that blames the node (a connect or read failure, 5xx, 429); the default is {@link #rfc9110()}.
 *
 * <p>Whatever the rule says, the interceptor never repeats a request whose body is one-shot or
 * duplex once that body may have been sent, never starts an attempt after the call was cancelled,
 * timed out or its thread interrupted, and stays within the router's {@code maxAttempts} and retry
 * budget.
 *
 * <p>The rule also decides, before each attempt, whether OkHttp's own silent retry on a connection
 * failure stays on: it is switched off for that attempt when
 * {@code mayRepeat(request, true)} is false, so such a request is never written twice.
 *
 * <p>Widen or narrow the default:
 * <pre>{@code
 * RepeatRule rule = RepeatRule.rfc9110()
 *     .or((request, sent) -> request.url().encodedPath().equals("/search"))   // a POST that only reads
 *     .and((request, sent) -> !request.method().equals("DELETE") || !sent);   // never resend a DELETE
 * }</pre>
 */
@FunctionalInterface
public interface RepeatRule {

    /**
     * Returns whether the request may be sent to another node.
     *
     * @param request the request as the application made it (before the interceptor rewrote its URL)
     * @param requestSent whether the failed attempt may have reached the node: false only when it
     *     failed before any byte of the request was written (DNS, connect refused or timed out, TLS
     *     handshake); always true when the node answered
     * @return true to allow another node to get the same request
     */
    boolean mayRepeat(Request request, boolean requestSent);

    /**
     * Returns the default rule: a request may be repeated when it was not sent yet, when its method
     * is idempotent per RFC 9110 section 9.2.2 (GET, HEAD, OPTIONS, TRACE, PUT, DELETE), or when it
     * carries a non-blank {@code Idempotency-Key} header.
     *
     * @return the RFC 9110 rule, the default of {@link RoutingInterceptor}
     */
    static RepeatRule rfc9110() {
        return Rules.RFC_9110;
    }

    /** {@return the strictest useful rule: repeat only a request that never left, whatever its method} */
    static RepeatRule notSent() {
        return Rules.NOT_SENT;
    }

    /** {@return a rule that never repeats: every call makes one attempt} */
    static RepeatRule never() {
        return Rules.NEVER;
    }

    /**
     * Returns a rule that allows a repeat when this rule or {@code other} does (widens this rule).
     *
     * @param other the rule asked when this one refuses
     * @return the combined rule
     * @throws NullPointerException if {@code other} is null
     */
    default RepeatRule or(RepeatRule other) {
        Objects.requireNonNull(other, "other repeat rule must not be null");
        return (request, sent) -> mayRepeat(request, sent) || other.mayRepeat(request, sent);
    }

    /**
     * Returns a rule that allows a repeat only when this rule and {@code other} do (narrows this rule).
     *
     * @param other the rule asked when this one allows
     * @return the combined rule
     * @throws NullPointerException if {@code other} is null
     */
    default RepeatRule and(RepeatRule other) {
        Objects.requireNonNull(other, "other repeat rule must not be null");
        return (request, sent) -> mayRepeat(request, sent) && other.mayRepeat(request, sent);
    }
}

/** The built-in rules, as named constants so they print and compare well. */
enum Rules implements RepeatRule {
    RFC_9110 {
        @Override
        public boolean mayRepeat(Request request, boolean requestSent) {
            return !requestSent || HttpOutcomes.isIdempotent(request.method()) || HttpOutcomes.hasIdempotencyKey(request);
        }
    },
    NOT_SENT {
        @Override
        public boolean mayRepeat(Request request, boolean requestSent) {
            return !requestSent;
        }
    },
    NEVER {
        @Override
        public boolean mayRepeat(Request request, boolean requestSent) {
            return false;
        }
    }
}
