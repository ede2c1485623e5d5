package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A router handed the caller's executor runs its health checks and hedged attempts there and
 * starts no thread of its own; closing it leaves the executor running. Real sockets: one node
 * listens, the other's port is closed.
 */
class CallersExecutorIT {

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static Set<String> routerThreads() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("smartqueryrouter-") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void healthChecksAndHedgedAttemptsRunOnTheCallersExecutorAndCloseLeavesItRunning() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        ScheduledThreadPoolExecutor app = new ScheduledThreadPoolExecutor(4, r -> {
            Thread t = new Thread(r, "app-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Set<String> before = routerThreads();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI up = URI.create("tcp://127.0.0.1:" + live.getLocalPort());
            URI down = URI.create("tcp://127.0.0.1:" + closedPort);
            Router<URI> router = Router.<URI>builder("orders")
                    .node(Node.of("up", up))
                    .node(Node.of("down", down))
                    .executor(app)
                    .healthCheck(HealthCheck.of(TcpProbe.of((URI u) -> new InetSocketAddress(u.getHost(), u.getPort())))
                            .interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(150)).fall(1).rise(1))
                    .hedge(HedgePolicy.builder().afterDelay(Duration.ofMillis(1)).maxExtraPercent(100).build())
                    .build();
            try {
                await("the closed port marked unhealthy", Duration.ofSeconds(30),
                        () -> !router.stats("down").orElseThrow().healthy());
                assertThat(router.stats("up").orElseThrow().healthy()).isTrue();

                String answer = router.execute(node -> {
                    ranOn.add(Thread.currentThread().getName());
                    return node.id();
                });
                assertThat(answer).isEqualTo("up");
                assertThat(ranOn).allMatch(name -> name.startsWith("app-"));
                assertThat(routerThreads()).as("threads the router started").isEqualTo(before);
            } finally {
                router.close();
            }
            assertThat(app.isShutdown()).as("the caller's executor after close()").isFalse();
            long checksAfterClose = app.getCompletedTaskCount();
            await("no pass scheduled after close", Duration.ofSeconds(30), () -> app.getQueue().isEmpty());
            assertThat(app.getCompletedTaskCount() - checksAfterClose).as("tasks run after close").isLessThanOrEqualTo(1);
        } finally {
            app.shutdownNow();
        }
    }
}
