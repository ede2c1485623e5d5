package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The router-wide valley-EWMA behind {@code NodeStats.serviceDiscount()}. */
class ServiceLatencyTest {
    private static final double MS = 1e6;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFasterAnswerReplacesItAndASlowerOnePullsItUpWithATimeConstantOfOneSecond() {
        ServiceLatency s = new ServiceLatency();
        assertThat(s.nanos()).isNaN();
        assertThat(s.observe(10 * MS, 0)).isEqualTo(10 * MS);
        // 40 ms one second later: 10 x exp(-1) + 40 x (1 - exp(-1)) = 28.96 ms
        assertThat(s.observe(40 * MS, SECOND) / MS).isCloseTo(10 * Math.exp(-1) + 40 * (1 - Math.exp(-1)), within(1e-9));
        // 40 ms answers 1 ms apart for another second: 1 - 1/e of the way again, however many (the cheap decay of
        // short gaps multiplies up to the exact one), so a service 4x slower shows within two or three seconds
        double was = s.nanos() / MS;
        for (int i = 1; i <= 1000; i++) {
            s.observe(40 * MS, SECOND + i * 1_000_000L);
        }
        assertThat(s.nanos() / MS).isCloseTo(40 - (40 - was) * Math.exp(-1), within(1e-6));
        // one answer of 12 ms: at once
        assertThat(s.observe(12 * MS, 2 * SECOND + 1) / MS).isEqualTo(12.0);
        // a single slow answer (one node's 300 ms pause) right after moves it by a millisecond's share only
        assertThat(s.observe(300 * MS, 2 * SECOND + 1_000_001) / MS).isCloseTo(12 + 288 * (1 - Math.exp(-0.001)), within(1e-6));
    }
}
