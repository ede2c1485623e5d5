package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.await;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.response;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** A router's concurrency limit over real sockets: the calls beyond it fail at once, as IOExceptions, and are never sent. */
class ConcurrencyLimitIT extends ClosesAfterEach {

    @Test
    void callsBeyondTheLimitFailAtOnceWithAnIOExceptionWhileTheServerHoldsTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger arrived = new AtomicInteger();
        MockWebServer slow = track(server(r -> {
            arrived.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return response(200, "ok");
        }));
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders").node(Node.of("a", base(slow)))
                .concurrencyLimit(ConcurrencyLimit.builder().initialLimit(4).minLimit(4).maxLimit(4).build())
                .build());
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build())
                .readTimeout(Duration.ofSeconds(30)).build();
        Request get = new Request.Builder().url("http://orders/items").build();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(threads.submit(() -> {
                    try (Response r = client.newCall(get).execute()) {
                        return r.code() + " " + r.body().string();
                    }
                }));
            }
            await("4 requests held by the server", Duration.ofSeconds(30), () -> arrived.get() == 4);

            // the server answers nothing until released: had any of these been sent, it would wait 30 s
            for (int i = 0; i < 6; i++) {
                assertThatThrownBy(() -> client.newCall(get).execute())
                        .isInstanceOf(RoutedCallException.class)
                        .hasMessage("router 'orders': GET http://orders:80/items was refused: router 'orders' is at its "
                                + "concurrency limit: 4 attempts in flight, limit 4; the call was not sent")
                        .hasCauseInstanceOf(ConcurrencyLimitExceededException.class);
            }
            assertThat(orders.snapshot().callsRejectedByLimit()).isEqualTo(6);
            assertThat(orders.snapshot().limitedInFlight()).isEqualTo(4);

            release.countDown();
            for (Future<String> f : held) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("200 ok");
            }
            assertThat(slow.getRequestCount()).as("requests the server saw").isEqualTo(4);
            assertThat(orders.snapshot().limitedInFlight()).isZero();
            try (Response r = client.newCall(get).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }
}
