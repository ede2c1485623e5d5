package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP-connect probe against real sockets on 127.0.0.1, through a router on the system clock:
 * a closed port takes a node out within fall x interval, a reopened one brings it back, and the
 * router then routes around the dead node.
 */
class TcpProbeIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int FALL = 2;
    private static final int RISE = 2;
    /** fall (or rise) x interval, plus a margin for jitter, scheduling and a slow machine. */
    private static final Duration FALL_BOUND = INTERVAL.multipliedBy(FALL).plusSeconds(1);
    private static final Duration RISE_BOUND = INTERVAL.multipliedBy(RISE).plusSeconds(1);

    private ServerSocket server;
    private Router<URI> router;

    /** When each node last changed health, by System.nanoTime(), under "id:true" or "id:false" (the listener runs after the change). */
    private final Map<String, Long> healthChanges = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();

    private final RouterListener recorder = new RouterListener() {
        @Override
        public void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
            checks.computeIfAbsent(node.id(), id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult result) {
            healthChanges.put(node.id() + ":" + healthy, System.nanoTime());
        }
    };

    @AfterEach
    void tearDown() throws IOException {
        if (router != null) {
            router.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Waits until {@code condition} holds, polling every 5 ms, or fails after {@code timeout}. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(LOOPBACK, port));
        return s;
    }

    /** A port that nothing listens on: bound once, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = listen(0)) {
            return s.getLocalPort();
        }
    }

    private static URI uri(int port) {
        return URI.create("tcp://" + LOOPBACK.getHostAddress() + ":" + port);
    }

    @SafeVarargs
    private Router<URI> router(Node<URI>... nodes) {
        RouterBuilder<URI> b = Router.<URI>builder("tcp-it")
                .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(INTERVAL).timeout(Duration.ofMillis(100))
                        .fall(FALL).rise(RISE))
                .listener(recorder);
        for (Node<URI> n : nodes) {
            b.node(n);
        }
        return b.build();
    }

    private boolean healthy(String id) {
        return router.snapshot().node(id).healthy();
    }

    private int checks(String id) {
        AtomicInteger n = checks.get(id);
        return n == null ? 0 : n.get();
    }

    @Test
    void aClosedPortTakesTheNodeOutWithinFallTimesIntervalAndAReopenedOneBringsItBack() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        router = router(Node.of("a", uri(port)));

        await("2 passed probes of a", Duration.ofSeconds(2), () -> checks("a") >= 2);
        assertThat(healthy("a")).isTrue();
        assertThat(router.snapshot().node("a").lastProbe()).isEmpty();

        server.close();
        long closed = System.nanoTime();
        await("a reported unhealthy after its port closed", FALL_BOUND, () -> healthChanges.containsKey("a:false"));
        assertThat(healthy("a")).isFalse();
        Duration toUnhealthy = Duration.ofNanos(healthChanges.get("a:false") - closed);
        assertThat(toUnhealthy).as("time from closing the port to unhealthy").isLessThanOrEqualTo(FALL_BOUND);
        assertThat(router.snapshot().node("a").lastProbe())
                .startsWith("ConnectException: ")
                .endsWith("(TCP connect to " + LOOPBACK.getHostAddress() + ":" + port + ")");

        server = listen(port);
        long reopened = System.nanoTime();
        await("a reported healthy after its port reopened", RISE_BOUND, () -> healthChanges.containsKey("a:true"));
        assertThat(healthy("a")).isTrue();
        Duration toHealthy = Duration.ofNanos(healthChanges.get("a:true") - reopened);
        assertThat(toHealthy).as("time from reopening the port to healthy").isLessThanOrEqualTo(RISE_BOUND);
        assertThat(router.snapshot().node("a").lastProbe()).isEmpty();
    }

    @Test
    void aNodeOnAPortNeverOpenGoesOutWhileTheOpenOneStaysInAndGetsEveryCall() throws IOException {
        server = listen(0);
        int deadPort = closedPort();
        long start = System.nanoTime();
        router = router(Node.of("up", uri(server.getLocalPort())), Node.of("down", uri(deadPort)));

        await("down reported unhealthy", FALL_BOUND, () -> healthChanges.containsKey("down:false"));
        assertThat(healthy("down")).isFalse();
        assertThat(Duration.ofNanos(healthChanges.get("down:false") - start)).isLessThanOrEqualTo(FALL_BOUND);
        assertThat(healthy("up")).isTrue();
        assertThat(healthChanges).as("the open node never changed health").doesNotContainKeys("up:false", "up:true");
        assertThat(router.snapshot().node("down").lastProbe()).contains(":" + deadPort + ")");

        Map<String, Integer> perNode = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            Attempt<URI> attempt = router.begin();
            perNode.merge(attempt.node().id(), 1, Integer::sum);
            attempt.complete(Outcome.SUCCESS);
        }
        assertThat(perNode).isEqualTo(Map.of("up", 200));
    }

    @Test
    void aUriWithoutPortAndWithAnUnknownSchemeFailsTheProbeNamingHostAndScheme() {
        HealthProbe<URI> probe = TcpProbe.forUri();

        assertThatThrownBy(() -> probe.probe(Node.of("db", URI.create("foo://db.internal/orders")), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TCP probe: URI of host db.internal has no port and scheme 'foo' has no known default port");
        assertThatThrownBy(() -> probe.probe(Node.of("mail", URI.create("mailto:ops@example.com")), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TCP probe: URI has no host: mailto:...");
    }

    @Test
    void aRouterReportsTheUnusableUriInTheNodesLastProbeAndTakesItOut() {
        router = Router.<URI>builder("tcp-it")
                .node(Node.of("db", URI.create("foo://db.internal/orders")))
                .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(INTERVAL).timeout(Duration.ofMillis(100)).fall(1))
                .build();

        await("db unhealthy", FALL_BOUND, () -> !healthy("db"));
        assertThat(router.snapshot().node("db").lastProbe()).isEqualTo("IllegalArgumentException: TCP probe: URI of host "
                + "db.internal has no port and scheme 'foo' has no known default port");
    }

    @Test
    void withoutAPortTheProbeUsesTheSchemesDefaultPort() throws Exception {
        HealthProbe<URI> probe = TcpProbe.forUri();
        String host = LOOPBACK.getHostAddress();
        Map<String, Integer> defaults = Map.of("http", 80, "https", 443, "ws", 80, "wss", 443, "postgresql", 5432,
                "mysql", 3306, "redis", 6379);
        for (Map.Entry<String, Integer> e : defaults.entrySet()) {
            int port = e.getValue();
            boolean open = accepts(port);
            ProbeResult result = probe.probe(Node.of("n", URI.create(e.getKey() + "://" + host + "/x")), Duration.ofMillis(500));
            assertThat(result.healthy()).as("%s://%s probes port %s, which is %s", e.getKey(), host, port,
                    open ? "open" : "closed").isEqualTo(open);
            if (!open) {
                assertThat(result.detail()).as(e.getKey()).endsWith("(TCP connect to " + host + ":" + port + ")");
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
