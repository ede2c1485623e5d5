package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.okhttp.internal.PinnedDns;
import io.smartqueryrouter.okhttp.internal.Urls;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A health probe that sends {@code GET} or {@code HEAD} to each node and calls it healthy when the
 * answer's status code is a 2xx (or one of {@link #healthyCodes the codes you choose}).
 *
 * <pre>{@code
 * HealthCheck.of(HttpHealthProbe.get("/health"))                                      // base-URL nodes
 * HealthCheck.of(HttpHealthProbe.get(HttpUrl.get("https://api.example.com/health")))  // address nodes
 *     .interval(Duration.ofSeconds(2)).timeout(Duration.ofMillis(500))
 * }</pre>
 *
 * <p>For {@link HttpUrl} nodes (the {@link RoutingInterceptor#builder() route} mode) the path is
 * appended to the node's base URL, exactly as a routed request's path is. For {@link InetAddress}
 * nodes (the {@code pin} mode) the probe asks the given URL and pins its host to the node's address,
 * so TLS and hostname verification are those of the real host.
 *
 * <p>Probes run on their own {@link OkHttpClient}, derived from the application's client when one is
 * given with {@link #client(OkHttpClient)} (so TLS, proxy and DNS settings carry over) with: the
 * health check's timeout as connect, read, write and call timeout; its own connection pool; no
 * cache; no redirects (a 3xx is not healthy); and no {@link RoutingInterceptor}. A probe that times
 * out or cannot connect is unhealthy, with the reason as detail. Details carry the method and
 * {@code scheme://host:port/path}, never a query or user info.
 *
 * <p>An immutable value: every {@code with}-style method returns a copy. Thread-safe.
 *
 * @param <E> the endpoint type: {@link HttpUrl} base URLs or {@link InetAddress}es
 */
public final class HttpHealthProbe<E> implements HealthProbe<E> {
    private static final int MAX_IDLE_CONNECTIONS = 5;

    private final String method;
    private final Target<E> target;
    private final OkHttpClient base;
    private final int[] healthyCodes;
    private final Headers headers;
    private final AtomicReference<ProbeClient> client = new AtomicReference<>();

    private record ProbeClient(Duration timeout, OkHttpClient client) {
    }

    private HttpHealthProbe(String method, Target<E> target, OkHttpClient base, int[] healthyCodes, Headers headers) {
        this.method = method;
        this.target = target;
        this.base = base;
        this.healthyCodes = healthyCodes;
        this.headers = headers;
    }

    /**
     * Returns a probe that sends {@code GET path} to each base-URL node, the path appended to the
     * node's base path.
     *
     * @param path starts with '/', may carry a query
     * @return a probe for base-URL nodes, healthy on any 2xx
     * @throws IllegalArgumentException if the path does not start with '/' or is not a valid URL path
     */
    public static HttpHealthProbe<HttpUrl> get(String path) {
        return new HttpHealthProbe<>("GET", new BaseTarget(template(path)), null, null, Headers.of());
    }

    /**
     * {@return a probe that sends {@code HEAD path} to each base-URL node; see {@link #get(String)}}
     *
     * @param path starts with '/', may carry a query
     * @throws IllegalArgumentException if the path does not start with '/' or is not a valid URL path
     */
    public static HttpHealthProbe<HttpUrl> head(String path) {
        return new HttpHealthProbe<>("HEAD", new BaseTarget(template(path)), null, null, Headers.of());
    }

    /**
     * Returns a probe that sends {@code GET url} with the url's host pinned to each address node.
     *
     * @param url the full URL to ask; its host is pinned to each node's address, so TLS and
     *     hostname verification are those of the real host
     * @return a probe for address nodes, healthy on any 2xx
     * @throws NullPointerException if {@code url} is null
     */
    public static HttpHealthProbe<InetAddress> get(HttpUrl url) {
        return new HttpHealthProbe<>("GET", new PinnedTarget(Objects.requireNonNull(url, "httpHealthProbe.url")),
                null, null, Headers.of());
    }

    /**
     * {@return a probe that sends {@code HEAD url} with the url's host pinned to each address node}
     *
     * @param url the full URL to probe; see {@link #get(HttpUrl)}
     * @throws NullPointerException if {@code url} is null
     */
    public static HttpHealthProbe<InetAddress> head(HttpUrl url) {
        return new HttpHealthProbe<>("HEAD", new PinnedTarget(Objects.requireNonNull(url, "httpHealthProbe.url")),
                null, null, Headers.of());
    }

    private static HttpUrl template(String path) {
        Objects.requireNonNull(path, "httpHealthProbe.path must not be null");
        HttpUrl url = path.startsWith("/") ? HttpUrl.parse("http://probe.invalid" + path) : null;
        if (url == null) {
            int query = path.indexOf('?');
            throw new IllegalArgumentException("httpHealthProbe.path must be a URL path starting with '/', but was '"
                    + (query >= 0 ? path.substring(0, query) + "?..." : path) + "'");
        }
        return url;
    }

    /**
     * Returns a copy whose probes use the settings of the application's client (TLS, proxy, DNS,
     * event listeners, other interceptors), as described in the class documentation.
     *
     * @param client the application's client; the probe derives its own from it and does not change it
     * @return a copy using the client's settings; this probe is unchanged
     * @throws NullPointerException if {@code client} is null
     */
    public HttpHealthProbe<E> client(OkHttpClient client) {
        Objects.requireNonNull(client, "httpHealthProbe.client must not be null");
        return new HttpHealthProbe<>(method, target, client, healthyCodes, headers);
    }

    /**
     * Returns a copy that calls a node healthy only on these status codes (default: any 2xx).
     *
     * @param codes the status codes that mean healthy, in any order
     * @return a copy with these codes; this probe is unchanged
     * @throws NullPointerException if {@code codes} is null
     * @throws IllegalArgumentException if no code is given or a code is outside [100, 599]
     */
    public HttpHealthProbe<E> healthyCodes(int... codes) {
        Objects.requireNonNull(codes, "httpHealthProbe.healthyCodes must not be null");
        if (codes.length == 0) {
            throw new IllegalArgumentException("httpHealthProbe.healthyCodes must not be empty");
        }
        for (int c : codes) {
            if (c < 100 || c > 599) {
                throw new IllegalArgumentException("httpHealthProbe.healthyCodes must be in [100, 599], but was " + c);
            }
        }
        int[] sorted = codes.clone();
        Arrays.sort(sorted);
        return new HttpHealthProbe<>(method, target, base, sorted, headers);
    }

    /**
     * Returns a copy that sends this header with every probe (a token the health endpoint wants, say;
     * header values are never logged).
     *
     * @param name the header's name
     * @param value the header's value; added to any earlier value of the same name
     * @return a copy with the header; this probe is unchanged
     * @throws NullPointerException if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if the name or value is not a valid header
     */
    public HttpHealthProbe<E> header(String name, String value) {
        Objects.requireNonNull(name, "httpHealthProbe.header name must not be null");
        Objects.requireNonNull(value, () -> "httpHealthProbe.header '" + name + "' must not have a null value");
        return new HttpHealthProbe<>(method, target, base, healthyCodes, headers.newBuilder().add(name, value).build());
    }

    /** {@return the method, {@code GET} or {@code HEAD}} */
    public String method() {
        return method;
    }

    /**
     * Probes the node once.
     *
     * @throws InterruptedException if the thread was interrupted (its flag is then cleared, as the
     *     exception says it all)
     */
    @Override
    public ProbeResult probe(Node<E> node, Duration timeout) throws InterruptedException {
        Request request = target.request(node.endpoint()).newBuilder().headers(headers).method(method, null).build();
        String what = method + " " + Urls.describe(request.url());
        Call call = client(timeout).newCall(request);
        call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            int code = response.code();
            return healthy(code) ? ProbeResult.ok() : ProbeResult.failed(what + " answered HTTP " + code);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException(what + " was interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            return ProbeResult.failed(what + " failed: " + e);
        }
    }

    private boolean healthy(int code) {
        return healthyCodes == null ? code >= 200 && code < 300 : Arrays.binarySearch(healthyCodes, code) >= 0;
    }

    private OkHttpClient client(Duration timeout) {
        ProbeClient current = client.get();
        if (current != null && current.timeout.equals(timeout)) {
            return current.client;
        }
        OkHttpClient.Builder b = (base != null ? base : DefaultClient.INSTANCE).newBuilder()
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 1, TimeUnit.MINUTES))
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .cache(null);
        b.interceptors().removeIf(i -> i instanceof RoutingInterceptor);
        target.configure(b);
        OkHttpClient built = b.build();
        client.set(new ProbeClient(timeout, built));
        return built;
    }

    @Override
    public String toString() {
        return "HttpHealthProbe[" + method + " " + target + (healthyCodes == null ? ", 2xx" : ", "
                + Arrays.toString(healthyCodes)) + "]";
    }

    // ------------------------------------------------------------------ targets

    /** Where a probe of one node goes. */
    private interface Target<E> {
        Request request(E endpoint);

        default void configure(OkHttpClient.Builder builder) {
        }
    }

    private record BaseTarget(HttpUrl template) implements Target<HttpUrl> {
        @Override
        public Request request(HttpUrl base) {
            return new Request.Builder().url(Urls.underBase(template, base)).build();
        }

        @Override
        public String toString() {
            return "<base>" + template.encodedPath();
        }
    }

    private record PinnedTarget(HttpUrl url) implements Target<InetAddress> {
        @Override
        public Request request(InetAddress address) {
            return new Request.Builder().url(url).tag(InetAddress.class, address).build();
        }

        @Override
        public void configure(OkHttpClient.Builder builder) {
            builder.addInterceptor(chain -> {
                InetAddress address = chain.request().tag(InetAddress.class);
                return address == null ? chain.proceed(chain.request())
                        : chain.withDns(new PinnedDns(url.host(), address, chain.getDns())).proceed(chain.request());
            });
        }

        @Override
        public String toString() {
            return Urls.describe(url) + " pinned";
        }
    }

    /** The client probes derive from when the application gives none; created on first use. */
    private static final class DefaultClient {
        static final OkHttpClient INSTANCE = new OkHttpClient();
    }
}
