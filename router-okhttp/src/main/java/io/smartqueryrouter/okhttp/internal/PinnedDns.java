package io.smartqueryrouter.okhttp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;

/**
 * A {@link Dns} that answers one address for one host and asks {@code fallback} for every other
 * host (a redirect to another host must not land on the pinned address).
 *
 * <p>It is a value: two instances for the same host, address and fallback are equal. OkHttp keys
 * its connection pool on an {@code Address} that includes the {@code Dns}, so equality is what
 * lets calls pinned to the same address share pooled connections, and keeps calls pinned to
 * different addresses apart.
 *
 * @param host the canonical (lower-case) host name to pin
 * @param address the only address {@code host} resolves to
 * @param fallback the resolver for every other host
 */
public record PinnedDns(String host, InetAddress address, Dns fallback) implements Dns {

    /** Validates the fields. */
    public PinnedDns {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        return host.equalsIgnoreCase(hostname) ? List.of(address) : fallback.lookup(hostname);
    }

    @Override
    public String toString() {
        return "PinnedDns[" + host + " -> " + address.getHostAddress() + "]";
    }
}
