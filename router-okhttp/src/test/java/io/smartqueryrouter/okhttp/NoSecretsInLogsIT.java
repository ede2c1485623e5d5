package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.FIRST;
import static io.smartqueryrouter.okhttp.TestSupport.address;
import static io.smartqueryrouter.okhttp.TestSupport.answering;
import static io.smartqueryrouter.okhttp.TestSupport.await;
import static io.smartqueryrouter.okhttp.TestSupport.closedPort;
import static io.smartqueryrouter.okhttp.TestSupport.ok;
import static io.smartqueryrouter.okhttp.TestSupport.stalling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * URLs with user info and query tokens, and node base URLs with credentials, through every failure
 * path: none of the secrets may appear in a log record (at any level) or an exception's text.
 */
class NoSecretsInLogsIT {
    private static final List<String> SECRETS = List.of("hunter2", "s3cr3t", "pa55w0rd", "k3y-value", "token=",
            "apikey=");

    private final Logger logger = Logger.getLogger("io.smartqueryrouter");
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logged.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final StringBuilder thrown = new StringBuilder();

    @BeforeEach
    void captureEverything() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void restore() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    private MockWebServer track(MockWebServer server) {
        closeLater.add(server);
        return server;
    }

    private <E> Router<E> track(Router<E> router) {
        closeLater.add(router);
        return router;
    }

    /** A node base URL with credentials and a query, as someone might configure one. */
    private static HttpUrl secretBase(HttpUrl base) {
        return base.newBuilder().username("admin").password("pa55w0rd").addQueryParameter("apikey", "k3y-value").build();
    }

    private void call(OkHttpClient client, String url) {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            r.body().string();
        } catch (IOException e) {
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            thrown.append(text).append('\n');
        }
    }

    private void assertNoSecrets() {
        String all = String.join("\n", logged) + "\n" + thrown;
        for (String secret : SECRETS) {
            assertThat(all).as("logs and exceptions").doesNotContain(secret);
        }
    }

    @Test
    void logicalRoutingFailuresAndRetries() {
        MockWebServer busy = track(answering(503, "busy"));
        MockWebServer good = track(ok("good"));
        MockWebServer silent = track(stalling());
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders").policy(FIRST)
                .node(Node.of("busy", secretBase(TestSupport.base(busy))))
                .node(Node.of("good", secretBase(TestSupport.base(good)))).build());
        Router<HttpUrl> dead = track(Router.<HttpUrl>builder("dead").policy(FIRST)
                .node(Node.of("d1", secretBase(closedPort()))).node(Node.of("d2", secretBase(closedPort())))
                .node(Node.of("d3", secretBase(TestSupport.base(silent)))).build());
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300))
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).route("dead", dead).build()).build();

        call(client, "http://user:hunter2@orders/api/items?token=s3cr3t&id=7");
        call(client, "http://user:hunter2@dead/api/items?token=s3cr3t&id=7");
        logged.add(orders.snapshot().toString());
        logged.add(orders.nodes().toString());

        assertThat(String.join("\n", logged)).contains("attempt 1 on node 'busy' was OVERLOADED; trying node 'good'");
        assertThat(thrown.toString()).contains("RoutedCallException: router 'dead': GET http://dead:80/api/items failed "
                + "after 3 attempts").contains("d1: java.net.ConnectException").contains("SocketTimeoutException");
        assertNoSecrets();
    }

    @Test
    void pinnedAddressFailures() {
        HttpUrl closed = closedPort();
        Router<InetAddress> api = track(Router.<InetAddress>builder("api")
                .node(Node.of("127.0.0.1", address("127.0.0.1"))).build());
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().pin("api.test", api).build()).build();

        call(client, "http://user:hunter2@api.test:" + closed.port() + "/v1/items?token=s3cr3t");

        assertThat(thrown.toString()).contains("failed after 1 attempt (no untried node left): 127.0.0.1: java.net.ConnectException: Failed to connect to /127.0.0.1:" + closed.port());
        assertNoSecrets();
    }

    @Test
    void healthProbeDetailsAndHealthChanges() {
        MockWebServer down = track(answering(500, "down"));
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders")
                .node(Node.of("a", secretBase(TestSupport.base(down))))
                .node(Node.of("b", secretBase(closedPort())))
                .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health?token=s3cr3t"))
                        .timeout(Duration.ofMillis(200)).interval(Duration.ofMillis(200)).fall(1))
                .build());

        await("both nodes unhealthy", Duration.ofSeconds(30),
                () -> orders.snapshot().nodes().stream().noneMatch(n -> n.healthy()));
        logged.add(orders.snapshot().toString());
        orders.snapshot().nodes().forEach(n -> logged.add(n.lastProbe()));

        assertThat(String.join("\n", logged)).contains("/health answered HTTP 500").contains("ConnectException");
        assertNoSecrets();
    }
}
