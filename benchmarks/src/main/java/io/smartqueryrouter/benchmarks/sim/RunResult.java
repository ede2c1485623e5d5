package io.smartqueryrouter.benchmarks.sim;

import java.util.Arrays;

/**
 * What the callers saw in one run of one scenario under one policy. Latencies are per call, from
 * its arrival to its end (success, or the last failed attempt), failed calls included;
 * nanoseconds.
 *
 * @param scenario the scenario's name
 * @param policy the policy's name
 * @param calls calls made
 * @param attempts attempts sent, retries and hedges included
 * @param hedges attempts sent as hedges (a second node asked while the first had not answered)
 * @param failedCalls calls that got no successful answer
 * @param attemptTimeouts attempts that timed out
 * @param attemptsRefusedOrReset attempts refused or reset by a server that was gone
 * @param meanNanos mean call latency
 * @param p50Nanos median call latency
 * @param p99Nanos 99th percentile
 * @param p999Nanos 99.9th percentile
 * @param maxNanos the slowest call
 * @param attemptsPerServer attempts sent to each server
 * @param worstServerShare the share of attempts that went to the scenario's worst server, NaN if it names none
 * @param focusWorstShare the worst server's share of the attempts sent in the scenario's focus window,
 *     NaN without one
 * @param busiestServerShare the share of the busiest server in each 100 ms window, averaged over windows
 *     (0.2 is a perfect spread over five servers; near 1 means everybody herds onto one)
 * @param p99PerSecond the 99th percentile of the calls that began in each second, NaN where none did
 * @param failedPerSecond the share of failed calls among those that began in each second, NaN where none did
 * @param baselineP99Nanos the p99 of the calls that began before the scenario's fault, NaN without one
 * @param recoveryNanos from the moment capacity returns until, to the end of the run, every second has
 *     under 1% failed calls and a p99 under twice {@code baselineP99Nanos}: 0 if at once, infinite if
 *     not by the end, NaN without a fault (see {@code Recorder.recoveryNanos})
 * @param probes health-check probes sent (they are not attempts)
 * @param seed the scenario's seed
 * @param events events the simulation processed
 * @param wallNanos how long the run took in real time
 * @param endNanos the simulated time the run ended, after the last open call
 */
public record RunResult(String scenario, String policy, long calls, long attempts, long hedges, long failedCalls,
        long attemptTimeouts, long attemptsRefusedOrReset, double meanNanos, double p50Nanos, double p99Nanos,
        double p999Nanos, double maxNanos, long[] attemptsPerServer, double worstServerShare,
        double focusWorstShare, double busiestServerShare, double[] p99PerSecond, double[] failedPerSecond,
        double baselineP99Nanos, double recoveryNanos, long probes, long seed, long events, long wallNanos, long endNanos) {

    /** Attempts that timed out, per call. */
    public double timeoutShare() {
        return calls == 0 ? Double.NaN : (double) attemptTimeouts / calls;
    }

    /** Calls that failed, per call. */
    public double failedShare() {
        return calls == 0 ? Double.NaN : (double) failedCalls / calls;
    }

    /** Attempts beyond one per call (retries and hedges), per call: the extra load the callers put on the servers. */
    public double extraAttemptShare() {
        return calls == 0 ? Double.NaN : (double) (attempts - calls) / calls;
    }

    /** Whether two runs saw exactly the same thing (wall time aside). */
    public boolean sameOutcome(RunResult o) {
        return scenario.equals(o.scenario) && policy.equals(o.policy) && calls == o.calls && attempts == o.attempts && hedges == o.hedges
                && failedCalls == o.failedCalls && attemptTimeouts == o.attemptTimeouts
                && attemptsRefusedOrReset == o.attemptsRefusedOrReset
                && Double.compare(meanNanos, o.meanNanos) == 0 && Double.compare(p50Nanos, o.p50Nanos) == 0
                && Double.compare(p99Nanos, o.p99Nanos) == 0 && Double.compare(p999Nanos, o.p999Nanos) == 0
                && Double.compare(maxNanos, o.maxNanos) == 0 && Arrays.equals(attemptsPerServer, o.attemptsPerServer)
                && Double.compare(focusWorstShare, o.focusWorstShare) == 0
                && Arrays.equals(p99PerSecond, o.p99PerSecond) && Arrays.equals(failedPerSecond, o.failedPerSecond)
                && Double.compare(recoveryNanos, o.recoveryNanos) == 0 && probes == o.probes
                && events == o.events && endNanos == o.endNanos;
    }

    @Override
    public String toString() {
        return scenario + "/" + policy + ": " + calls + " calls, p50 " + Format.millis(p50Nanos) + " ms, p99 "
                + Format.millis(p99Nanos) + " ms, p99.9 " + Format.millis(p999Nanos) + " ms, max "
                + Format.millis(maxNanos) + " ms, timeouts " + Format.percent(timeoutShare(), 2) + "%, failed "
                + Format.percent(failedShare(), 2) + "%, per server " + Arrays.toString(attemptsPerServer);
    }
}
