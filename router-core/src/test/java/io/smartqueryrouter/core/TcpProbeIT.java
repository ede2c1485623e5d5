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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP-connect probe against real sockets on 127.0.0.1, through a router with its real probe
 * threads: a closed port takes a node out within fall x interval, a reopened one brings it back,
 * and the router then routes around the dead node. The router's clock is a fake one that the test
 * moves an interval at a time once the previous probe has answered, so the intervals counted are
 * exact and a slow, busy machine can neither make a probe late nor count it as timed out; only
 * the wait for the probe threads to run is on the wall clock, with a generous deadline.
 */
class TcpProbeIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final int FALL = 2;
    private static final int RISE = 2;
    /**
     * How long the probe threads may take to run on a loaded machine: the wall-clock wait for a
     * result the fake clock already made due, not a number about routing.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private ServerSocket server;
    private Router<URI> router;

    /** When each node last changed health, on the fake clock, under "id:true" or "id:false" (the listener runs after the change). */
    private final Map<String, Long> healthChanges = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();

    private final RouterListener recorder = new RouterListener() {
        @Override
        public void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
            checks.computeIfAbsent(node.id(), id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult result) {
            healthChanges.put(node.id() + ":" + healthy, now.get());
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
        RouterBuilder<URI> b = Router.<URI>builder("tcp-it").ticker(now::get)
                .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(INTERVAL).timeout(TIMEOUT)
                        .fall(FALL).rise(RISE).jitter(0))
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

    /** Moves the fake clock one interval on, which makes the next probe of every node due (no jitter). */
    private void nextInterval() {
        now.addAndGet(INTERVAL.toNanos());
    }

    /** Waits until {@code id} has had {@code n} probes answered. */
    private void awaitChecks(String id, int n) {
        await(n + " probes of " + id + " answered", PATIENCE, () -> checks(id) >= n);
    }

    /** How long on the fake clock from {@code start} to the health change recorded under {@code key}. */
    private Duration since(long start, String key) {
        return Duration.ofNanos(healthChanges.get(key) - start);
    }

    @Test
    void aClosedPortTakesTheNodeOutWithinFallTimesIntervalAndAReopenedOneBringsItBack() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        router = router(Node.of("a", uri(port)));

        awaitChecks("a", 1);
        nextInterval();
        awaitChecks("a", 2);
        assertThat(healthy("a")).isTrue();
        assertThat(router.snapshot().node("a").lastProbe()).isEmpty();

        server.close();
        long closed = now.get();
        nextInterval();
        awaitChecks("a", 3);
        assertThat(healthy("a")).as("1 failed probe, fall is 2").isTrue();
        nextInterval();
        await("a reported unhealthy after its port closed", PATIENCE, () -> healthChanges.containsKey("a:false"));
        assertThat(healthy("a")).isFalse();
        assertThat(since(closed, "a:false")).as("time from closing the port to unhealthy")
                .isEqualTo(INTERVAL.multipliedBy(FALL));
        assertThat(router.snapshot().node("a").lastProbe())
                .startsWith("ConnectException: ")
                .endsWith("(TCP connect to " + LOOPBACK.getHostAddress() + ":" + port + ")");

        server = listen(port);
        long reopened = now.get();
        nextInterval();
        awaitChecks("a", 5);
        assertThat(healthy("a")).as("1 passed probe, rise is 2").isFalse();
        nextInterval();
        await("a reported healthy after its port reopened", PATIENCE, () -> healthChanges.containsKey("a:true"));
        assertThat(healthy("a")).isTrue();
        assertThat(since(reopened, "a:true")).as("time from reopening the port to healthy")
                .isEqualTo(INTERVAL.multipliedBy(RISE));
        assertThat(router.snapshot().node("a").lastProbe()).isEmpty();
        assertThat(checks("a")).as("one probe per interval, none extra").isEqualTo(6);
    }

    @Test
    void aNodeOnAPortNeverOpenGoesOutWhileTheOpenOneStaysInAndGetsEveryCall() throws IOException {
        server = listen(0);
        int deadPort = closedPort();
        long start = now.get();
        router = router(Node.of("up", uri(server.getLocalPort())), Node.of("down", uri(deadPort)));

        // a new node is probed at once, so its fall-th failure comes (fall - 1) intervals later
        for (int probes = 1; probes < FALL; probes++) {
            awaitChecks("down", probes);
            awaitChecks("up", probes);
            assertThat(healthy("down")).as("%d failed probes, fall is %d", probes, FALL).isTrue();
            nextInterval();
        }
        await("down reported unhealthy", PATIENCE, () -> healthChanges.containsKey("down:false"));
        assertThat(healthy("down")).isFalse();
        assertThat(since(start, "down:false")).isEqualTo(INTERVAL.multipliedBy(FALL - 1));
        awaitChecks("up", FALL);
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
                .ticker(now::get)
                .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(INTERVAL).timeout(TIMEOUT).fall(1).jitter(0))
                .build();

        // the first probe runs at once: no clock needs to move
        await("db unhealthy", PATIENCE, () -> !healthy("db"));
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
