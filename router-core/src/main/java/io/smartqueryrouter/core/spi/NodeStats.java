package io.smartqueryrouter.core.spi;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;

/**
 * The live statistics of one node, as a {@link RoutingPolicy} reads them. Every method is a cheap,
 * lock-free read of values other threads keep updating; two reads need not be consistent with
 * each other.
 */
public interface NodeStats {

    /** {@return the node these statistics belong to} */
    Node<?> node();

    /** {@return the node's weight, at least 1} */
    default int weight() {
        return node().weight();
    }

    /**
     * Returns the Peak-EWMA latency cost in nanoseconds as of {@code nowNanos}: the peak-sensitive
     * moving average of Finagle and Linkerd, decaying toward zero while the node gets no samples
     * (so an idle node is tried again); the router's prior before the first sample.
     *
     * @param nowNanos the router's {@link io.smartqueryrouter.core.Ticker} reading
     * @return the cost in nanoseconds, never negative
     */
    double peakEwmaNanos(long nowNanos);

    /**
     * Returns whether the node has a latency sample yet; until then its costs are the router's prior.
     * Policies may try such a node at once (as Finagle does), since nothing is known of it.
     *
     * @return {@code true} once an attempt on the node has recorded a latency
     */
    boolean hasLatencySample();

    /**
     * Returns the plain time-decayed moving average of latency in nanoseconds (the prior before any
     * sample, and always when the router's policy declares neither {@link NodeStatistic#EWMA} nor
     * {@link NodeStatistic#STEADY_EWMA}). A sample weighs {@code 1 - exp(-dt / tau)} for the time
     * {@code dt} since the node's previous one; with {@code STEADY_EWMA} at most 1/8, so one answer after a
     * long idle spell does not replace the average.
     *
     * @return the average latency in nanoseconds
     */
    double ewmaNanos();

    /**
     * Returns the valley-EWMA latency in nanoseconds: Peak-EWMA mirrored. A faster sample replaces
     * it at once, slower ones pull it up with the same time constant; so it follows the latency the
     * node manages when little queues ahead of a call, a client-side estimate of its service time
     * (plus the network). The router's prior before the first sample, and always when the router's
     * policy does not declare {@link NodeStatistic#VALLEY_EWMA}.
     *
     * @return the valley latency in nanoseconds; by default {@link #ewmaNanos()}
     */
    default double valleyEwmaNanos() {
        return ewmaNanos();
    }

    /**
     * Returns the moving average of the queue length the node reported
     * ({@link io.smartqueryrouter.core.Router#reportServerLoad}), or NaN if it never reported one
     * or the router's policy does not declare {@link NodeStatistic#SERVER_LOAD}.
     *
     * @return the average reported queue length (requests), or NaN; by default NaN
     */
    default double serverQueueLength() {
        return Double.NaN;
    }

    /**
     * Returns the moving average of the service time in nanoseconds the node reported
     * ({@link io.smartqueryrouter.core.Router#reportServerLoad}), or NaN if it never reported one
     * or the router's policy does not declare {@link NodeStatistic#SERVER_LOAD}.
     *
     * @return the average reported service time in nanoseconds, or NaN; by default NaN
     */
    default double serverServiceTimeNanos() {
        return Double.NaN;
    }

    /**
     * Returns the node's latency forecast in nanoseconds a short horizon (1 s) ahead as of
     * {@code nowNanos}: Holt's damped linear trend over 100 ms buckets of latency, clamped to a
     * band around the smoothed level, decaying toward zero while the node gets no samples; the
     * router's prior before any history. The Peak-EWMA when the router's policy does not declare
     * {@link NodeStatistic#FORECAST}.
     *
     * @param nowNanos the router's {@link io.smartqueryrouter.core.Ticker} reading
     * @return the forecast latency in nanoseconds; by default {@link #peakEwmaNanos(long)}
     */
    default double forecastNanos(long nowNanos) {
        return peakEwmaNanos(nowNanos);
    }

    /**
     * Returns the factor by which the router's service as a whole has become faster since this node's
     * EWMA was learnt: {@code min(1, now / then)}, where "now" is the low end of what every node of the
     * router answers in lately (a valley-EWMA of all their answers, rising with a time constant of one
     * second) and "then" that value averaged over the node's own answers as its EWMA averages them. A node
     * a policy stopped calling while every node was slow (a shared dependency, an overload) kept the
     * slowness it learnt then; once the others answer fast again this says how much of it was the
     * service's. It stays near 1 for a node slow on its own, whose peers answered as fast then as now (the
     * valley's own noise aside: {@code pool-ewma} ignores a speed-up under 2x). 1 if unknown, or if the
     * router's policy does not declare {@link NodeStatistic#SERVICE_DISCOUNT}.
     *
     * @return a factor in (0, 1]; by default 1
     */
    default double serviceDiscount() {
        return 1;
    }

    /**
     * Returns the ticker reading of the node's latest timed answer or failure (its registration
     * time before the first), for policies that let old statistics fade while a node gets no
     * calls; {@code Long.MIN_VALUE} if unknown or the router's policy does not declare
     * {@link NodeStatistic#LAST_SAMPLE_TIME}.
     *
     * @return the router's ticker reading in nanoseconds, or {@code Long.MIN_VALUE}; by default {@code Long.MIN_VALUE}
     */
    default long lastSampleNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * Returns how long the node has owed this router answers without giving any: while attempts are
     * in flight on it, the time since the later of its latest answer (any outcome but
     * {@code CANCELLED}) and the moment its in-flight count last rose from zero. It grows without
     * bound on a node that stalls (a stop-the-world pause, a black hole) long before a late answer
     * says so. An attempt cancelled unanswered (a hedge that won elsewhere, a caller that gave up)
     * leaves the node silent for as long again after the cancel even with nothing in flight, so
     * cancelling its calls does not make a stalled node look idle; a call sent to it in that time
     * goes on counting from its latest answer. A binding's untimed first attempt (taking a pooled JDBC
     * connection, {@code Router.bindFirst}) owes no answer: its end is no answer, and while only such
     * attempts are in flight the node is not silent (the wait starts with the next timed attempt). 0 when
     * it owes nothing, or if the router's policy does not declare {@link NodeStatistic#SILENCE}.
     *
     * @param nowNanos the router's {@link io.smartqueryrouter.core.Ticker} reading
     * @return nanoseconds, at least 0; by default 0
     */
    default long silentNanos(long nowNanos) {
        return 0;
    }

    /**
     * Returns the recent share of the node's answered attempts that failed ({@code FAILURE} or
     * {@code OVERLOADED}; cancelled attempts do not count): a moving average over about the last 16
     * (each outcome moves it 1/16 of the way to 1 for a failure, to 0 for an answer), fading toward 0
     * as {@code exp(-idle / tau)} while the node gives no outcome, so a node that failed and then got
     * no calls is tried again in time. A node failing 30% of its calls reads about 0.3, and
     * {@code 1 / (1 - ratio)} is then the expected number of attempts on it to a success. 0 before
     * any failure, and if the router's policy does not declare {@link NodeStatistic#FAILURE_RATIO}.
     *
     * @param nowNanos the router's {@link io.smartqueryrouter.core.Ticker} reading
     * @return the ratio, from 0 to 1; by default 0
     */
    default double failureRatio(long nowNanos) {
        return 0;
    }

    /**
     * Returns how much of the node's solo latency each attempt of this router's own in flight there takes
     * ({@link NodeStatistic#LOAD_GROWTH}): about 1 for a node that serves one call at a time (the k-th in line
     * waits k service times), about 1/w for one that serves w side by side. Learnt from answers: an answer to an
     * attempt that found {@code k >= 1} of the router's attempts in flight gives {@code latency / solo / (k + 1)},
     * {@code solo} being the average answer to attempts that found none; with fewer calls there than the node
     * serves side by side that reads {@code 1 / (k + 1)}, more than {@code 1 / w}, so the estimate errs toward
     * counting calls fully until the router has had that many on the node. It reads 1, as for a node that serves
     * one call at a time, until the router's own attempts are a large part of the node's load (all of the learnt
     * value once on average two or more of them are in flight when another begins, none of it at one or less):
     * with many clients a router's own few calls say little of the node's capacity, and its reluctance to pile
     * calls onto one node is what keeps them from herding. At most 1. 1 before any sample, after the node's
     * latency is forgotten (restored after an ejection), and if the router's policy does not declare
     * {@code LOAD_GROWTH}. Answers to attempts begun with {@code BoundNode.start()} (a pooled JDBC connection's
     * statements) teach it nothing.
     *
     * @return the share of a solo latency per own attempt in flight, from 0 to 1; by default 1
     */
    default double loadGrowth() {
        return 1;
    }

    /** {@return how many attempts on this node have begun and not yet completed} */
    int inFlight();

    /**
     * Returns the node's load as a policy should weigh it: {@link #inFlight()} plus the attempts
     * cancelled unanswered (a hedge won elsewhere, a caller gave up) that the node is presumably
     * still working on. A cancel ends the caller's wait, not the server's work: counted out of flight
     * at once, they made a slow node look idle to policies that weigh calls in flight, which sent it
     * more calls to queue behind that work. Such an attempt counts until the node answers an attempt
     * begun after it (a server serving in order has then done it), or for as long again after the
     * cancel as it waited (the node's Peak-EWMA as of the cancel if longer). Without cancels it is
     * {@link #inFlight()}.
     *
     * @param nowNanos the router's {@link io.smartqueryrouter.core.Ticker} reading
     * @return at least {@link #inFlight()}; by default {@link #inFlight()}
     */
    default int outstanding(long nowNanos) {
        return inFlight();
    }

    /** {@return how many attempts on this node have begun} */
    long requests();

    /**
     * {@return how many attempts on this node completed with the given outcome}
     *
     * @param outcome the outcome to count
     */
    long completed(Outcome outcome);

    /** {@return how many attempts in a row blamed the node (failed or overloaded), since the last that did not} */
    int consecutiveFailures();

    /** {@return whether active health checking considers the node healthy (true without health checking)} */
    boolean healthy();

    /** {@return whether the node is ejected by passive outlier detection right now} */
    boolean ejected();

    /** {@return the latest active health-check result, or {@code null} before the first probe} */
    ProbeResult lastProbe();
}
