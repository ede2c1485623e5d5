package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The C3 rank on hand-computed values, the drift that gives a penalised node traffic back, and the estimates. */
class C3PolicyTest {
    private static final double MS = 1e6;
    private static final long NOW = 50_000_000_000L;

    /** Statistics with fixed values, so the rank can be computed by hand. */
    private static final class Stats implements NodeStats {
        final Node<String> node;
        double r;
        double valley;
        double serverQueue = Double.NaN;
        double serverService = Double.NaN;
        int inFlight;
        int failuresInARow;
        double peak = Double.NaN;
        int weight = 1;
        long lastSample = NOW;
        boolean sampled = true;

        Stats(String id, double rMs, double valleyMs) {
            this.node = Node.of(id, id);
            this.r = rMs * MS;
            this.valley = valleyMs * MS;
        }

        Stats reported(double queue, double serviceMs) {
            this.serverQueue = queue;
            this.serverService = serviceMs * MS;
            return this;
        }

        @Override
        public Node<?> node() {
            return node;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public double peakEwmaNanos(long nowNanos) {
            return Double.isNaN(peak) ? r : peak;
        }

        @Override
        public boolean hasLatencySample() {
            return sampled;
        }

        @Override
        public double ewmaNanos() {
            return r;
        }

        @Override
        public double valleyEwmaNanos() {
            return valley;
        }

        @Override
        public double serverQueueLength() {
            return serverQueue;
        }

        @Override
        public double serverServiceTimeNanos() {
            return serverService;
        }

        @Override
        public long lastSampleNanos() {
            return lastSample;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public long requests() {
            return 0;
        }

        @Override
        public long completed(Outcome outcome) {
            return 0;
        }

        @Override
        public int consecutiveFailures() {
            return failuresInARow;
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public boolean ejected() {
            return false;
        }

        @Override
        public ProbeResult lastProbe() {
            return null;
        }
    }

    private static double rankMs(C3Policy policy, Stats s) {
        // with the node sampled just now nothing drifts, so the best values do not matter
        return policy.rank(s, NOW, 0, 0, 0) / MS;
    }

    @Test
    void rankIsResponseMinusServicePlusQueueCubedTimesService() {
        C3Policy c3 = new C3Policy(1, C3Policy.DEFAULT_DRIFT);
        // R 20 ms, S 10 ms reported, queue 3 reported, 2 of ours in flight: q = 1 + 2 x 1 + 3 = 6
        Stats queued = new Stats("queued", 20, 15).reported(3, 10);
        queued.inFlight = 2;
        assertThat(rankMs(c3, queued)).isCloseTo(20 - 10 + 216 * 10, within(1e-9));
        // R 50 ms, S 5 ms, idle: q = 1
        Stats idleSlow = new Stats("idle-slow", 50, 40).reported(0, 5);
        assertThat(rankMs(c3, idleSlow)).isCloseTo(50 - 5 + 5, within(1e-9));
        // the queued node answers faster today but has a queue: c3 prefers the idle one
        assertThat(c3.select(Candidates.of(queued, idleSlow), NOW, new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void withoutServerReportsTheServiceTimeIsTheValleyEwmaAndTheQueueIsOurOwn() {
        C3Policy c3 = new C3Policy(1, C3Policy.DEFAULT_DRIFT);
        Stats s = new Stats("plain", 30, 12);
        s.inFlight = 1;
        // S = valley 12 ms, q = 1 + 1 = 2: 30 - 12 + 8 x 12
        assertThat(rankMs(c3, s)).isCloseTo(30 - 12 + 8 * 12, within(1e-9));
    }

    @Test
    void eachInFlightCallStandsForAllClients() {
        Stats s = new Stats("shared", 30, 10);
        s.inFlight = 1;
        // three clients: q = 1 + 1 x 3 = 4, rank 30 - 10 + 64 x 10
        assertThat(rankMs(new C3Policy(3, C3Policy.DEFAULT_DRIFT), s)).isCloseTo(30 - 10 + 640, within(1e-9));
        assertThat(rankMs(new C3Policy(1, C3Policy.DEFAULT_DRIFT), s)).isCloseTo(30 - 10 + 80, within(1e-9));
    }

    @Test
    void failuresInARowCountLikeQueuedCallsAndARaisedPeakEwmaIsTheResponseTime() {
        C3Policy c3 = new C3Policy(2, C3Policy.DEFAULT_DRIFT);
        // refuses at once: nothing in flight, an old fast EWMA of 5 ms, Peak-EWMA raised to the 30 ms prior
        Stats refusing = new Stats("refusing", 5, 4);
        refusing.failuresInARow = 3;
        refusing.peak = 30 * MS;
        // q = 1 + (0 + 3) x 2 = 7: 30 - 4 + 343 x 4
        assertThat(rankMs(c3, refusing)).isCloseTo(30 - 4 + 343 * 4, within(1e-9));
        Stats busy = new Stats("busy", 12, 8);
        busy.inFlight = 1;
        // q = 1 + 1 x 2 = 3: 12 - 8 + 27 x 8 = 220 ms, so the healthy busy node wins
        assertThat(c3.select(Candidates.of(refusing, busy), NOW, new SplittableRandom(4))).isEqualTo(1);
    }

    @Test
    void weightDividesTheRank() {
        C3Policy c3 = new C3Policy(1, C3Policy.DEFAULT_DRIFT);
        Stats weighted = new Stats("w", 30, 10);
        weighted.inFlight = 1;
        weighted.weight = 2;
        // (30 - 10 + 8 x 10) / 2
        assertThat(rankMs(c3, weighted)).isCloseTo(50, within(1e-9));
    }

    @Test
    void aPenalisedNodeDriftsBelowTheBestAndIsTriedAgainEvenWithOneCallAtATime() {
        C3Policy c3 = new C3Policy(1, Duration.ofSeconds(1));
        // its last answer was slow and then it failed once; it has had no call since
        Stats penalised = new Stats("penalised", 200, 100);
        penalised.failuresInARow = 1;
        Stats good = new Stats("good", 20, 10);
        Candidates both = Candidates.of(penalised, good);
        SplittableRandom random = new SplittableRandom(7);
        // now: q = 1 + 1 failure = 2, so 200 - 100 + 8 x 100 = 900 ms against the good node's 20 ms
        assertThat(rankMs(c3, penalised)).isCloseTo(900, within(1e-9));
        assertThat(c3.select(both, NOW, random)).isEqualTo(1);
        // statistics and the failure keep a share exp(-idle / 1 s) of their distance to half the best's
        for (int seconds : new int[] {3, 5}) {
            long later = NOW + seconds * 1_000_000_000L;
            good.lastSample = later; // the good node keeps answering
            double keep = Math.exp(-seconds);
            double r = 10 + (200 - 10) * keep;
            double service = 5 + (100 - 5) * keep;
            double q = 1 + keep;
            assertThat(c3.rank(penalised, later, 20 * MS, 10 * MS, 0) / MS)
                    .isCloseTo(r - service + q * q * q * service, within(1e-6));
        }
        // after 3 s: 20.99 ms, still behind the good node's 20 ms; after 5 s: 11.40 ms, so it gets a call again
        assertThat(c3.select(both, NOW + 3_000_000_000L, random)).isEqualTo(1);
        assertThat(c3.select(both, NOW + 5_000_000_000L, random)).isEqualTo(0);
    }

    @Test
    void anUntriedIdleNodeIsChosenFirst() {
        Stats known = new Stats("known", 1, 1);
        Stats fresh = new Stats("fresh", 30, 30);
        fresh.sampled = false;
        assertThat(new C3Policy(1, C3Policy.DEFAULT_DRIFT).select(Candidates.of(known, fresh), NOW,
                new SplittableRandom(3))).isEqualTo(1);
    }

    @Test
    void tiesAreBrokenAtRandom() {
        C3Policy c3 = new C3Policy(1, C3Policy.DEFAULT_DRIFT);
        Candidates equal = Candidates.of(new Stats("a", 10, 5), new Stats("b", 10, 5), new Stats("c", 10, 5));
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[c3.select(equal, NOW, random)]++;
        }
        for (int c : counts) {
            assertThat(c).as("picks of each equal node out of 30,000").isBetween(9_000, 11_000);
        }
    }

    @Test
    void onRealNodeStateTheReportedLoadIsAveragedAndForgottenOnRejoin() {
        NodeState<String> s = new NodeState<>(Node.of("n", "n"), 30 * MS, 10e9, 0);
        assertThat(s.serverQueueLength()).isNaN();
        s.reportServerLoad(10, 4_000_000);
        s.reportServerLoad(0, -1);
        // EWMA with weight 0.3 per report: 10 x 0.7 + 0 x 0.3 = 7; the unknown service time is skipped
        assertThat(s.serverQueueLength()).isCloseTo(7, within(1e-9));
        assertThat(s.serverServiceTimeNanos()).isCloseTo(4e6, within(1e-6));
        s.forgetLatency();
        assertThat(s.serverQueueLength()).isNaN();
        assertThat(s.serverServiceTimeNanos()).isNaN();
    }

    @Test
    void theValleyEwmaDropsToAFastAnswerAndRisesSlowly() {
        NodeState<String> s = new NodeState<>(Node.of("n", "n"), 30 * MS, 10e9, 0);
        s.begin();
        s.complete(Outcome.SUCCESS, 40_000_000, 0);
        s.begin();
        s.complete(Outcome.SUCCESS, 5_000_000, 1_000_000_000L);
        assertThat(s.valleyEwmaNanos()).as("drops at once").isCloseTo(5e6, within(1.0));
        s.begin();
        s.complete(Outcome.SUCCESS, 105_000_000, 2_000_000_000L);
        // one second later with tau 10 s: 5 + (105 - 5) x (1 - e^-0.1) = 14.5 ms
        assertThat(s.valleyEwmaNanos() / MS).isCloseTo(5 + 100 * (1 - Math.exp(-0.1)), within(1e-6));
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> new C3Policy(0, C3Policy.DEFAULT_DRIFT))
                .hasMessage("c3: clients must be >= 1, but was 0");
        assertThatThrownBy(() -> new C3Policy(1, Duration.ZERO))
                .hasMessage("c3: drift must be a positive duration, but was PT0S");
    }
}
