package io.smartqueryrouter.okhttp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;

/**
 * An HTTP server that reads each request and never answers, and notices when the client gives up:
 * a stalled node whose requests a test can see being cut (the client closes the connection).
 */
final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** One permit per request read, one per request cut. */
    final Semaphore received = new Semaphore(0);
    final Semaphore cut = new Semaphore(0);

    SilentServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "silent-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    HttpUrl base() {
        return new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(socket.getLocalPort()).build();
    }

    int requestCount() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "silent-server-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.indexOf("\r\n\r\n") >= 0) {
                    break;
                }
            }
            if (c < 0) {
                return;
            }
            requests.incrementAndGet();
            received.release();
            // read until the client closes: no answer will ever come (a GET has no body to wait for)
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                head.append(new String(buffer, StandardCharsets.ISO_8859_1));
            }
            cut.release();
        } catch (IOException e) {
            cut.release();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
