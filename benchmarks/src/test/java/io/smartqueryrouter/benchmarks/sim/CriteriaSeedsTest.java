package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The simulated criteria runs offer RealSocketBenchmark's loads and compare each run with its own baseline. */
class CriteriaSeedsTest {

    @Test
    void everyScenarioOffersTheRealSocketRatesOf120And360CallsASecond() {
        for (String scenario : new String[] {"baseline", "slow", "pause"}) {
            assertThat(CriteriaSeeds.scenario(scenario, 0.2, 30, 1).arrivalsPerSecond()).as(scenario)
                    .isCloseTo(120, within(1e-9));
            assertThat(CriteriaSeeds.scenario(scenario, 0.6, 30, 1).arrivalsPerSecond()).as(scenario)
                    .isCloseTo(360, within(1e-9));
        }
        // the baseline is the three healthy servers alone; the others add the faulty fourth
        assertThat(CriteriaSeeds.scenario("baseline", 0.2, 30, 1).servers()).hasSize(3);
        assertThat(CriteriaSeeds.scenario("slow", 0.2, 30, 1).servers().get(CriteriaSeeds.FAULTY).speed()).isEqualTo(0.2);
        assertThatThrownBy(() -> CriteriaSeeds.scenario("black-hole", 0.2, 30, 1))
                .hasMessageContaining("slow, pause or baseline").hasMessageContaining("black-hole");
    }

    @Test
    void aRowHoldsOneRatioAndOneCountPerSeedAndRepeatsExactly() {
        CriteriaSeeds.Row row = CriteriaSeeds.run("round-robin", "slow", "light", 3, 5);
        // round-robin sends the 5x server a quarter of the calls, 5 s at 120 calls/s: about 150 a run
        assertThat(row.faultyAttempts()).hasSize(3);
        for (long n : row.faultyAttempts()) {
            assertThat(n).isBetween(100L, 200L);
        }
        assertThat(row.ratios()).hasSize(3).isSorted();
        for (double r : row.ratios()) {
            assertThat(r).isGreaterThan(1.5);
        }
        assertThat(row.over()).isEqualTo(3);
        CriteriaSeeds.Row again = CriteriaSeeds.run("round-robin", "slow", "light", 3, 5);
        assertThat(again.ratios()).containsExactly(row.ratios());
        assertThat(again.faultyAttempts()).containsExactly(row.faultyAttempts());
    }
}
