package io.smartqueryrouter.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class ServerLoadTest {
    private static long serviceTime(String... values) {
        Headers.Builder b = new Headers.Builder();
        for (String v : values) {
            b.add("Server-Timing", v);
        }
        return ServerLoad.serviceTimeNanos(b.build(), "Server-Timing");
    }

    private static double queue(String value) {
        return ServerLoad.queueLength(Headers.of("X-Server-Queue", value), "X-Server-Queue");
    }

    @Test
    void theDurOfTheFirstMetricThatHasOneInMilliseconds() {
        assertThat(serviceTime("app;dur=12.5")).isEqualTo(12_500_000L);
        assertThat(serviceTime("miss, db;dur=53, app;dur=47.2")).isEqualTo(53_000_000L);
        assertThat(serviceTime("cpu;dur=2.4;desc=\"CPU\"")).isEqualTo(2_400_000L);
        assertThat(serviceTime("cpu;desc=\"x;dur=1, y\";DUR=3")).as("separators inside quotes and any case")
                .isEqualTo(3_000_000L);
        assertThat(serviceTime("app ; dur = 7 ")).isEqualTo(7_000_000L);
        assertThat(serviceTime("app;dur=\"8\"")).isEqualTo(8_000_000L);
        assertThat(serviceTime("cache;desc=hit", "app;dur=9")).as("a later header line").isEqualTo(9_000_000L);
        assertThat(serviceTime("app;dur=0")).isZero();
    }

    @Test
    void noDurOrAMalformedOneIsUnknown() {
        assertThat(serviceTime()).isEqualTo(-1);
        assertThat(serviceTime("miss")).isEqualTo(-1);
        assertThat(serviceTime("app;desc=\"fast\"")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=fast")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=-3")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=NaN")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=Infinity")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=")).isEqualTo(-1);
        assertThat(serviceTime("app;desc=\"unclosed;dur=3")).isEqualTo(-1);
        assertThat(serviceTime("app;dur=0x10")).isEqualTo(-1);
    }

    @Test
    void theQueueLengthIsANonNegativeNumber() {
        assertThat(queue("3")).isEqualTo(3.0);
        assertThat(queue(" 2.5 ")).isEqualTo(2.5);
        assertThat(queue("0")).isZero();
        assertThat(queue("-1")).isEqualTo(-1);
        assertThat(queue("many")).isEqualTo(-1);
        assertThat(queue("NaN")).isEqualTo(-1);
        assertThat(queue("1e400")).isEqualTo(-1);
        assertThat(queue("")).isEqualTo(-1);
        assertThat(ServerLoad.queueLength(Headers.of(), "X-Server-Queue")).isEqualTo(-1);
    }
}
