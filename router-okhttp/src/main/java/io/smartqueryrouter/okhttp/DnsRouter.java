package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.okhttp.internal.Urls;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import okhttp3.Dns;

/**
 * A {@code Router<InetAddress>} over the addresses of one host, kept in step with its DNS records:
 * the nodes are the addresses DNS gives (node id: the address as text, such as {@code 10.0.0.7}),
 * looked up again every {@link Builder#refreshInterval refresh interval}; an address that appears
 * joins the router, one that disappears leaves it (calls in flight on it finish normally). Use it
 * with {@link RoutingInterceptor.Builder#pin(DnsRouter)}:
 *
 * <pre>{@code
 * DnsRouter api = DnsRouter.builder("api.example.com")
 *     .refreshInterval(Duration.ofSeconds(30))
 *     .router(r -> r.healthCheck(HealthCheck.of(HttpHealthProbe.get(HttpUrl.get("https://api.example.com/health")))))
 *     .build();
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(RoutingInterceptor.builder().pin(api).build())
 *     .build();
 * }</pre>
 *
 * <p>A lookup that fails or returns no address changes nothing (a DNS hiccup must not empty the
 * router); it is logged at WARNING and tried again at the next refresh. The refresh schedule reads
 * the router's {@link Ticker}. The helper owns the router's membership: do not add or remove nodes
 * yourself. {@link #close()} stops refreshing and closes the router. Thread-safe.
 */
public final class DnsRouter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsRouter.class.getName());
    /** Longest the refresher sleeps on a ticker other than the system one, so a fake ticker that jumps is noticed. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final String host;
    private final Dns dns;
    private final Duration refreshInterval;
    private final Router<InetAddress> router;
    private final Object refreshLock = new Object();
    private final Thread refresher;
    private volatile boolean closed;

    private DnsRouter(Builder b) throws UnknownHostException {
        this.host = b.host;
        this.dns = b.dns;
        this.refreshInterval = b.refreshInterval;
        Map<String, InetAddress> initial = lookup();
        RouterBuilder<InetAddress> rb = Router.builder(b.name != null ? b.name : host);
        b.customizer.accept(rb);
        initial.forEach((id, address) -> rb.node(Node.of(id, address)));
        this.router = rb.build();
        long firstRefresh = router.ticker().read() + refreshInterval.toNanos();
        this.refresher = new Thread(() -> refreshPeriodically(firstRefresh), "smartqueryrouter-dns-" + router.name());
        refresher.setDaemon(true);
        refresher.start();
    }

    /**
     * Returns a builder for the addresses of {@code host}.
     *
     * @param host a bare host name, without scheme, port or path (any case)
     * @return a builder with a 30 s refresh interval, the system resolver and the router's defaults
     * @throws IllegalArgumentException if {@code host} is not a bare host name
     */
    public static Builder builder(String host) {
        return new Builder(Urls.canonicalHost("dnsRouter.host", host));
    }

    /** {@return the host, in canonical (lower-case) form} */
    public String host() {
        return host;
    }

    /** {@return the router; its nodes follow DNS, one per address, with the address as id} */
    public Router<InetAddress> router() {
        return router;
    }

    /** {@return the time between two lookups (default 30 s)} */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /**
     * Looks the host up now and brings the router's nodes in step: new addresses are added first,
     * then vanished ones removed, so the router is never empty on the way.
     *
     * @throws UnknownHostException if the lookup failed or gave no address; the nodes are unchanged
     * @throws IllegalStateException if closed
     */
    public void refresh() throws UnknownHostException {
        if (closed) {
            throw new IllegalStateException("dnsRouter '" + router.name() + "' is closed");
        }
        synchronized (refreshLock) {
            Map<String, InetAddress> found = lookup();
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<String> present = router.nodes().stream().map(Node::id).toList();
            found.forEach((id, address) -> {
                if (!present.contains(id)) {
                    router.addNode(Node.of(id, address));
                    added.add(id);
                }
            });
            for (String id : present) {
                if (!found.containsKey(id) && router.removeNode(id)) {
                    removed.add(id);
                }
            }
            if (!added.isEmpty() || !removed.isEmpty()) {
                LOG.log(Level.INFO, () -> "router '" + router.name() + "': DNS of " + host + " now gives "
                        + found.keySet() + (added.isEmpty() ? "" : "; added " + added)
                        + (removed.isEmpty() ? "" : "; removed " + removed));
            }
        }
    }

    private Map<String, InetAddress> lookup() throws UnknownHostException {
        List<InetAddress> addresses = dns.lookup(host);
        Map<String, InetAddress> byId = new LinkedHashMap<>();
        for (InetAddress a : addresses) {
            byId.putIfAbsent(a.getHostAddress(), a);
        }
        if (byId.isEmpty()) {
            throw new UnknownHostException(host + ": DNS gave no address");
        }
        return byId;
    }

    /**
     * Refreshes at {@code next}, {@code next + interval}, ...: the schedule starts when the router is
     * built, not when this thread happens to run.
     */
    private void refreshPeriodically(long next) {
        Ticker ticker = router.ticker();
        long interval = refreshInterval.toNanos();
        while (!closed) {
            long wait = next - ticker.read();
            if (wait > 0) {
                LockSupport.parkNanos(this, ticker == Ticker.system() ? wait : Math.min(wait, MAX_PARK_NANOS));
                if (Thread.currentThread().isInterrupted()) {
                    if (!closed) {
                        LOG.log(Level.WARNING, () -> "router '" + router.name() + "': DNS refresh of " + host
                                + " interrupted; it stops");
                    }
                    return;
                }
                continue;
            }
            try {
                refresh();
            } catch (UnknownHostException e) {
                LOG.log(Level.WARNING, () -> "router '" + router.name() + "': DNS lookup of " + host
                        + " failed, keeping " + router.nodes().size() + " nodes: " + e.getMessage());
            } catch (IllegalStateException e) {
                return; // closed meanwhile
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "router '" + router.name() + "': DNS refresh of " + host + " failed", e);
            }
            // fixed rate from the build time; after a long pause (a slow lookup, a jumping ticker) one catch-up, not a burst
            long now = ticker.read();
            next += interval;
            if (now - next >= interval) {
                next += (now - next) / interval * interval;
            }
        }
    }

    /**
     * Stops refreshing (waiting up to 5 s for a lookup in progress) and closes the router. Idempotent.
     * If the calling thread is interrupted while waiting, it stops waiting and keeps its interrupt flag.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(refresher);
        try {
            refresher.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            router.close();
        }
    }

    @Override
    public String toString() {
        return "DnsRouter[" + host + ", every " + refreshInterval + ", " + router + "]";
    }

    /** Builds a {@link DnsRouter}; each setter validates at once. */
    public static final class Builder {
        private final String host;
        private String name;
        private Dns dns = Dns.SYSTEM;
        private Duration refreshInterval = Duration.ofSeconds(30);
        private Consumer<RouterBuilder<InetAddress>> customizer = r -> {
        };

        private Builder(String host) {
            this.host = host;
        }

        /**
         * Sets the router's name (default: the host, which must then be a valid router name).
         *
         * @param name the router's name, as shown in snapshots, logs and metrics
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "dnsRouter.name must not be null");
            return this;
        }

        /**
         * Sets the resolver (default {@link Dns#SYSTEM}, which follows the JVM's DNS cache TTL).
         *
         * @param dns looks the host up on every refresh
         * @return this builder
         * @throws NullPointerException if {@code dns} is null
         */
        public Builder dns(Dns dns) {
            this.dns = Objects.requireNonNull(dns, "dnsRouter.dns must not be null");
            return this;
        }

        /**
         * Sets the time between two lookups (default 30 s).
         *
         * @param interval the time between two lookups, at least 1 s
         * @return this builder
         * @throws IllegalArgumentException if shorter than 1 s
         * @throws NullPointerException if {@code interval} is null
         */
        public Builder refreshInterval(Duration interval) {
            Objects.requireNonNull(interval, "dnsRouter.refreshInterval must not be null");
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("dnsRouter.refreshInterval must be >= 1s, but was " + interval);
            }
            this.refreshInterval = interval;
            return this;
        }

        /**
         * Configures the router before it is built: policy, health check, retry, ticker, listeners.
         * Do not add nodes here; they come from DNS.
         *
         * @param customizer called once, by {@link #build()}, with the router's builder before its nodes are added
         * @return this builder
         * @throws NullPointerException if {@code customizer} is null
         */
        public Builder router(Consumer<RouterBuilder<InetAddress>> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "dnsRouter.router must not be null");
            return this;
        }

        /**
         * Looks the host up, builds the router over its addresses and starts refreshing.
         *
         * @return the DNS router, refreshing on a daemon thread of its own; close it when done
         * @throws UnknownHostException if the first lookup fails or gives no address
         * @throws IllegalArgumentException if the router's name is not valid, or the customizer added a node
         *     with an address's id
         */
        public DnsRouter build() throws UnknownHostException {
            return new DnsRouter(this);
        }
    }
}
