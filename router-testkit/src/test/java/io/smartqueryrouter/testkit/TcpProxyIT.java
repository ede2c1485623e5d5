package io.smartqueryrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TcpProxy} in front of a real echo server, every fault on real sockets. */
class TcpProxyIT {

    private static final int MIB = 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private EchoServer echo;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new EchoServer();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        echo.close();
    }

    @Test
    void forwardsOneMebibyteIntactBothWays() throws Exception {
        TcpProxy proxy = proxy("echo");
        byte[] sent = randomBytes(MIB);

        try (Socket socket = connect(proxy)) {
            byte[] received = echoThrough(socket, sent);

            assertThat(received).isEqualTo(sent);
        }
        await("counters reach 1 MiB each way",
                () -> proxy.bytesUpstream() == MIB && proxy.bytesDownstream() == MIB);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(echo.bytesEchoed()).isEqualTo(MIB);
    }

    @Test
    void fiftyMillisEachWayAddsOneHundredMillisToARoundTrip() throws Exception {
        TcpProxy proxy = proxy("delay");
        long transparentNanos;
        try (Socket socket = connect(proxy)) {
            transparentNanos = medianRoundTripNanos(socket, 5);
        }

        proxy.delayUpstream(Duration.ofMillis(50)).delayDownstream(Duration.ofMillis(50));
        long delayedNanos;
        try (Socket socket = connect(proxy)) {
            delayedNanos = medianRoundTripNanos(socket, 3);
        }

        assertThat(Duration.ofNanos(delayedNanos))
                .isGreaterThanOrEqualTo(Duration.ofMillis(100))
                // generous: a loaded CI machine may add scheduling noise, never a third delay
                .isLessThan(Duration.ofNanos(transparentNanos).plusMillis(100 + 150));
    }

    @Test
    void aDelayIsPipelinedAndDoesNotCapThroughputToOneChunkPerDelay() throws Exception {
        TcpProxy proxy = proxy("pipelined");
        proxy.delay(Duration.ofMillis(50));
        // 4 MiB: wide apart, what pipelining takes and what one chunk per delay would, so a busy machine fits between
        byte[] sent = randomBytes(4 * MIB);

        try (Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            byte[] received = echoThrough(socket, sent);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(received).isEqualTo(sent);
            // 4 MiB is at least 64 chunks of 64 KiB: one chunk per 50 ms would take >= 3.2 s one way
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(100)).isLessThan(Duration.ofMillis(3_200));
        }
    }

    @Test
    void switchingADelayOnAndOffAffectsAnOpenConnection() throws Exception {
        TcpProxy proxy = proxy("switch");
        try (Socket socket = connect(proxy)) {
            long before = medianRoundTripNanos(socket, 3);

            proxy.delayUpstream(Duration.ofMillis(120));
            long during = medianRoundTripNanos(socket, 3);

            proxy.restore();
            long after = medianRoundTripNanos(socket, 3);

            assertThat(Duration.ofNanos(before)).isLessThan(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(during)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
            assertThat(Duration.ofNanos(after)).isLessThan(Duration.ofMillis(100));
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void blackHoleHangsOpenAndNewConnectionsAndRestoreMakesNewConnectionsWork() throws Exception {
        TcpProxy proxy = proxy("black-hole");
        Socket busy = connect(proxy);
        Socket idle = connect(proxy);
        roundTrip(busy);
        roundTrip(idle);
        await("both pings counted", () -> proxy.bytesUpstream() == 16 && proxy.bytesDownstream() == 16);

        proxy.blackHole();
        busy.setSoTimeout(300);
        assertThatThrownBy(() -> roundTrip(busy)).isInstanceOf(SocketTimeoutException.class);
        Socket fresh = connect(proxy);
        fresh.setSoTimeout(300);
        assertThatThrownBy(() -> roundTrip(fresh)).isInstanceOf(SocketTimeoutException.class);
        assertThat(proxy.bytesUpstream()).isEqualTo(16);
        assertThat(proxy.bytesDownstream()).isEqualTo(16);
        assertThat(proxy.fault()).isEqualTo(TcpProxy.Fault.BLACK_HOLE);

        proxy.restore();

        try (Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket)).isEqualTo(ping());
        }
        // a connection that sent nothing meanwhile goes on, like a pooled connection after a short partition
        assertThat(roundTrip(idle)).isEqualTo(ping());
        // connections that lost bytes to the black hole are reset rather than handed a corrupt stream
        assertThatThrownBy(() -> busy.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThat(proxy.connectionsAccepted()).isEqualTo(4);
        closeAll(busy, idle, fresh);
    }

    @Test
    void resetMakesOpenAndNewConnectionsFailPromptlyWithConnectionReset() throws Exception {
        TcpProxy proxy = proxy("reset");
        Socket open = connect(proxy);
        roundTrip(open);
        // a read timeout far away: the reset must come long before it (and says "reset", a timeout would not)
        open.setSoTimeout(20_000);

        long start = System.nanoTime();
        proxy.resetConnections();
        assertThatThrownBy(() -> open.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the read timeout").isLessThan(Duration.ofSeconds(5));

        // the kernel completes the handshake before the proxy resets, so a new connection fails
        // in connect or in its first read, as with a server that resets at once
        start = System.nanoTime();
        assertThatThrownBy(() -> {
            try (Socket fresh = connect(proxy)) {
                fresh.setSoTimeout(20_000);
                roundTrip(fresh);
            }
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the read timeout").isLessThan(Duration.ofSeconds(5));
        assertThat(proxy.openConnections()).isZero();

        proxy.restore();
        try (Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket)).isEqualTo(ping());
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(3);
        open.close();
    }

    @Test
    void refuseMakesConnectsFailAndRestoreListensAgainOnTheSamePort() throws Exception {
        TcpProxy proxy = proxy("refuse");
        int port = proxy.port();
        Socket open = connect(proxy);
        roundTrip(open);

        proxy.refuse();

        assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
        // a refusing server keeps the connections it already has
        assertThat(roundTrip(open)).isEqualTo(ping());

        proxy.restore();

        assertThat(proxy.port()).isEqualTo(port);
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(2_000);
            assertThat(roundTrip(socket)).isEqualTo(ping());
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        open.close();
    }

    @Test
    void closeEndsEveryThreadAndSocket() throws Exception {
        TcpProxy proxy = TcpProxy.builder("127.0.0.1", echo.port()).name("closing-proxy").start();
        Socket forwarding = connect(proxy);
        roundTrip(forwarding);
        proxy.delay(Duration.ofSeconds(30));
        forwarding.getOutputStream().write(ping()); // a chunk waiting out its delay
        proxy.blackHole();
        Socket blackHoled = connect(proxy);
        await("black-holed connection accepted", () -> proxy.connectionsAccepted() == 2);
        assertThat(proxyThreads("closing-proxy")).isNotEmpty();

        proxy.close();
        proxy.close();

        assertThat(proxyThreads("closing-proxy")).isEmpty();
        assertThat(proxy.openConnections()).isZero();
        forwarding.setSoTimeout(2_000);
        blackHoled.setSoTimeout(2_000);
        assertThat(readOrReset(forwarding)).isEqualTo(-1);
        assertThat(readOrReset(blackHoled)).isEqualTo(-1);
        assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(proxy::restore).isInstanceOf(IllegalStateException.class)
                .hasMessage("TcpProxy 'closing-proxy' is closed");
        closeAll(forwarding, blackHoled);
    }

    @Test
    void builderAndSettersRejectBadValuesNamingFieldAndValue() throws Exception {
        assertThatThrownBy(() -> TcpProxy.builder("127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: targetPort must be in 1..65535, but was 0");
        assertThatThrownBy(() -> TcpProxy.builder(" ", 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: targetHost must not be blank, but was ' '");
        TcpProxy.Builder builder = TcpProxy.builder("127.0.0.1", echo.port());
        assertThatThrownBy(() -> builder.listenPort(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: listenPort must be in 0..65535, but was 65536");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: connectTimeout must be >= 1 ms, but was PT0S");
        assertThatThrownBy(() -> builder.delayDownstream(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: delayDownstream must be >= 0, but was PT-0.005S");
        assertThatThrownBy(() -> builder.name(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy builder: name must not be blank, but was ''");

        TcpProxy proxy = proxy("validated");
        assertThatThrownBy(() -> proxy.delayUpstream(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TcpProxy 'validated': delayUpstream must be >= 0, but was PT-1S");
        assertThat(proxy.upstreamDelay()).isEqualTo(Duration.ZERO);

        int taken = proxy.port();
        assertThatThrownBy(() -> TcpProxy.builder("127.0.0.1", echo.port()).name("second").listenPort(taken).start())
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("TcpProxy 'second': cannot listen on 127.0.0.1:" + taken);
    }

    // ---------------------------------------------------------------------------------------

    private TcpProxy proxy(String name) {
        TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", echo.port())).name(name).start();
        toClose.add(proxy);
        return proxy;
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(proxy.address(), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static byte[] ping() {
        return "ping-123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] roundTrip(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(ping());
        out.flush();
        return readFully(socket.getInputStream(), ping().length);
    }

    private static long medianRoundTripNanos(Socket socket, int samples) throws IOException {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket)).isEqualTo(ping());
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[samples / 2];
    }

    /** Writes on another thread, so neither side blocks on a full socket buffer. */
    private static byte[] echoThrough(Socket socket, byte[] bytes) throws Exception {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] received = readFully(socket.getInputStream(), bytes.length);
        writing.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        return received;
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int offset = 0;
        while (offset < length) {
            int n = in.read(bytes, offset, length - offset);
            if (n < 0) {
                throw new IOException("end of stream after " + offset + " of " + length + " bytes");
            }
            offset += n;
        }
        return bytes;
    }

    /** Reads one byte; a closed connection reads as -1 whether it ended with FIN or RST. */
    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (SocketException e) {
            return -1;
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static List<String> proxyThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("tcp-proxy[" + name + "]"))
                .toList();
    }

    private static void closeAll(Socket... sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + DEADLINE + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** A real echo server on 127.0.0.1: one thread per connection, echoing every byte back. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicLong echoed = new java.util.concurrent.atomic.AtomicLong();

        EchoServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(this::acceptLoop, "echo-server accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long bytesEchoed() {
            return echoed.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    sockets.add(socket);
                    Thread worker = new Thread(() -> echo(socket), "echo-server connection");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            byte[] buffer = new byte[64 * 1024];
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    echoed.addAndGet(n);
                }
            } catch (IOException e) {
                // the proxy reset or closed the connection: nothing to echo any more
            } finally {
                sockets.remove(socket);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
