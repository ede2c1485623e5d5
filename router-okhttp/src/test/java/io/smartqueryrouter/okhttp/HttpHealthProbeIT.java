package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.await;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.ok;
import static io.smartqueryrouter.okhttp.TestSupport.response;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static io.smartqueryrouter.okhttp.TestSupport.stalling;
import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpHealthProbeIT extends ClosesAfterEach {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static Node<HttpUrl> node(HttpUrl base) {
        return Node.of("a", base);
    }

    @Test
    void a2xxIsHealthyAndThePathGoesUnderTheNodesBasePath() throws Exception {
        MockWebServer server = track(server(r -> response(204, "")));
        HttpUrl base = base(server).newBuilder().encodedPath("/v1/").build();

        ProbeResult result = HttpHealthProbe.get("/health?deep=1").probe(node(base), TIMEOUT);

        assertThat(result).isEqualTo(ProbeResult.ok());
        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getTarget()).isEqualTo("/v1/health?deep=1");
    }

    @Test
    void otherCodesAreUnhealthyWithTheCodeAndNoQueryInTheDetail() throws Exception {
        MockWebServer server = track(server(r -> response(500, "down")));

        ProbeResult result = HttpHealthProbe.get("/health?token=s3cr3t").probe(node(base(server)), TIMEOUT);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).isEqualTo("GET http://127.0.0.1:" + server.getPort() + "/health answered HTTP 500");
    }

    @Test
    void aRedirectIsNotFollowedAndNotHealthy() throws Exception {
        MockWebServer server = track(server(r -> new mockwebserver3.MockResponse.Builder().code(302)
                .setHeader("Location", "/elsewhere").build()));

        ProbeResult result = HttpHealthProbe.get("/health").probe(node(base(server)), TIMEOUT);

        assertThat(result.detail()).endsWith("/health answered HTTP 302");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void healthyCodesAndHeadAreConfigurable() throws Exception {
        MockWebServer server = track(server(r -> response(204, "")));
        HttpHealthProbe<HttpUrl> only200 = HttpHealthProbe.head("/ready").healthyCodes(200);

        ProbeResult result = only200.probe(node(base(server)), TIMEOUT);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).isEqualTo("HEAD http://127.0.0.1:" + server.getPort() + "/ready answered HTTP 204");
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getMethod()).isEqualTo("HEAD");
        assertThat(HttpHealthProbe.head("/ready").healthyCodes(200, 204).probe(node(base(server)), TIMEOUT).healthy())
                .isTrue();
    }

    @Test
    void aNodeThatDoesNotAnswerIsUnhealthyAfterTheProbesTimeout() throws Exception {
        MockWebServer silent = track(stalling());
        long start = System.nanoTime();

        ProbeResult result = HttpHealthProbe.get("/health").probe(node(base(silent)), Duration.ofMillis(300));

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.healthy()).isFalse();
        // the call timeout ("timeout") or the read timeout ("Read timed out"), both set to the probe's timeout,
        // whichever fires first on a busy machine
        assertThat(result.detail()).contains("failed: ").containsAnyOf("timeout", "timed out");
        assertThat(tookMillis).as("probe duration in ms, with a 300 ms timeout").isLessThan(3_000);
    }

    @Test
    void theProbeUsesTheApplicationsClientButNotItsRoutingInterceptor() throws Exception {
        MockWebServer node = track(ok("node"));
        MockWebServer elsewhere = track(ok("elsewhere"));
        // the application routes the host 127.0.0.1 somewhere else; probes must still reach the node itself
        Router<HttpUrl> reroute = Router.<HttpUrl>builder("reroute")
                .node(Node.of("x", HttpUrl.get("http://localhost:" + elsewhere.getPort() + "/"))).build();
        track(reroute);
        OkHttpClient app = new OkHttpClient.Builder()
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("X-App", "mine").build()))
                .addInterceptor(RoutingInterceptor.builder().route("127.0.0.1", reroute).build())
                .build();

        ProbeResult result = HttpHealthProbe.get("/health").client(app).header("Authorization", "Bearer t0ken")
                .probe(node(base(node)), TIMEOUT);

        assertThat(result.healthy()).isTrue();
        assertThat(elsewhere.getRequestCount()).isZero();
        RecordedRequest recorded = node.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeaders().get("X-App")).isEqualTo("mine");
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(reroute.snapshot().attemptsStarted()).isZero();
    }

    @Test
    void aRouterTakesAFailingNodeOutAndBackOnItsHealthCheck() {
        AtomicInteger status = new AtomicInteger(200);
        MockWebServer flaky = track(server(r -> response(status.get(), "")));
        MockWebServer steady = track(ok("steady"));
        Router<HttpUrl> orders = Router.<HttpUrl>builder("orders")
                .node(Node.of("flaky", base(flaky))).node(Node.of("steady", base(steady)))
                .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health"))
                        .timeout(Duration.ofMillis(500)).interval(Duration.ofMillis(500)).fall(2).rise(2))
                .build();
        track(orders);

        // waits generous for a busy machine; the probe timeout 500 ms so that it cannot make steady fail twice
        status.set(503);
        await("flaky to be unhealthy", Duration.ofSeconds(30), () -> !orders.snapshot().node("flaky").healthy());
        assertThat(orders.snapshot().node("flaky").lastProbe()).endsWith("/health answered HTTP 503");
        assertThat(orders.snapshot().node("steady").healthy()).isTrue();

        status.set(200);
        await("flaky to be healthy again", Duration.ofSeconds(30), () -> orders.snapshot().node("flaky").healthy());
    }
}
