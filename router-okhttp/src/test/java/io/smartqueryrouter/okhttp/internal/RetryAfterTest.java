package io.smartqueryrouter.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Duration retryAfter(String... namesAndValues) {
        return RetryAfter.of(Headers.of(namesAndValues), NOW);
    }

    @Test
    void secondsAreTakenAsIs() {
        assertThat(retryAfter("Retry-After", "2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(retryAfter("Retry-After", " 120 ")).isEqualTo(Duration.ofSeconds(120));
        assertThat(retryAfter("Retry-After", "0")).isZero();
    }

    @Test
    void absentMalformedOrNegativeMeansNoCoolDown() {
        assertThat(retryAfter()).isZero();
        assertThat(retryAfter("Retry-After", "soon")).isZero();
        assertThat(retryAfter("Retry-After", "-5")).isZero();
        assertThat(retryAfter("Retry-After", "1.5")).isZero();
    }

    @Test
    void secondsTooLargeForALongSaturate() {
        assertThat(retryAfter("Retry-After", "99999999999999999999999")).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void anHttpDateIsMeasuredFromTheLocalClockWithoutADateHeader() {
        assertThat(retryAfter("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void obsoleteHttpDateFormatsOfRfc9110AreRead() {
        assertThat(retryAfter("Retry-After", "Sunday, 01-Mar-26 12:01:00 GMT")).isEqualTo(Duration.ofSeconds(60));
        assertThat(retryAfter("Retry-After", "Sun Mar  1 12:00:10 2026")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anHttpDateIsMeasuredFromTheResponseDateSoClockSkewDoesNotMatter() {
        // the server's clock is 1 hour behind ours: it asks for 45 s, not for a negative wait
        assertThat(retryAfter("Date", "Sun, 01 Mar 2026 11:00:00 GMT",
                "Retry-After", "Sun, 01 Mar 2026 11:00:45 GMT")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void anHttpDateInThePastMeansNoCoolDown() {
        assertThat(retryAfter("Retry-After", "Sun, 01 Mar 2026 11:59:00 GMT")).isZero();
    }
}
