package io.smartqueryrouter.okhttp.internal;

import java.util.Objects;
import okhttp3.HttpUrl;

/** URL arithmetic and URL text that is safe for logs and messages. */
public final class Urls {
    private Urls() {
    }

    /**
     * Returns {@code url} sent to the node at {@code base}: the scheme, host and port of the base,
     * the base's path as a prefix of the url's path, and the url's own query, fragment and user info.
     * The base's user info, query and fragment are not used.
     *
     * <p>Example: {@code http://orders/api/items?id=7} under {@code http://10.0.0.1:8080/v1/} is
     * {@code http://10.0.0.1:8080/v1/api/items?id=7}.
     */
    public static HttpUrl underBase(HttpUrl url, HttpUrl base) {
        String prefix = base.encodedPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return url.newBuilder()
                .scheme(base.scheme())
                .host(base.host())
                .port(base.port())
                .encodedPath(prefix + url.encodedPath())
                .build();
    }

    /**
     * Returns the url as {@code scheme://host:port/path}: no user info, no query, no fragment, so
     * neither credentials nor query tokens reach a log or a message.
     */
    public static String describe(HttpUrl url) {
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
        return url.scheme() + "://" + host + ":" + url.port() + url.encodedPath();
    }

    /**
     * Returns the canonical form of a host name as OkHttp stores it in {@link HttpUrl#host()}
     * (lower case, IDN in punycode, IPv6 without brackets).
     *
     * @param what what the host is, for the message
     * @throws IllegalArgumentException if {@code host} is not a bare host name or address
     */
    public static String canonicalHost(String what, String host) {
        Objects.requireNonNull(host, () -> what + " must not be null");
        String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        HttpUrl parsed = host.isBlank() || host.chars().anyMatch(c -> c == '/' || c == '@' || c == '?' || c == '#')
                ? null : HttpUrl.parse("http://" + bracketed + "/");
        if (parsed == null || (parsed.port() != 80) || !parsed.encodedPath().equals("/")) {
            throw new IllegalArgumentException(what + " must be a host name without scheme, port or path, but was '"
                    + host + "'");
        }
        return parsed.host();
    }
}
