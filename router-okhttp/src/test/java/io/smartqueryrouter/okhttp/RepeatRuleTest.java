package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepeatRuleTest {

    private static Request request(String method) {
        RequestBody body = method.equals("GET") || method.equals("HEAD") ? null : RequestBody.create(new byte[] {1});
        return new Request.Builder().url("http://orders/items").method(method, body).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
    void rfc9110RepeatsIdempotentMethodsEvenOnceSent(String method) {
        assertThat(RepeatRule.rfc9110().mayRepeat(request(method), true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH"})
    void rfc9110RepeatsOtherMethodsOnlyIfNotSent(String method) {
        assertThat(RepeatRule.rfc9110().mayRepeat(request(method), true)).isFalse();
        assertThat(RepeatRule.rfc9110().mayRepeat(request(method), false)).isTrue();
    }

    @Test
    void rfc9110RepeatsAnyRequestWithAnIdempotencyKey() {
        Request post = request("POST").newBuilder().header("Idempotency-Key", "8e03978e-40d5").build();
        assertThat(RepeatRule.rfc9110().mayRepeat(post, true)).isTrue();
    }

    @Test
    void orWidensAndAndNarrows() {
        RepeatRule search = (r, sent) -> r.url().encodedPath().equals("/search");
        Request searchPost = new Request.Builder().url("http://orders/search").post(RequestBody.create(new byte[0])).build();
        assertThat(RepeatRule.rfc9110().mayRepeat(searchPost, true)).isFalse();
        assertThat(RepeatRule.rfc9110().or(search).mayRepeat(searchPost, true)).isTrue();

        RepeatRule noDeleteOnceSent = RepeatRule.rfc9110().and((r, sent) -> !sent || !r.method().equals("DELETE"));
        assertThat(noDeleteOnceSent.mayRepeat(request("DELETE"), true)).isFalse();
        assertThat(noDeleteOnceSent.mayRepeat(request("DELETE"), false)).isTrue();
        assertThat(noDeleteOnceSent.mayRepeat(request("GET"), true)).isTrue();
    }

    @Test
    void notSentAndNeverAreStricter() {
        assertThat(RepeatRule.notSent().mayRepeat(request("GET"), true)).isFalse();
        assertThat(RepeatRule.notSent().mayRepeat(request("POST"), false)).isTrue();
        assertThat(RepeatRule.never().mayRepeat(request("GET"), false)).isFalse();
    }
}
