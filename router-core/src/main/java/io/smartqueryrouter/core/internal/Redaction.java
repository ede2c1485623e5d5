package io.smartqueryrouter.core.internal;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Renders endpoints for logs, messages and {@code toString()} without secrets. Its input is often
 * not a well-formed URL (a JDBC URL, an exception message, a password a user typed raw), so where a
 * match is ambiguous it hides too much rather than too little: a password may hold {@code /},
 * {@code @} or {@code #}, so user info runs to the last {@code @} before the query.
 */
public final class Redaction {
    /**
     * Oracle's {@code user/password@} after the driver type ({@code jdbc:oracle:thin:scott/tiger@db}),
     * up to the last {@code @} of the word; a quoted password may hold spaces. The {@code @} stays, as
     * in Oracle's own form without credentials ({@code jdbc:oracle:thin:@db}).
     */
    private static final Pattern ORACLE_CREDENTIALS =
            Pattern.compile("(?i)(?<=jdbc:oracle:[a-z0-9]{1,20}:)(?:\"[^\"]*\"|[^\\s\"])*@");
    /**
     * User info after {@code scheme://}: {@code user:password@}, the password running to the last
     * {@code @} before a {@code ?} or a space (RFC 3986 forbids a raw {@code ?} there); or a user
     * without a password.
     */
    private static final Pattern USER_INFO =
            Pattern.compile("(?<=://)(?:[^/@?#\\s:]*:[^\\s?]*@|[^/@?#\\s]*@)");
    private static final Pattern QUERY = Pattern.compile("\\?[^#\\s]*");
    /**
     * A password-like key (anywhere in a longer key too: {@code sslpassword}, {@code client_secret},
     * {@code access_token}, {@code trustStorePassword}), any case, maybe quoted (JSON), then {@code =}
     * or {@code :}, then an optional auth scheme ({@code Authorization: Bearer ...}); its value is a
     * {@code {braced}} (SQL Server), a quoted or a plain value up to the next separator.
     */
    private static final Pattern SECRET_PAIR = Pattern.compile("(?i)((?:pass(?:word|wd)?|pwd|secret|token"
            + "|api[-_]?key|auth(?:orization)?|credentials?)[\"']?\\s*[=:]\\s*"
            + "(?:(?:bearer|basic|digest|negotiate)\\s+)?)"
            + "(?:\\{[^}]*}?|\"[^\"]*\"?|'[^']*'?|[^;&,\\s)\\]}]*)");

    private Redaction() {
    }

    /**
     * Returns the endpoint as text without user info or Oracle credentials, with query values
     * hidden and password-like {@code key=value} pairs masked.
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
        text = ORACLE_CREDENTIALS.matcher(text).replaceAll("@");
        text = USER_INFO.matcher(text).replaceAll("");
        text = QUERY.matcher(text).replaceAll("?...");
        return SECRET_PAIR.matcher(text).replaceAll("$1***");
    }
}
