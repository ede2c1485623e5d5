package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget's sliding window of one-second buckets as the retry budget uses it, on a fake clock. */
class RetryBudgetStateTest {
    /** A retry budget as the router keeps one: a {@link CallBudget} fed its running count of calls. */
    private static final class RetryBudgetState {
        private final CallBudget budget;
        private long calls;

        RetryBudgetState(int percent, int minRetriesPerSecond, int windowSeconds, boolean unlimited) {
            budget = new CallBudget(percent, (long) minRetriesPerSecond * windowSeconds, windowSeconds, unlimited,
                    0);
        }

        void deposit(long nowNanos) {
            budget.observe(++calls, nowNanos);
        }

        boolean tryWithdraw(long nowNanos) {
            return budget.tryWithdraw(calls, nowNanos);
        }

        long available(long nowNanos) {
            return budget.available(calls, nowNanos);
        }
    }

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(500));
    private final Ticker ticker = now::get;
    private final long start = ticker.read();

    private void at(double seconds) {
        now.set(start + Math.round(seconds * 1e9));
    }

    private static void deposit(RetryBudgetState budget, int n, long nowNanos) {
        for (int i = 0; i < n; i++) {
            budget.deposit(nowNanos);
        }
    }

    /** Withdraws until refused (at most {@code max} times) and returns how many succeeded. */
    private int withdrawAll(RetryBudgetState budget, int max) {
        int n = 0;
        while (n < max && budget.tryWithdraw(ticker.read())) {
            n++;
        }
        return n;
    }

    @Test
    void twentyPercentOf100DepositsAllowsExactly20Retries() {
        RetryBudgetState budget = new RetryBudgetState(20, 0, 10, false);
        deposit(budget, 100, ticker.read());
        assertThat(budget.available(ticker.read())).isEqualTo(20);
        for (int i = 1; i <= 20; i++) {
            assertThat(budget.tryWithdraw(ticker.read())).as("withdrawal %d", i).isTrue();
        }
        assertThat(budget.tryWithdraw(ticker.read())).as("withdrawal 21").isFalse();
        assertThat(budget.available(ticker.read())).isZero();
        // a refused withdrawal takes nothing: 5 more deposits make room for exactly 1 more (105 x 20% = 21)
        deposit(budget, 5, ticker.read());
        assertThat(withdrawAll(budget, 100)).isEqualTo(1);
    }

    @Test
    void theReserveAllowsMinRetriesPerSecondTimesTheWindowWithoutDeposits() {
        RetryBudgetState budget = new RetryBudgetState(0, 5, 10, false);
        assertThat(budget.available(ticker.read())).isEqualTo(50);
        assertThat(withdrawAll(budget, 1_000)).isEqualTo(50);
    }

    @Test
    void reserveAndPercentAddUp() {
        // the defaults: 20% over 10 s plus 10 per second -> 100 + 20% of 250 = 150
        RetryBudgetState budget = new RetryBudgetState(20, 10, 10, false);
        deposit(budget, 250, ticker.read());
        assertThat(budget.available(ticker.read())).isEqualTo(150);
        assertThat(withdrawAll(budget, 1_000)).isEqualTo(150);
    }

    @Test
    void aThousandCallBurstInOneSecondAllowsExactly300RetriesAsTheDocsSay() {
        // README and RetryBudget's Javadoc said "plus 10 per second" without saying the reserve is 10/s x 10 s,
        // all of it spendable at once: with the defaults, 20% of 1,000 plus 100
        RetryBudgetState budget = new RetryBudgetState(20, 10, 10, false);
        deposit(budget, 1_000, ticker.read());
        assertThat(withdrawAll(budget, 1_000)).isEqualTo(300);
        // nothing comes back while those retries are in the window, whatever second it is
        at(9.999);
        assertThat(budget.available(ticker.read())).isZero();
        // at 10 s the burst and its 300 retries have left the window: the reserve is whole again
        at(10);
        assertThat(budget.available(ticker.read())).isEqualTo(100);
    }

    @Test
    void aRouterWith60CallsCanRetry112WhenAZoneDies() {
        // why the reserve covers the window (Finagle: "to allow for clients that've just started or have low
        // rps"): 30 calls, then a zone dies and 30 more each need a retry at once; 10 a second would fail 8 of them
        RetryBudgetState budget = new RetryBudgetState(20, 10, 10, false);
        deposit(budget, 60, ticker.read());
        assertThat(budget.available(ticker.read())).isEqualTo(12 + 100);
        assertThat(withdrawAll(budget, 30)).isEqualTo(30);
    }

    @Test
    void aFractionOfARetryRoundsDown() {
        RetryBudgetState budget = new RetryBudgetState(20, 0, 10, false);
        deposit(budget, 4, ticker.read());
        assertThat(withdrawAll(budget, 10)).isZero(); // 4 x 20% = 0.8
        budget.deposit(ticker.read());
        assertThat(withdrawAll(budget, 10)).isEqualTo(1); // 5 x 20% = 1
    }

    @Test
    void depositsOlderThanTheWindowNoLongerCount() {
        RetryBudgetState budget = new RetryBudgetState(20, 0, 10, false);
        deposit(budget, 100, ticker.read());
        at(9.999);
        assertThat(budget.available(ticker.read())).isEqualTo(20);
        at(10);
        assertThat(budget.available(ticker.read())).isZero();
        assertThat(budget.tryWithdraw(ticker.read())).isFalse();
    }

    @Test
    void withdrawalsOlderThanTheWindowNoLongerCountEither() {
        RetryBudgetState budget = new RetryBudgetState(20, 0, 10, false);
        deposit(budget, 100, ticker.read());
        assertThat(withdrawAll(budget, 100)).isEqualTo(20);
        at(5);
        deposit(budget, 100, ticker.read());
        // 200 deposits allow 40, 20 taken
        assertThat(withdrawAll(budget, 100)).isEqualTo(20);
        at(10);
        // second 0 left the window with its 100 deposits and 20 withdrawals: 100 allow 20, 20 taken
        assertThat(budget.available(ticker.read())).isZero();
        at(15);
        deposit(budget, 50, ticker.read());
        assertThat(withdrawAll(budget, 100)).isEqualTo(10);
    }

    @Test
    void theWindowSlidesSecondBySecond() {
        RetryBudgetState budget = new RetryBudgetState(50, 0, 10, false);
        for (int second = 0; second < 10; second++) {
            at(second + 0.5);
            deposit(budget, 10, ticker.read());
            // 10 deposits per second so far, 50% of them
            assertThat(budget.available(ticker.read())).as("at %d.5 s", second).isEqualTo(5L * (second + 1));
        }
        for (int second = 10; second <= 20; second++) {
            at(second);
            // the window is seconds (s - 9) to s: the deposits of second (s - 10) just left, those of 9 leave at 19
            assertThat(budget.available(ticker.read())).as("at %d s", second).isEqualTo(Math.max(0, 5L * (19 - second)));
        }
    }

    @Test
    void aBucketReusedInALaterWindowStartsFromZero() {
        RetryBudgetState budget = new RetryBudgetState(100, 0, 10, false);
        deposit(budget, 100, ticker.read());
        at(10); // same bucket as second 0, ten seconds later
        deposit(budget, 3, ticker.read());
        assertThat(budget.available(ticker.read())).isEqualTo(3);
        at(1000.2); // long idle
        assertThat(budget.available(ticker.read())).isZero();
        budget.deposit(ticker.read());
        assertThat(withdrawAll(budget, 10)).isEqualTo(1);
    }

    @Test
    void worksAcrossNegativeTickerReadings() {
        // System.nanoTime() may be negative; the window must slide the same way through zero
        RetryBudgetState budget = new RetryBudgetState(20, 0, 10, false);
        long t0 = -3_500_000_000L;
        deposit(budget, 100, t0);
        assertThat(budget.available(t0 + 9_000_000_000L)).isEqualTo(20);
        assertThat(budget.tryWithdraw(t0 + 9_000_000_000L)).isTrue();
        assertThat(budget.available(t0 + 9_000_000_000L)).isEqualTo(19);
        assertThat(budget.available(t0 + 10_000_000_000L)).isZero();
    }

    @Test
    void unlimitedAlwaysAllows() {
        RetryBudgetState budget = new RetryBudgetState(0, 0, 1, true);
        for (int i = 0; i < 100_000; i++) {
            assertThat(budget.tryWithdraw(ticker.read() + i)).isTrue();
        }
        assertThat(budget.available(ticker.read())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void zeroPercentAndNoReserveRefusesEveryRetry() {
        RetryBudgetState budget = new RetryBudgetState(0, 0, 10, false);
        deposit(budget, 1_000, ticker.read());
        assertThat(budget.tryWithdraw(ticker.read())).isFalse();
    }
}
