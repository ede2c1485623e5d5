package io.smartqueryrouter.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting TCP proxy for tests: it listens on {@code 127.0.0.1} and forwards every
 * connection to one target {@code host:port}. While it runs, a test can switch faults on and
 * off; each switch takes effect at once on the open connections and on new ones:
 *
 * <ul>
 *   <li>{@link #delayUpstream(Duration)} / {@link #delayDownstream(Duration)}: every chunk read
 *       from one side is written to the other side at its arrival time plus the delay, in order.
 *       Chunks are pipelined, so a delay adds latency without capping throughput (like
 *       {@code tc netem delay}, not like a stop-and-wait link).</li>
 *   <li>{@link #blackHole()}: connections are accepted and read, but nothing is forwarded either
 *       way, so callers hang until their own timeout (a network partition that drops packets).</li>
 *   <li>{@link #resetConnections()}: every open connection is reset (RST, through
 *       {@code SO_LINGER 0}) and every new one is reset as soon as it is accepted.</li>
 *   <li>{@link #refuse()}: the listening socket is closed, so connects fail with
 *       {@link java.net.ConnectException}; open connections go on.</li>
 *   <li>{@link #restore()}: back to a transparent proxy on the same port.</li>
 * </ul>
 *
 * <p>All threads are daemon threads whose names start with {@code tcp-proxy[<name>]}; {@link
 * #close()} stops all of them and closes every socket. Thread-safe.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.builder("127.0.0.1", db.port()).name("pg-primary").start()) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/app";
 *     proxy.delayDownstream(Duration.ofMillis(200));   // the node turns slow
 *     proxy.blackHole();                              // the node stops answering
 *     proxy.restore();                                // back to normal
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    /** The fault a proxy currently injects besides its delays. */
    public enum Fault {
        /** Bytes flow (after the configured delays, if any). */
        NONE,
        /** Connections are accepted and read; nothing is forwarded either way. */
        BLACK_HOLE,
        /** Open connections were reset; new ones are reset at once. */
        RESET,
        /** The listening socket is closed: connects are refused. */
        REFUSE
    }

    private static final System.Logger LOG = System.getLogger(TcpProxy.class.getName());
    private static final String LOOPBACK = "127.0.0.1";
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Bounds the bytes held per direction (64 MiB) so a slow reader pushes back on the sender. */
    private static final int MAX_QUEUED_CHUNKS = 1024;
    private static final Duration CLOSE_JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final String targetHost;
    private final int targetPort;
    private final int connectTimeoutMillis;
    private final int port;
    private final String threadPrefix;

    private final Object lock = new Object();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong bytesUpstream = new AtomicLong();
    private final AtomicLong bytesDownstream = new AtomicLong();

    private volatile long upstreamDelayNanos;
    private volatile long downstreamDelayNanos;
    private volatile Fault fault = Fault.NONE;
    private volatile boolean closed;
    /** Guarded by {@link #lock}; null while refusing or closed. */
    private ServerSocket listener;
    /** Guarded by {@link #lock}; the thread accepting on {@link #listener}. */
    private Thread acceptor;

    private TcpProxy(Builder builder) {
        this.name = builder.name != null ? builder.name : builder.targetHost + ":" + builder.targetPort;
        this.targetHost = builder.targetHost;
        this.targetPort = builder.targetPort;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, builder.connectTimeout.toMillis());
        this.upstreamDelayNanos = builder.upstreamDelay.toNanos();
        this.downstreamDelayNanos = builder.downstreamDelay.toNanos();
        this.threadPrefix = "tcp-proxy[" + name + "]";
        try {
            this.listener = listen(builder.listenPort);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "TcpProxy '" + name + "': cannot listen on " + LOOPBACK + ":" + builder.listenPort + ": " + e.getMessage(), e);
        }
        this.port = listener.getLocalPort();
        synchronized (lock) {
            startAcceptor(listener);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "TcpProxy '" + name + "' listening on " + LOOPBACK + ":" + port
                + ", forwarding to " + targetHost + ":" + targetPort);
    }

    /**
     * Starts building a proxy to {@code targetHost:targetPort}.
     *
     * @param targetHost the host the proxy connects to for each accepted connection; resolved
     *     at every connect
     * @param targetPort the port the proxy connects to, 1..65535
     * @return a builder with an ephemeral listen port, no delays, a 5 s connect timeout
     * @throws IllegalArgumentException if the host is blank or the port is out of range
     * @throws NullPointerException if {@code targetHost} is null
     */
    public static Builder builder(String targetHost, int targetPort) {
        return new Builder(targetHost, targetPort);
    }

    /**
     * Starts building a proxy to {@code target}.
     *
     * @param target the address the proxy connects to for each accepted connection
     * @return a builder with an ephemeral listen port, no delays, a 5 s connect timeout
     * @throws IllegalArgumentException if the port of {@code target} is 0
     * @throws NullPointerException if {@code target} is null
     */
    public static Builder builder(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        return new Builder(target.getHostString(), target.getPort());
    }

    /**
     * Returns the name given to the builder (by default the target {@code host:port}); thread
     * names start with {@code tcp-proxy[<name>]}.
     *
     * @return the name of this proxy
     */
    public String name() {
        return name;
    }

    /**
     * Returns the host clients connect to: always {@code 127.0.0.1}.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return LOOPBACK;
    }

    /**
     * Returns the port this proxy listens on; it stays the same across {@link #refuse()} and
     * {@link #restore()}.
     *
     * @return the listen port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the address clients connect to.
     *
     * @return {@code 127.0.0.1:}{@link #port()}
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /**
     * Returns the address the proxy forwards to (unresolved: it is resolved at every connect).
     *
     * @return the target {@code host:port}
     */
    public InetSocketAddress target() {
        return InetSocketAddress.createUnresolved(targetHost, targetPort);
    }

    /**
     * Sets the delay added to every chunk going from clients to the target. It applies to the
     * bytes that arrive from now on, on open and new connections; bytes already waiting keep
     * their schedule, and order is always kept.
     *
     * @param delay the added one-way latency; {@link Duration#ZERO} switches it off
     * @return this proxy
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException if {@code delay} is null
     */
    public TcpProxy delayUpstream(Duration delay) {
        upstreamDelayNanos = checkDelay("delayUpstream", delay);
        return this;
    }

    /**
     * Sets the delay added to every chunk going from the target back to clients. Same rules as
     * {@link #delayUpstream(Duration)}.
     *
     * @param delay the added one-way latency; {@link Duration#ZERO} switches it off
     * @return this proxy
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException if {@code delay} is null
     */
    public TcpProxy delayDownstream(Duration delay) {
        downstreamDelayNanos = checkDelay("delayDownstream", delay);
        return this;
    }

    /**
     * Sets the same delay in both directions, so a round trip takes {@code 2 * delay} longer.
     *
     * @param delay the added one-way latency; {@link Duration#ZERO} switches it off
     * @return this proxy
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException if {@code delay} is null
     */
    public TcpProxy delay(Duration delay) {
        long nanos = checkDelay("delay", delay);
        upstreamDelayNanos = nanos;
        downstreamDelayNanos = nanos;
        return this;
    }

    /**
     * Returns the current client-to-target delay.
     *
     * @return the delay set by {@link #delayUpstream(Duration)}, zero by default
     */
    public Duration upstreamDelay() {
        return Duration.ofNanos(upstreamDelayNanos);
    }

    /**
     * Returns the current target-to-client delay.
     *
     * @return the delay set by {@link #delayDownstream(Duration)}, zero by default
     */
    public Duration downstreamDelay() {
        return Duration.ofNanos(downstreamDelayNanos);
    }

    /**
     * Black-holes all traffic: connections (open and new) are accepted and read, but no byte and
     * no close is forwarded either way, so a caller hangs until its own timeout. A connection
     * that lost bytes or was opened while black-holed cannot go on intact and is reset when the
     * black hole ends; a connection that sent nothing meanwhile (an idle pooled connection) works
     * again afterwards.
     *
     * @return this proxy
     * @throws IllegalStateException if the proxy is closed
     * @throws UncheckedIOException if the proxy was refusing and cannot listen on its port again
     */
    public TcpProxy blackHole() {
        synchronized (lock) {
            switchFault(Fault.BLACK_HOLE);
        }
        return this;
    }

    /**
     * Resets every open connection (the client sees "connection reset") and, until {@link
     * #restore()}, resets each new connection as soon as it is accepted.
     *
     * @return this proxy
     * @throws IllegalStateException if the proxy is closed
     * @throws UncheckedIOException if the proxy was refusing and cannot listen on its port again
     */
    public TcpProxy resetConnections() {
        synchronized (lock) {
            switchFault(Fault.RESET);
            for (Connection connection : connections) {
                connection.abort();
            }
        }
        return this;
    }

    /**
     * Closes the listening socket, so new connects are refused ({@link java.net.ConnectException})
     * as by a server that is down; open connections go on. {@link #restore()} listens again on the
     * same port.
     *
     * @return this proxy
     * @throws IllegalStateException if the proxy is closed
     */
    public TcpProxy refuse() {
        synchronized (lock) {
            switchFault(Fault.REFUSE);
        }
        return this;
    }

    /**
     * Makes the proxy transparent again: no delay, no fault, listening on the same port. Ending a
     * black hole resets the connections that lost bytes to it.
     *
     * @return this proxy
     * @throws IllegalStateException if the proxy is closed
     * @throws UncheckedIOException if the proxy was refusing and cannot listen on its port again
     *     (another process took it)
     */
    public TcpProxy restore() {
        synchronized (lock) {
            switchFault(Fault.NONE);
            upstreamDelayNanos = 0;
            downstreamDelayNanos = 0;
        }
        return this;
    }

    /**
     * Returns the fault in force.
     *
     * @return {@link Fault#NONE} unless a fault method was called since the last {@link #restore()}
     */
    public Fault fault() {
        return fault;
    }

    /**
     * Returns how many connections the proxy accepted since it started, including those it reset
     * at once or black-holed.
     *
     * @return the number of accepted connections
     */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /**
     * Returns how many accepted connections are still open.
     *
     * @return the number of open connections
     */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Returns how many bytes the proxy forwarded from clients to the target (dropped bytes do not
     * count).
     *
     * @return bytes written to the target
     */
    public long bytesUpstream() {
        return bytesUpstream.get();
    }

    /**
     * Returns how many bytes the proxy forwarded from the target to clients (dropped bytes do not
     * count).
     *
     * @return bytes written to clients
     */
    public long bytesDownstream() {
        return bytesDownstream.get();
    }

    /**
     * Stops the proxy: closes the listening socket and every connection, and waits (up to 5 s)
     * until all its threads have ended. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closeListener();
        }
        for (Connection connection : connections) {
            connection.close();
        }
        long deadline = System.nanoTime() + CLOSE_JOIN_TIMEOUT.toNanos();
        boolean interrupted = false;
        while (!threads.isEmpty() && System.nanoTime() < deadline) {
            for (Thread thread : List.copyOf(threads)) {
                if (thread == Thread.currentThread()) {
                    threads.remove(thread);
                    continue;
                }
                thread.interrupt();
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (!threads.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "TcpProxy '" + name + "': " + threads.size()
                    + " threads still running " + CLOSE_JOIN_TIMEOUT + " after close");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Describes the proxy: name, listen port, target, fault and delays.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + LOOPBACK + ":" + port + " -> " + targetHost + ":" + targetPort
                + ", fault=" + fault + ", delayUpstream=" + upstreamDelay() + ", delayDownstream=" + downstreamDelay()
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------

    private long checkDelay(String field, Duration delay) {
        Objects.requireNonNull(delay, field);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("TcpProxy '" + name + "': " + field + " must be >= 0, but was " + delay);
        }
        return delay.toNanos();
    }

    /** Called with {@link #lock} held. */
    private void switchFault(Fault next) {
        if (closed) {
            throw new IllegalStateException("TcpProxy '" + name + "' is closed");
        }
        Fault previous = fault;
        if (next == Fault.REFUSE) {
            closeListener();
        } else if (listener == null) {
            try {
                listener = listen(port);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "TcpProxy '" + name + "': cannot listen on " + LOOPBACK + ":" + port + " again: " + e.getMessage(), e);
            }
            startAcceptor(listener);
        }
        fault = next;
        if (previous == Fault.BLACK_HOLE && next != Fault.BLACK_HOLE) {
            // Their streams have a hole in them: going on would hand corrupt data to both ends.
            for (Connection connection : connections) {
                if (connection.damaged) {
                    connection.abort();
                }
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "TcpProxy '" + name + "': " + previous + " -> " + next);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // the accepted connections of the previous listener may still hold the port
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 128);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Called with {@link #lock} held. */
    private void closeListener() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
        if (acceptor != null && acceptor != Thread.currentThread()) {
            // The JDK defers closing the file descriptor of a socket a thread is blocked on until
            // that thread leaves accept(): until then the kernel still completes connects.
            try {
                acceptor.join(CLOSE_JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (acceptor.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "TcpProxy '" + name + "': accept thread still running "
                        + CLOSE_JOIN_TIMEOUT + " after the listening socket was closed");
            }
        }
        acceptor = null;
    }

    /** Called with {@link #lock} held, or from the constructor. */
    private void startAcceptor(ServerSocket socket) {
        acceptor = startThread("accept", () -> acceptLoop(socket));
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "TcpProxy '" + name + "': accept failed", e);
                }
                continue;
            }
            connectionsAccepted.incrementAndGet();
            if (closed || fault == Fault.RESET) {
                reset(client);
                continue;
            }
            Connection connection = new Connection(connectionIds.incrementAndGet(), client);
            connections.add(connection);
            // re-read after publishing: resetConnections() and close() either see it or we see them
            if (closed || fault == Fault.RESET) {
                connection.abort();
                continue;
            }
            connection.start();
        }
    }

    private Thread startThread(String suffix, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, threadPrefix + " " + suffix);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort; the socket is gone either way
        }
    }

    /** One byte chunk and the time it may be forwarded. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END_OF_STREAM = new Chunk(new byte[0], 0);

    /** One accepted client connection and its connection to the target. */
    private final class Connection {
        private final long id;
        private final Socket client;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicInteger directionsDone = new AtomicInteger();
        private final List<Thread> pumps = new ArrayList<>(4);
        private volatile Socket server;
        /** True once a byte or a close was dropped, or if there is no target connection. */
        private volatile boolean damaged;

        Connection(long id, Socket client) {
            this.id = id;
            this.client = client;
        }

        void start() {
            synchronized (this) {
                if (!finished.get()) {
                    pumps.add(startThread("#" + id + " client->target", this::run));
                }
            }
        }

        private void run() {
            try {
                client.setTcpNoDelay(true);
                if (fault == Fault.BLACK_HOLE) {
                    damaged = true;
                    discard(client.getInputStream());
                    return;
                }
                Socket target = new Socket();
                server = target;
                if (finished.get()) {
                    closeQuietly(target);
                    return;
                }
                target.setTcpNoDelay(true);
                target.connect(new InetSocketAddress(targetHost, targetPort), connectTimeoutMillis);
            } catch (IOException e) {
                // the target is down: the client sees its connection reset, the nearest thing to a refusal
                LOG.log(System.Logger.Level.DEBUG, () -> "TcpProxy '" + name + "' #" + id + ": " + e);
                abort();
                return;
            }
            BlockingQueue<Chunk> up = new LinkedBlockingQueue<>(MAX_QUEUED_CHUNKS);
            BlockingQueue<Chunk> down = new LinkedBlockingQueue<>(MAX_QUEUED_CHUNKS);
            synchronized (this) {
                if (finished.get()) {
                    return;
                }
                pumps.add(startThread("#" + id + " write target", () -> write(up, server, bytesUpstream)));
                pumps.add(startThread("#" + id + " target->client", () -> read(server, down, true)));
                pumps.add(startThread("#" + id + " write client", () -> write(down, client, bytesDownstream)));
            }
            read(client, up, false);
        }

        private void discard(InputStream in) throws IOException {
            byte[] buffer = new byte[CHUNK_BYTES];
            while (in.read(buffer) >= 0) {
                // a black hole swallows everything
            }
        }

        private void read(Socket from, BlockingQueue<Chunk> queue, boolean downstream) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (fault == Fault.BLACK_HOLE) {
                        damaged = true;
                        if (n < 0) {
                            return;
                        }
                        continue;
                    }
                    if (n < 0) {
                        queue.put(END_OF_STREAM);
                        return;
                    }
                    long delay = downstream ? downstreamDelayNanos : upstreamDelayNanos;
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delay));
                }
            } catch (IOException e) {
                abort();
            } catch (InterruptedException e) {
                // only close() and abort() interrupt a pump: the connection is going away
                abort();
            }
        }

        private void write(BlockingQueue<Chunk> queue, Socket to, AtomicLong counter) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == END_OF_STREAM) {
                        if (fault == Fault.BLACK_HOLE) {
                            damaged = true;
                            return;
                        }
                        to.shutdownOutput();
                        directionDone();
                        return;
                    }
                    long wait;
                    while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (fault == Fault.BLACK_HOLE) {
                        damaged = true;
                        continue;
                    }
                    out.write(chunk.bytes());
                    counter.addAndGet(chunk.bytes().length);
                }
            } catch (IOException e) {
                abort();
            } catch (InterruptedException e) {
                // only close() and abort() interrupt a pump: the connection is going away
                abort();
            }
        }

        private void directionDone() {
            if (directionsDone.incrementAndGet() == 2) {
                close();
            }
        }

        /** Resets both sockets, so each peer sees "connection reset". */
        void abort() {
            if (finish()) {
                reset(client);
                Socket target = server;
                if (target != null) {
                    reset(target);
                }
            }
        }

        /** Closes both sockets in the ordinary way. */
        void close() {
            if (finish()) {
                closeQuietly(client);
                Socket target = server;
                if (target != null) {
                    closeQuietly(target);
                }
            }
        }

        private boolean finish() {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            connections.remove(this);
            synchronized (this) {
                for (Thread pump : pumps) {
                    if (pump != Thread.currentThread()) {
                        pump.interrupt();
                    }
                }
            }
            return true;
        }
    }

    /**
     * Builds a {@link TcpProxy}; every setter checks its argument at once.
     */
    public static final class Builder {
        private final String targetHost;
        private final int targetPort;
        private String name;
        private int listenPort;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration upstreamDelay = Duration.ZERO;
        private Duration downstreamDelay = Duration.ZERO;

        private Builder(String targetHost, int targetPort) {
            Objects.requireNonNull(targetHost, "targetHost");
            if (targetHost.isBlank()) {
                throw new IllegalArgumentException("TcpProxy builder: targetHost must not be blank, but was '" + targetHost + "'");
            }
            if (targetPort < 1 || targetPort > 65535) {
                throw new IllegalArgumentException("TcpProxy builder: targetPort must be in 1..65535, but was " + targetPort);
            }
            this.targetHost = targetHost;
            this.targetPort = targetPort;
        }

        /**
         * Names the proxy, for its threads, logs and messages.
         *
         * @param name a non-blank name; default the target {@code host:port}
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         * @throws NullPointerException if {@code name} is null
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("TcpProxy builder: name must not be blank, but was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets the port to listen on.
         *
         * @param listenPort 1..65535, or 0 (the default) for a free ephemeral port
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder listenPort(int listenPort) {
            if (listenPort < 0 || listenPort > 65535) {
                throw new IllegalArgumentException("TcpProxy builder: listenPort must be in 0..65535, but was " + listenPort);
            }
            this.listenPort = listenPort;
            return this;
        }

        /**
         * Sets how long the proxy waits to connect to the target for each accepted connection;
         * when it cannot, it resets the client connection.
         *
         * @param connectTimeout a positive duration; default 5 s
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws NullPointerException if null
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() == 0) {
                throw new IllegalArgumentException("TcpProxy builder: connectTimeout must be >= 1 ms, but was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the initial client-to-target delay; see {@link TcpProxy#delayUpstream(Duration)}.
         *
         * @param delay zero (the default) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws NullPointerException if null
         */
        public Builder delayUpstream(Duration delay) {
            this.upstreamDelay = checkBuilderDelay("delayUpstream", delay);
            return this;
        }

        /**
         * Sets the initial target-to-client delay; see {@link TcpProxy#delayDownstream(Duration)}.
         *
         * @param delay zero (the default) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws NullPointerException if null
         */
        public Builder delayDownstream(Duration delay) {
            this.downstreamDelay = checkBuilderDelay("delayDownstream", delay);
            return this;
        }

        private static Duration checkBuilderDelay(String field, Duration delay) {
            Objects.requireNonNull(delay, field);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("TcpProxy builder: " + field + " must be >= 0, but was " + delay);
            }
            return delay;
        }

        /**
         * Binds the listening socket on {@code 127.0.0.1} and starts forwarding.
         *
         * @return the running proxy; close it when done
         * @throws UncheckedIOException if the port cannot be bound
         */
        public TcpProxy start() {
            return new TcpProxy(this);
        }
    }
}
