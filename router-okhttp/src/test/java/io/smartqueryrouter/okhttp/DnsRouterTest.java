package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.address;
import static io.smartqueryrouter.okhttp.TestSupport.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.testkit.FakeTicker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Dns;
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

    private DnsRouter build() throws UnknownHostException {
        return DnsRouter.builder("API.example.com").dns(dns).refreshInterval(Duration.ofSeconds(30))
                .router(r -> r.ticker(ticker)).build();
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
        assertThatThrownBy(this::build).isInstanceOf(UnknownHostException.class)
                .hasMessage("api.example.com: no such host (test)");
    }

    @Test
    void closeStopsRefreshingAndClosesTheRouter() throws Exception {
        answer.set(List.of(address("127.0.0.1")));
        DnsRouter api = build();
        api.close();
        assertThat(api.router().isClosed()).isTrue();
        ticker.advance(Duration.ofMinutes(5));
        assertThat(lookups.get()).isEqualTo(1);
        assertThatThrownBy(api::refresh).isInstanceOf(IllegalStateException.class)
                .hasMessage("dnsRouter 'api.example.com' is closed");
        api.close();
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> DnsRouter.builder("api.example.com").refreshInterval(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dnsRouter.refreshInterval must be >= 1s, but was PT0.5S");
        assertThatThrownBy(() -> DnsRouter.builder("https://api.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dnsRouter.host must be a host name without scheme, port or path");
    }
}
