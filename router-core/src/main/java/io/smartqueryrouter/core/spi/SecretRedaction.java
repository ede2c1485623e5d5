package io.smartqueryrouter.core.spi;

import io.smartqueryrouter.core.internal.Redaction;

/**
 * Hides secrets in text meant for logs, exception messages and {@code toString()}: the rule every
 * SmartQueryRouter module applies, offered to adapters for the messages their drivers and clients
 * produce (a JDBC driver's or a pool's error quoting the URL, say). It hides user info
 * ({@code app:secret@}) in any URL, Oracle's {@code user/password@}, every query value, and the value
 * of password-like keys ({@code password=}, {@code pwd=}, {@code secret=}, {@code token=},
 * {@code Authorization: Bearer ...}) in any case and quoting; where a match is ambiguous it hides too
 * much rather than too little.
 */
public final class SecretRedaction {
    private SecretRedaction() {
    }

    /**
     * Returns the text of {@code textOrEndpoint} ({@code String.valueOf}; a {@link java.net.URI} with an
     * authority is rebuilt without its user info) with its secrets hidden.
     *
     * @param textOrEndpoint a URL, an endpoint, a message; may be null
     * @return the text without secrets; {@code "null"} for null
     */
    public static String redact(Object textOrEndpoint) {
        return Redaction.endpoint(textOrEndpoint);
    }
}
