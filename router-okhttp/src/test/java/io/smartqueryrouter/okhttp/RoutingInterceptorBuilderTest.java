package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import java.net.InetAddress;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingInterceptorBuilderTest {
    private final Router<HttpUrl> orders = Router.<HttpUrl>builder("orders")
            .node(Node.of("a", HttpUrl.get("http://10.0.0.1:8080/"))).build();
    private final Router<InetAddress> api = Router.<InetAddress>builder("api")
            .node(Node.of("a", InetAddress.getLoopbackAddress())).build();

    @AfterEach
    void close() {
        orders.close();
        api.close();
    }

    @Test
    void aHostIsRegisteredOnceInOneMode() {
        RoutingInterceptor.Builder b = RoutingInterceptor.builder().route("orders", orders);
        assertThatThrownBy(() -> b.route("ORDERS", orders))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RoutingInterceptor: host 'orders' is already routed (orders -> router 'orders')");
        assertThatThrownBy(() -> b.pin("Orders", api))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host 'orders' is already routed");
    }

    @Test
    void hostsMustBeBareNames() {
        assertThatThrownBy(() -> RoutingInterceptor.builder().route("http://orders", orders))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RoutingInterceptor: route host must be a host name without scheme, port or path, "
                        + "but was 'http://orders'");
        assertThatThrownBy(() -> RoutingInterceptor.builder().pin("api.example.com:443", api))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("RoutingInterceptor: pinned host must be a host name");
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> RoutingInterceptor.builder().route("orders", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("RoutingInterceptor: router of 'orders' must not be null");
        assertThatThrownBy(() -> RoutingInterceptor.builder().repeatRule(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("RoutingInterceptor: repeatRule must not be null");
    }

    @Test
    void anInterceptorWithoutRoutesIsRejected() {
        assertThatThrownBy(() -> RoutingInterceptor.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RoutingInterceptor: no host registered; add one with route(...) or pin(...)");
    }

    @Test
    void describesItsRoutes() {
        RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", orders)
                .pin("API.example.com", api).build();
        assertThat(interceptor).hasToString(
                "RoutingInterceptor[api.example.com (pinned) -> router 'api', orders -> router 'orders']");
        assertThat(interceptor.repeatRule()).isSameAs(RepeatRule.rfc9110());
    }
}
