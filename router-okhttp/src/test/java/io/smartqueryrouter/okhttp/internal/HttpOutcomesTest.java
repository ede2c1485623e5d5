package io.smartqueryrouter.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Outcome;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpOutcomesTest {

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({
        "200, SUCCESS", "204, SUCCESS", "304, SUCCESS",
        "400, CLIENT_ERROR", "401, CLIENT_ERROR", "404, CLIENT_ERROR", "408, CLIENT_ERROR", "499, CLIENT_ERROR",
        "429, OVERLOADED", "503, OVERLOADED",
        "500, FAILURE", "502, FAILURE", "504, FAILURE", "507, FAILURE", "522, FAILURE",
        "501, CLIENT_ERROR", "505, CLIENT_ERROR"})
    void classifiesStatusCodes(int code, Outcome expected) {
        assertThat(HttpOutcomes.outcome(code)).isEqualTo(expected);
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        for (String m : new String[] {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
            assertThat(HttpOutcomes.isIdempotent(m)).as(m).isTrue();
        }
        for (String m : new String[] {"POST", "PATCH", "CONNECT", "get"}) {
            assertThat(HttpOutcomes.isIdempotent(m)).as(m).isFalse();
        }
    }

    @Test
    void aBlankIdempotencyKeyDoesNotCount() {
        Request.Builder b = new Request.Builder().url("http://orders/").post(RequestBody.create(new byte[0]));
        assertThat(HttpOutcomes.hasIdempotencyKey(b.build())).isFalse();
        assertThat(HttpOutcomes.hasIdempotencyKey(b.header("Idempotency-Key", " ").build())).isFalse();
        assertThat(HttpOutcomes.hasIdempotencyKey(b.header("Idempotency-Key", "8e03978e").build())).isTrue();
    }
}
