package io.smartqueryrouter.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local HTTP backend for the demos (the JDK's {@link HttpServer}): answers {@code /work} after
 * its current delay, {@code /health} at once, and can be killed and revived on the same port.
 */
final class DemoBackend implements AutoCloseable {
    static {
        sendSmallResponsesAtOnce();
    }

    /**
     * Turns on TCP_NODELAY for the JDK's HTTP servers: without it a response's body waits for the ACK of its headers,
     * some 40 ms of the client's delayed ACK. The JDK reads the setting once, when the first server of the JVM is
     * created, so a program that serves anything else first (the demo's metrics) calls this before.
     */
    static void sendSmallResponsesAtOnce() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final String id;
    final int port;
    private volatile long delayMillis;
    private HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "demo-backend");
        t.setDaemon(true);
        return t;
    });

    DemoBackend(String id, long delayMillis) throws IOException {
        this.id = id;
        this.delayMillis = delayMillis;
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer start(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        s.createContext("/work", exchange -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, "hello from " + id);
        });
        s.createContext("/health", exchange -> respond(exchange, "ok"));
        s.setExecutor(pool);
        s.start();
        return s;
    }

    private static void respond(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    long delayMillis() {
        return delayMillis;
    }

    void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    synchronized boolean isUp() {
        return server != null;
    }

    /** Stops answering: connections are refused. */
    synchronized void kill() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again, on the same port. */
    synchronized void revive() throws IOException {
        if (server == null) {
            server = start(port);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        kill();
        pool.shutdownNow();
    }
}
