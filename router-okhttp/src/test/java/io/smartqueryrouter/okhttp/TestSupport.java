package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** Shared helpers of this module's tests: servers, a deterministic policy, waiting with a deadline. */
final class TestSupport {
    /** Always takes the first candidate: the first registered node that is available and untried. */
    static final RoutingPolicy FIRST = new RoutingPolicy() {
        @Override
        public int select(io.smartqueryrouter.core.spi.Candidates candidates, long nowNanos,
                java.util.random.RandomGenerator random) {
            return 0;
        }

        @Override
        public String name() {
            return "first";
        }
    };

    private TestSupport() {
    }

    /** Starts a server on 127.0.0.1 that answers every request with what {@code answer} returns. */
    static MockWebServer server(Function<RecordedRequest, MockResponse> answer) {
        return server(loopback(), 0, answer);
    }

    /** Starts a server on the given address and port (0 for any) answering with {@code answer}. */
    static MockWebServer server(InetAddress address, int port, Function<RecordedRequest, MockResponse> answer) {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(NoDelayServerSockets.INSTANCE);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        try {
            server.start(address, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /** Starts a server that answers 200 with {@code body}. */
    static MockWebServer ok(String body) {
        return server(r -> response(200, body));
    }

    /** Starts a server that answers {@code code} with {@code body}. */
    static MockWebServer answering(int code, String body) {
        return server(r -> response(code, body));
    }

    /** Starts a server that reads each request and never answers. */
    static MockWebServer stalling() {
        return server(r -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    }

    static MockResponse response(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }

    /** Returns the base URL of a server, {@code http://127.0.0.1:<port>/}. */
    static HttpUrl base(MockWebServer server) {
        return new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(server.getPort()).build();
    }

    /** Returns a base URL whose port nothing listens on: connecting is refused. */
    static HttpUrl closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(socket.getLocalPort()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetAddress loopback() {
        return address("127.0.0.1");
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the condition holds, checking every 10 ms, and fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until the supplier gives the expected value, then returns it. */
    static <T> T awaitValue(String what, Duration timeout, Supplier<T> value, T expected) {
        await(what + " to be " + expected, timeout, () -> expected.equals(value.get()));
        return value.get();
    }

    /**
     * Server sockets whose connections send at once (TCP_NODELAY): without it every response waits
     * ~40 ms for the client's delayed ACK (Nagle), and sequential calls crawl.
     */
    static final class NoDelayServerSockets extends ServerSocketFactory {
        static final NoDelayServerSockets INSTANCE = new NoDelayServerSockets();

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return bound(new InetSocketAddress(port), 50);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return bound(new InetSocketAddress(port), backlog);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return bound(new InetSocketAddress(address, port), backlog);
        }

        private ServerSocket bound(InetSocketAddress address, int backlog) throws IOException {
            ServerSocket socket = createServerSocket();
            socket.bind(address, backlog);
            return socket;
        }
    }

    /** A one-shot body that counts how often it was written. */
    static final class OneShotBody extends RequestBody {
        final AtomicInteger writes = new AtomicInteger();
        private final String content;

        OneShotBody(String content) {
            this.content = content;
        }

        @Override
        public MediaType contentType() {
            return MediaType.get("text/plain");
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            writes.incrementAndGet();
            sink.writeUtf8(content);
        }

        @Override
        public boolean isOneShot() {
            return true;
        }
    }
}
