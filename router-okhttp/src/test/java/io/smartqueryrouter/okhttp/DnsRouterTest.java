package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.address;
import static io.smartqueryrouter.okhttp.TestSupport.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.testkit.FakeTicker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsRouterTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTicker ticker = new FakeTicker();
    private final AtomicReference<List<InetAddress>> answer = new AtomicReference<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile CountDownLatch lookupEntered;
    private volatile CountDownLatch lookupReleased;
    private final Dns dns = host -> {
        lookups.incrementAndGet();
        List<InetAddress> a = answer.get();
        CountDownLatch entered = lookupEntered;
        if (entered != null) {
            lookupEntered = null;
            entered.countDown();
            try {
                lookupReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException("interrupted");
            }
        }
        if (a == null) {
            throw new UnknownHostException(host + ": no such host (test)");
        }
        return a;
    };

    /** The routers the tests built and handed over: the tests' to close. */
    private final List<Router<InetAddress>> routers = new ArrayList<>();

    @AfterEach
    void closeRouters() {
        routers.forEach(Router::close);
    }

    private Router<InetAddress> router() {
        Router<InetAddress> router = Router.<InetAddress>builder("api.example.com").ticker(ticker).build();
        routers.add(router);
        return router;
    }

    private DnsRouter build() throws UnknownHostException {
        return build(router());
    }

    private DnsRouter build(Router<InetAddress> router) throws UnknownHostException {
        return DnsRouter.builder("API.example.com", router).dns(dns).refreshInterval(Duration.ofSeconds(30)).build();
    }

    private static List<String> ids(DnsRouter r) {
        return r.router().nodes().stream().map(Node::id).toList();
    }

    @Test
    void nodesAreTheAddressesOfTheHostAndFollowDnsEveryRefreshInterval() throws Exception {
        answer.set(List.of(address("127.0.0.1"), address("127.0.0.2"), address("127.0.0.1")));
        try (DnsRouter api = build()) {
            assertThat(api.host()).isEqualTo("api.example.com");
            assertThat(api.router().name()).isEqualTo("api.example.com");
            assertThat(ids(api)).containsExactly("127.0.0.1", "127.0.0.2");
            assertThat(api.router().nodes().get(1).endpoint()).isEqualTo(address("127.0.0.2"));

            answer.set(List.of(address("127.0.0.2"), address("127.0.0.3")));
            ticker.advance(Duration.ofSeconds(29));
            assertThat(lookups.get()).isEqualTo(1);
            ticker.advance(Duration.ofSeconds(1));
            awaitValue("nodes after the refresh", WAIT, () -> ids(api), List.of("127.0.0.2", "127.0.0.3"));
            assertThat(lookups.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailedOrEmptyLookupKeepsTheNodes() throws Exception {
        answer.set(List.of(address("127.0.0.1"), address("127.0.0.2")));
        try (DnsRouter api = build()) {
            answer.set(null);
            ticker.advance(Duration.ofSeconds(30));
            awaitValue("lookups", WAIT, lookups::get, 2);
            assertThat(ids(api)).containsExactly("127.0.0.1", "127.0.0.2");

            answer.set(List.of());
            ticker.advance(Duration.ofSeconds(30));
            awaitValue("lookups", WAIT, lookups::get, 3);
            assertThat(ids(api)).containsExactly("127.0.0.1", "127.0.0.2");
            assertThatThrownBy(api::refresh).isInstanceOf(UnknownHostException.class)
                    .hasMessage("api.example.com: DNS gave no address");

            answer.set(List.of(address("127.0.0.3")));
            api.refresh();
            assertThat(ids(api)).containsExactly("127.0.0.3");
        }
    }

    @Test
    void aRefreshThatFallsDueDuringASlowLookupIsNotLost() throws Exception {
        answer.set(List.of(address("127.0.0.1")));
        try (DnsRouter api = build()) {
            CountDownLatch entered = new CountDownLatch(1);
            lookupReleased = new CountDownLatch(1);
            lookupEntered = entered;
            ticker.advance(Duration.ofSeconds(30));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // the next refresh falls due while the lookup at 30 s still runs
            answer.set(List.of(address("127.0.0.2")));
            ticker.advance(Duration.ofSeconds(30));
            lookupReleased.countDown();
            awaitValue("nodes after the refresh due at 60 s", WAIT, () -> ids(api), List.of("127.0.0.2"));
            assertThat(lookups.get()).isEqualTo(3);
        }
    }

    @Test
    void theFirstLookupMustSucceed() {
        Router<InetAddress> router = router();
        assertThatThrownBy(() -> build(router)).isInstanceOf(UnknownHostException.class)
                .hasMessage("api.example.com: no such host (test)");
        assertThat(router.nodes()).isEmpty();
    }

    @Test
    void closeStopsRefreshingAndLeavesTheCallersRouterOpen() throws Exception {
        answer.set(List.of(address("127.0.0.1")));
        DnsRouter api = build();
        api.close();
        assertThat(api.router().isClosed()).isFalse();
        assertThat(ids(api)).containsExactly("127.0.0.1");
        answer.set(List.of(address("127.0.0.2")));
        ticker.advance(Duration.ofMinutes(5));
        assertThat(lookups.get()).isEqualTo(1);
        assertThatThrownBy(api::refresh).isInstanceOf(IllegalStateException.class)
                .hasMessage("dnsRouter 'api.example.com' is closed");
        assertThat(api.router().begin().node().id()).isEqualTo("127.0.0.1");
        api.close();
    }

    @Test
    void itOwnsTheWholeMembershipKeepingOnlyNodesThatAreTheHostsAddresses() throws Exception {
        Router<InetAddress> router = router();
        router.addNode(Node.builder("127.0.0.1", address("127.0.0.1")).weight(3).build());
        router.addNode(Node.of("someone-else", address("127.0.0.9")));
        answer.set(List.of(address("127.0.0.1"), address("127.0.0.2")));
        try (DnsRouter api = build(router)) {
            assertThat(ids(api)).containsExactly("127.0.0.1", "127.0.0.2");
            assertThat(router.nodes().get(0).weight()).as("a node DNS still gives is kept as it was").isEqualTo(3);
            assertThat(router.nodes().get(1).weight()).isEqualTo(1);
        }
    }

    @Test
    void aClosedRouterIsRefusedAndClosingTheRouterStopsRefreshing() throws Exception {
        Router<InetAddress> closed = router();
        closed.close();
        assertThatThrownBy(() -> build(closed)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("dnsRouter 'api.example.com': router 'api.example.com' is closed");
        assertThat(lookups.get()).isZero();

        answer.set(List.of(address("127.0.0.1")));
        Router<InetAddress> router = router();
        try (DnsRouter api = build(router)) {
            router.close();
            assertThatThrownBy(api::refresh).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("dnsRouter 'api.example.com': router 'api.example.com' is closed");
            ticker.advance(Duration.ofMinutes(5));
            awaitValue("refresher stopped", WAIT, () -> refresherAlive(), false);
            assertThat(lookups.get()).isEqualTo(1);
        }
    }

    private static boolean refresherAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("smartqueryrouter-dns-api.example.com") && t.isAlive());
    }

    @Test
    void settingsAreValidated() {
        Router<InetAddress> router = router();
        assertThatThrownBy(() -> DnsRouter.builder("api.example.com", router).refreshInterval(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dnsRouter.refreshInterval must be >= 1s, but was PT0.5S");
        assertThatThrownBy(() -> DnsRouter.builder("api.example.com", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("dnsRouter 'api.example.com': router must not be null");
        assertThatThrownBy(() -> DnsRouter.builder("https://api.example.com", router))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dnsRouter.host must be a host name without scheme, port or path");
    }
}
