package io.smartqueryrouter.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the {@link RoutingInterceptor} adds to a real HTTP call: the same GET against local JDK
 * HTTP servers on the loopback interface, through a plain {@code OkHttpClient} and through one
 * with the routing interceptor over a router of one node and of three nodes, in one run. Each
 * operation sends the request and reads the whole (small) body over a kept-alive connection.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OkHttpOverheadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the JDK server writes headers and body separately; with Nagle on, every call waits ~40 ms for a delayed ACK
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class OkHttpOverheadBenchmark {
    private static final byte[] BODY = "{\"id\":7,\"name\":\"item\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer[] servers = new HttpServer[3];
    private OkHttpClient plain;
    private OkHttpClient routedOne;
    private OkHttpClient routedThree;
    private Router<HttpUrl> one;
    private Router<HttpUrl> three;
    private Request plainRequest;
    private Request oneRequest;
    private Request threeRequest;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // read once, when the JDK server's configuration class loads; the fork sets it on the command line too
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpUrl[] bases = new HttpUrl[servers.length];
        for (int i = 0; i < servers.length; i++) {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            s.createContext("/api/items", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(BODY);
                }
            });
            s.setExecutor(null); // each server answers on its own dispatcher thread: the fewest hand-offs
            s.start();
            servers[i] = s;
            bases[i] = new HttpUrl.Builder().scheme("http").host(s.getAddress().getAddress().getHostAddress())
                    .port(s.getAddress().getPort()).build();
        }
        one = Router.<HttpUrl>builder("one").node(Node.of("a", bases[0])).build();
        three = Router.<HttpUrl>builder("three")
                .node(Node.of("a", bases[0])).node(Node.of("b", bases[1])).node(Node.of("c", bases[2])).build();
        plain = new OkHttpClient.Builder().build();
        routedOne = plain.newBuilder().addInterceptor(RoutingInterceptor.builder().route("one", one).build()).build();
        routedThree = plain.newBuilder().addInterceptor(RoutingInterceptor.builder().route("three", three).build()).build();
        plainRequest = new Request.Builder().url(bases[0].newBuilder().addPathSegments("api/items").addQueryParameter("id", "7").build()).build();
        oneRequest = new Request.Builder().url("http://one/api/items?id=7").build();
        threeRequest = new Request.Builder().url("http://three/api/items?id=7").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (OkHttpClient c : new OkHttpClient[] {plain, routedOne, routedThree}) {
            c.dispatcher().executorService().shutdown();
            c.connectionPool().evictAll();
        }
        one.close();
        three.close();
        for (HttpServer s : servers) {
            s.stop(0);
        }
    }

    private static int call(OkHttpClient client, Request request) throws IOException {
        try (Response r = client.newCall(request).execute()) {
            if (r.code() != 200) {
                throw new IOException("unexpected " + r.code());
            }
            return r.body().bytes().length;
        }
    }

    /** The baseline: OkHttp alone, to the first server. */
    @Benchmark
    public int plainClient() throws IOException {
        return call(plain, plainRequest);
    }

    /** Through the routing interceptor, a router of one node (the same server as the baseline). */
    @Benchmark
    public int routedOneNode() throws IOException {
        return call(routedOne, oneRequest);
    }

    /** Through the routing interceptor, a router of three nodes (three servers). */
    @Benchmark
    public int routedThreeNodes() throws IOException {
        return call(routedThree, threeRequest);
    }
}
