package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/**
 * A cancelled call is taken as cut by its timeout only within a tenth of the timeout (at most
 * 100 ms) of its deadline: with a flat 100 ms, a short timeout read as "reached" from its start, so
 * nothing failed over and a cancel by the application blamed the node.
 */
class TimeoutClassificationTest {

    @Test
    void aCancelEarlyInAShortTimeoutIsTheCallersNotTheTimeout() throws IOException {
        try (Router<HttpUrl> router = Router.<HttpUrl>builder("orders")
                .node(Node.of("a", HttpUrl.get("http://127.0.0.1:1/"))).build()) {
            RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", router).build();
            OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor)
                    .callTimeout(Duration.ofMillis(80)).build();
            okhttp3.Call call = client.newCall(new Request.Builder().url("http://orders/items").build());
            call.cancel();
            // the deadline read just before asking, so a slow machine cannot eat the 72 ms margin
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(80);
            // 72 ms before the deadline: the application cancelled it (a flat 100 ms slack said "timeout")
            assertThat(interceptor.whyNotRepeat(call.request(), new IOException("Canceled"), false, call, deadline))
                    .isEqualTo("the call was cancelled");
            // past the deadline: the timeout cut it
            assertThat(interceptor.whyNotRepeat(call.request(), new IOException("Canceled"), false, call,
                    System.nanoTime() - 1)).isEqualTo("the call's timeout was reached");
        }
    }
}
