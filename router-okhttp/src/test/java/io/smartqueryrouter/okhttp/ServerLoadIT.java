package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.FIRST;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.spi.NodeStats;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The load nodes report in response headers reaches the router's statistics (issue #7, the c3 policy's input). */
class ServerLoadIT extends ClosesAfterEach {

    private Router<HttpUrl> router(MockWebServer server) {
        return track(Router.<HttpUrl>builder("orders").policy(FIRST).node(Node.of("a", base(server))).build());
    }

    private static MockWebServer answering(String... headers) {
        return server(r -> {
            MockResponse.Builder b = new MockResponse.Builder().code(200).body("ok");
            for (int i = 0; i < headers.length; i += 2) {
                b.addHeader(headers[i], headers[i + 1]);
            }
            return b.build();
        });
    }

    private static int call(OkHttpClient client) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
            return r.code();
        }
    }

    private static NodeStats stats(Router<HttpUrl> router) {
        return router.stats("a").orElseThrow();
    }

    @Test
    void queueLengthAndServerTimingDurationReachTheNodesStatistics() throws Exception {
        MockWebServer node = track(answering("X-Server-Queue", "3",
                "Server-Timing", "cache;desc=\"hit, warm\", app;dur=12.5, db;dur=3"));
        Router<HttpUrl> orders = router(node);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        assertThat(call(client)).isEqualTo(200);
        assertThat(stats(orders).serverQueueLength()).isEqualTo(3.0);
        // the first metric with a dur: app's 12.5 ms (cache has none; db comes later)
        assertThat(stats(orders).serverServiceTimeNanos()).isCloseTo(12_500_000.0, within(1.0));
    }

    @Test
    void malformedHeadersAreIgnoredAndNeverFailTheCall() throws Exception {
        MockWebServer node = track(answering("X-Server-Queue", "-1", "Server-Timing", "app;dur=fast"));
        Router<HttpUrl> orders = router(node);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        assertThat(call(client)).isEqualTo(200);
        assertThat(stats(orders).serverQueueLength()).isNaN();
        assertThat(stats(orders).serverServiceTimeNanos()).isNaN();
        assertThat(stats(orders).completed(io.smartqueryrouter.core.Outcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void headerNamesAreConfigurable() throws Exception {
        MockWebServer node = track(answering("X-Queue", "7", "X-Timing", "total;dur=40", "X-Server-Queue", "99"));
        Router<HttpUrl> orders = router(node);
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(RoutingInterceptor.builder()
                .route("orders", orders).queueLengthHeader("X-Queue").serviceTimeHeader("X-Timing").build()).build();

        assertThat(call(client)).isEqualTo(200);
        assertThat(stats(orders).serverQueueLength()).isEqualTo(7.0);
        assertThat(stats(orders).serverServiceTimeNanos()).isCloseTo(40_000_000.0, within(1.0));
    }

    @Test
    void aNodeThatReportsNothingHasNoServerLoad() throws Exception {
        MockWebServer node = track(answering());
        Router<HttpUrl> orders = router(node);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();
        assertThat(call(client)).isEqualTo(200);
        assertThat(stats(orders).serverQueueLength()).isNaN();
        assertThat(stats(orders).serverServiceTimeNanos()).isNaN();
    }

    @Test
    void headerNamesAreValidated() {
        assertThatThrownBy(() -> RoutingInterceptor.builder().queueLengthHeader("X Queue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RoutingInterceptor: queueLengthHeader must be a header name (an RFC 9110 token), but was 'X Queue'");
        assertThatThrownBy(() -> RoutingInterceptor.builder().serviceTimeHeader(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RoutingInterceptor: serviceTimeHeader must be a header name (an RFC 9110 token), but was ''");
        assertThatThrownBy(() -> RoutingInterceptor.builder().serviceTimeHeader(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("RoutingInterceptor: serviceTimeHeader must not be null");
    }
}
