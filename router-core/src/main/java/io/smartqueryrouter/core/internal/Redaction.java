package io.smartqueryrouter.core.internal;

import java.net.URI;
import java.util.regex.Pattern;

/** Renders endpoints for logs, messages and {@code toString()} without secrets. */
public final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@?#\\s]*@");
    private static final Pattern QUERY = Pattern.compile("\\?[^#\\s]*");
    private static final Pattern SECRET_PAIR =
            Pattern.compile("(?i)((?:password|passwd|pwd|secret|token|apikey|api_key)\\s*[=:]\\s*)[^;&,\\s)\\]}]*");

    private Redaction() {
    }

    /**
     * Returns the endpoint as text without user info, with query values hidden and
     * password-like {@code key=value} pairs masked.
     */
    public static String endpoint(Object endpoint) {
        if (endpoint instanceof URI uri && uri.isAbsolute() && uri.getRawAuthority() != null) {
            try {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(),
                        uri.getRawQuery() == null ? null : "...", null).toString();
            } catch (java.net.URISyntaxException e) {
                // fall through to the textual rules below
            }
        }
        String text = String.valueOf(endpoint);
        text = USER_INFO.matcher(text).replaceAll("");
        text = QUERY.matcher(text).replaceAll("?...");
        return SECRET_PAIR.matcher(text).replaceAll("$1***");
    }
}
