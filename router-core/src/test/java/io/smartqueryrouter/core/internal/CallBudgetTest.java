package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The budget's sliding window as the hedge budget uses it, fed with a running count of calls, on a fake clock. */
class CallBudgetTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private final long start = 500 * S;

    private static int withdrawAll(CallBudget budget, long calls, long now) {
        int n = 0;
        while (n < 1000 && budget.tryWithdraw(calls, now)) {
            n++;
        }
        return n;
    }

    @Test
    void fivePercentOfTheCallsPlusTheReserve() {
        CallBudget budget = new CallBudget(5, 1, 10, false, start);
        assertThat(budget.available(0, start)).isEqualTo(1);
        assertThat(withdrawAll(budget, 200, start)).isEqualTo(11);
        // a refused withdrawal takes nothing: 20 more calls make room for exactly 1 more
        assertThat(withdrawAll(budget, 220, start)).isEqualTo(1);
    }

    @Test
    void callsAndHedgesLeaveTheWindowAfterTenSeconds() {
        CallBudget budget = new CallBudget(5, 0, 10, false, start);
        budget.observe(100, start);                                   // 100 calls at 0 s
        assertThat(withdrawAll(budget, 100, start + 5 * S)).isEqualTo(5);
        budget.observe(200, start + 9 * S);                           // 100 more at 9 s
        assertThat(withdrawAll(budget, 200, start + 9 * S)).isEqualTo(5);
        // at 10 s the first 100 calls are gone, at 15 s the first 5 hedges too
        assertThat(budget.available(200, start + 10 * S)).isZero();
        assertThat(budget.available(200, start + 15 * S)).isEqualTo(0);
        assertThat(budget.available(200, start + 18 * S)).isEqualTo(0);
        assertThat(budget.available(200, start + 19 * S)).isZero();
        assertThat(budget.available(300, start + 19 * S)).isEqualTo(5);
    }

    @Test
    void callsNobodyLookedAtAreCountedAtTheNextLookAndNeverTwice() {
        CallBudget budget = new CallBudget(10, 0, 10, false, start);
        // 1000 calls happened over the last minute, but the budget looks only now
        assertThat(budget.available(1000, start + 60 * S)).isEqualTo(100);
        assertThat(budget.available(1000, start + 60 * S)).isEqualTo(100);
        // a count that goes back (racing readers of the router's counters) deposits nothing
        budget.observe(990, start + 60 * S);
        assertThat(budget.available(1000, start + 60 * S)).isEqualTo(100);
    }
}
