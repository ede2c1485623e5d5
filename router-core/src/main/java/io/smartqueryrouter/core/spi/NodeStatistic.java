package io.smartqueryrouter.core.spi;

/**
 * A statistic of a node that a router may keep for its {@link RoutingPolicy}. A policy declares
 * the ones it reads ({@link RoutingPolicy#statistics()}); a router keeps only those, plus the
 * Peak-EWMA, which snapshots and metrics show, so a policy that reads nothing costly costs nothing
 * on each completion. Reading a statistic the router does not keep gives the documented fallback of
 * the {@link NodeStats} method.
 */
public enum NodeStatistic {
    /** {@link NodeStats#peakEwmaNanos(long)}; always kept. */
    PEAK_EWMA,
    /** {@link NodeStats#ewmaNanos()}: the plain moving average of answers. */
    EWMA,
    /**
     * {@link NodeStats#ewmaNanos()} learning steadily: the plain moving average, but one answer moves
     * it at most 1/8 of the way, so a node the policy picks rarely keeps its history instead of taking
     * the value of its latest answer, and at least 1/64, so a busy node's average covers its last 64
     * or so answers when they come faster than tau allows; its first 64 answers weigh alike, so a node's first
     * answer does not stand for it until the 64th (implies {@link #EWMA}). For a policy that
     * spreads calls and tries idle nodes again ({@code pool-ewma}); one that sends every call to the
     * lowest average needs the plain one, which forgets a slowdown at a node's first fast answer.
     */
    STEADY_EWMA,
    /**
     * {@link NodeStats#serviceDiscount()}: how much faster the router's service as a whole answers now than
     * when the node's EWMA was learnt (implies {@link #EWMA}; the router keeps a valley-EWMA of all its nodes'
     * answers, and each node the value of it its EWMA was learnt under).
     */
    SERVICE_DISCOUNT,
    /** {@link NodeStats#valleyEwmaNanos()}: the latency the node manages when little queues. */
    VALLEY_EWMA,
    /** {@link NodeStats#forecastNanos(long)}: the Holt damped-trend forecast. */
    FORECAST,
    /** {@link NodeStats#serverQueueLength()} and {@link NodeStats#serverServiceTimeNanos()}: what the node reports. */
    SERVER_LOAD,
    /** {@link NodeStats#lastSampleNanos()}: when the node last answered or failed. */
    LAST_SAMPLE_TIME,
    /** {@link NodeStats#silentNanos(long)}: how long the node has owed answers without giving any. */
    SILENCE,
    /** {@link NodeStats#failureRatio(long)}: the recent share of the node's attempts that failed. */
    FAILURE_RATIO,
    /**
     * {@link NodeStats#loadGrowth()}: how much of the node's solo latency each of the router's own attempts in
     * flight there takes (1 served one at a time, 1/w served w side by side), learnt where the router's attempts
     * are a large part of the node's load.
     */
    LOAD_GROWTH
}
