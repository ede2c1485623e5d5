package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Outcome;

/** Answers fed to node states on a simulated clock, shared by the policy tests. */
final class Answers {
    private Answers() {
    }

    /** One answer of {@code latencyMs}, begun and completed at {@code nowNanos}: the EWMA's first sample is the latency. */
    static void answer(NodeState<?> s, double latencyMs, long nowNanos) {
        s.begin(nowNanos);
        s.complete(Outcome.SUCCESS, Math.round(latencyMs * 1e6), nowNanos);
    }

    /**
     * A history of {@code latencyMs} answers at {@code nowNanos}: the 64 answers over which a steady EWMA is their mean,
     * so it reads {@code latencyMs} and later answers blend in at the steady weights.
     */
    static void history(NodeState<?> s, double latencyMs, long nowNanos) {
        for (int i = 0; i < 64; i++) {
            answer(s, latencyMs, nowNanos);
        }
    }

    /**
     * A service-wide slowdown that one node sat out: at t = 0 every node answers in 200 ms ({@code used}, then
     * {@code left}, both of one router's service latency); then only {@code used} is called, 20 ms every 10 ms
     * for 5 s, while {@code left} keeps its 200 ms average.
     *
     * @return the time of {@code used}'s last answer, 5 s
     */
    static long leftDuringServiceSlowdown(NodeState<?> used, NodeState<?> left) {
        answer(used, 200, 0);
        answer(left, 200, 0);
        long now = 0;
        for (int i = 0; i < 500; i++) {
            now += 10_000_000L;
            answer(used, 20, now);
        }
        return now;
    }
}
