package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
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
import okhttp3.Dns;

/**
 * Keeps the nodes of a {@code Router<InetAddress>} in step with the DNS records of one host: the
 * nodes are the addresses DNS gives (node id: the address as text, such as {@code 10.0.0.7}),
 * looked up again every {@link Builder#refreshInterval refresh interval}; an address that appears
 * joins the router, one that disappears leaves it (calls in flight on it finish normally). Like
 * every adapter it is handed a built router, which stays the caller's. Use it with
 * {@link RoutingInterceptor.Builder#pin(DnsRouter)}:
 *
 * <pre>{@code
 * Router<InetAddress> addresses = Router.<InetAddress>builder("api")
 *     .healthCheck(HealthCheck.of(HttpHealthProbe.get(HttpUrl.get("https://api.example.com/health"))))
 *     .build();
 * DnsRouter api = DnsRouter.builder("api.example.com", addresses)
 *     .refreshInterval(Duration.ofSeconds(30))
 *     .build();
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(RoutingInterceptor.builder().pin(api).build())
 *     .build();
 * // at shutdown: api.close(), then addresses.close()
 * }</pre>
 *
 * <p>It owns the router's whole membership: at build and at every refresh the nodes become exactly
 * the addresses DNS gives. A node whose id is one of those addresses is kept as it is (so a node
 * added beforehand with a weight or zone keeps them); every other node, added by anyone, is removed.
 * Do not add or remove nodes yourself. New addresses join with weight 1.
 *
 * <p>A lookup that fails or returns no address changes nothing (a DNS hiccup must not empty the
 * router); it is logged at WARNING and tried again at the next refresh. The refresh schedule reads
 * the router's {@link Ticker}. {@link #close()} stops refreshing and leaves the router open; once
 * the router is closed, refreshing stops at the next refresh. Thread-safe.
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
        this.router = b.router;
        if (router.isClosed()) {
            throw new IllegalStateException("dnsRouter '" + host + "': router '" + router.name() + "' is closed");
        }
        synchronized (refreshLock) {
            bringInStep(lookup());
        }
        long firstRefresh = router.ticker().read() + refreshInterval.toNanos();
        this.refresher = new Thread(() -> refreshPeriodically(firstRefresh), "smartqueryrouter-dns-" + host);
        refresher.setDaemon(true);
        refresher.start();
    }

    /**
     * Returns a builder that keeps the nodes of {@code router} in step with the addresses of
     * {@code host}. The router stays the caller's: closing the {@code DnsRouter} does not close it.
     *
     * @param host a bare host name such as {@code api.example.com}
     * @param router the built router whose nodes become the host's addresses
     * @return the builder
     * @throws IllegalArgumentException if {@code host} is not a bare host name
     * @throws NullPointerException if {@code router} is null
     */
    public static Builder builder(String host, Router<InetAddress> router) {
        String canonical = Urls.canonicalHost("dnsRouter.host", host);
        return new Builder(canonical, Objects.requireNonNull(router, () -> "dnsRouter '" + canonical
                + "': router must not be null"));
    }

    /**
     * Returns the host, in canonical (lower-case) form.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * Returns the router it was handed; its nodes follow DNS.
     *
     * @return the router
     */
    public Router<InetAddress> router() {
        return router;
    }

    /**
     * Returns the time between two lookups.
     *
     * @return the refresh interval
     */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /**
     * Looks the host up now and brings the router's nodes in step: new addresses are added first,
     * then vanished ones removed, so the router is never empty on the way.
     *
     * @throws UnknownHostException if the lookup failed or gave no address; the nodes are unchanged
     * @throws IllegalStateException if this or the router is closed
     */
    public void refresh() throws UnknownHostException {
        if (closed) {
            throw new IllegalStateException("dnsRouter '" + host + "' is closed");
        }
        if (router.isClosed()) {
            throw new IllegalStateException("dnsRouter '" + host + "': router '" + router.name() + "' is closed");
        }
        synchronized (refreshLock) {
            bringInStep(lookup());
        }
    }

    /** New addresses are added first, then the other nodes removed, so the router is never empty on the way. */
    private void bringInStep(Map<String, InetAddress> found) {
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
        while (!closed && !router.isClosed()) {
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
                return; // this or the router closed meanwhile
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
     * Stops refreshing (waiting up to 5 s for a lookup in progress). Does not close the router, which
     * is the caller's; its nodes stay as the last lookup left them. Idempotent. If the calling thread
     * is interrupted while waiting, it stops waiting and keeps its interrupt flag.
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
        }
    }

    @Override
    public String toString() {
        return "DnsRouter[" + host + ", every " + refreshInterval + ", " + router + "]";
    }

    /** Builds a {@link DnsRouter}; each setter validates at once. */
    public static final class Builder {
        private final String host;
        private final Router<InetAddress> router;
        private Dns dns = Dns.SYSTEM;
        private Duration refreshInterval = Duration.ofSeconds(30);

        private Builder(String host, Router<InetAddress> router) {
            this.host = host;
            this.router = router;
        }

        /**
         * Sets the resolver (default {@link Dns#SYSTEM}, which follows the JVM's DNS cache TTL).
         *
         * @param dns the resolver
         * @return this builder
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
         * Looks the host up, brings the router's nodes in step with its addresses (adding them, removing
         * every other node) and starts refreshing.
         *
         * @return the running {@code DnsRouter}; close it to stop refreshing
         * @throws UnknownHostException if the first lookup fails or gives no address; the router is unchanged
         * @throws IllegalStateException if the router is closed
         */
        public DnsRouter build() throws UnknownHostException {
            return new DnsRouter(this);
        }
    }
}
