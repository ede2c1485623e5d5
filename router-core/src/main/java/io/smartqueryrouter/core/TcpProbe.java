package io.smartqueryrouter.core;

import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A health probe that opens a TCP connection to the node and closes it: healthy when the
 * connection is accepted within the timeout. It proves the port is open, not that the service
 * answers; adapters ship probes that ask the service itself.
 */
public final class TcpProbe {
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "http", 80, "https", 443, "ws", 80, "wss", 443, "postgresql", 5432, "mysql", 3306, "redis", 6379);

    private TcpProbe() {
    }

    /**
     * Returns a probe for {@link URI} endpoints: connects to the URI's host and port (or the
     * scheme's default port: http 80, https 443, postgresql 5432, mysql 3306, redis 6379).
     * A URI without host, or without port and with an unknown scheme, fails the probe with a
     * message saying so.
     *
     * @return a probe for {@code URI} endpoints
     */
    public static HealthProbe<URI> forUri() {
        return of(TcpProbe::address);
    }

    /** {@return a probe for {@link InetSocketAddress} endpoints, connecting to the address as given} */
    public static HealthProbe<InetSocketAddress> forAddress() {
        return of(Function.identity());
    }

    /**
     * Returns a probe that connects to the address {@code addressOf} gives for each endpoint; an
     * unresolved address is resolved again on every probe, so DNS changes are followed.
     *
     * @param <E> the endpoint type
     * @param addressOf maps a node's endpoint to the address to connect to
     * @return a probe for endpoints of type {@code E}
     * @throws NullPointerException if {@code addressOf} is null
     */
    public static <E> HealthProbe<E> of(Function<? super E, InetSocketAddress> addressOf) {
        Objects.requireNonNull(addressOf, "addressOf");
        return (node, timeout) -> connect(addressOf.apply(node.endpoint()), timeout);
    }

    private static ProbeResult connect(InetSocketAddress address, Duration timeout) {
        InetSocketAddress target = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort())
                : address;
        if (target.isUnresolved()) {
            return ProbeResult.failed("cannot resolve host " + address.getHostString());
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        } catch (IOException e) {
            // name the address tried: the port may be a scheme's default, invisible in the endpoint
            return ProbeResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage() + " (TCP connect to "
                    + address.getHostString() + ":" + address.getPort() + ")");
        }
        return ProbeResult.ok();
    }

    private static InetSocketAddress address(URI uri) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("TCP probe: URI has no host: " + uri.getScheme() + ":...");
        }
        int port = uri.getPort();
        if (port < 0) {
            Integer known = uri.getScheme() == null ? null : DEFAULT_PORTS.get(uri.getScheme().toLowerCase(java.util.Locale.ROOT));
            if (known == null) {
                throw new IllegalArgumentException("TCP probe: URI of host " + uri.getHost()
                        + " has no port and scheme '" + uri.getScheme() + "' has no known default port");
            }
            port = known;
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), port);
    }
}
