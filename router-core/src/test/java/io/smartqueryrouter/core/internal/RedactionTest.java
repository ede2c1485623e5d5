package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Endpoint redaction over the credential forms users write: in user info, in Oracle's
 * {@code user/password@}, in query strings and in JDBC {@code ;key=value} property lists. The
 * secret {@value #SECRET} holds each character that once ended the match early; no piece of it may
 * survive, and what is not secret stays readable.
 */
class RedactionTest {
    /** A password with {@code /}, {@code @} and {@code #}: pieces that must never show. */
    private static final String SECRET = "Zq7/Wx8@Yv9#Ut6";
    private static final String[] PIECES = {"Zq7", "Wx8", "Yv9", "Ut6"};

    static Stream<Arguments> credentialForms() {
        return Stream.of(
                // user info: the password holding '/', '@' or '#' once leaked whole or in part
                row("http://app:Zq7@h:8080/v1", "http://h:8080/v1"),
                row("http://app:" + SECRET + "@h:8080/v1", "http://h:8080/v1"),
                row("http://app:Zq7/Wx8@h/v1", "http://h/v1"),
                row("http://app:Zq7@Wx8@h/v1", "http://h/v1"),
                row("http://app:Zq7#Wx8@h/v1", "http://h/v1"),
                row("HTTPS://app:Zq7@Wx8@h", "HTTPS://h"),
                row("http://app:" + SECRET + "@h/v1?email=a@b.example", "http://h/v1?..."),
                row("postgresql://app:" + SECRET + "@db:5432/orders", "postgresql://db:5432/orders"),
                row("jdbc:mysql://app:" + SECRET + "@db:3306/orders", "jdbc:mysql://db:3306/orders"),
                row("mongodb://app:" + SECRET + "@h1:27017,h2:27017/db", "mongodb://h1:27017,h2:27017/db"),
                row("redis://:" + SECRET + "@cache:6379", "redis://cache:6379"),
                row("GET http://app:Zq7/Wx8@h/a failed; GET http://app:Yv9@Ut6@g/b failed",
                        "GET http://h/a failed; GET http://g/b failed"),
                // Oracle's user/password@ after the driver type
                row("jdbc:oracle:thin:scott/Zq7@db:1521/ORCL", "jdbc:oracle:thin:@db:1521/ORCL"),
                row("jdbc:oracle:thin:scott/" + SECRET + "@db:1521/ORCL", "jdbc:oracle:thin:@db:1521/ORCL"),
                row("jdbc:oracle:thin:scott/Zq7@//db:1521/ORCL", "jdbc:oracle:thin:@//db:1521/ORCL"),
                row("jdbc:oracle:thin:scott/\"Zq7 @Wx8\"@db:1521/ORCL", "jdbc:oracle:thin:@db:1521/ORCL"),
                row("JDBC:ORACLE:OCI:scott/Zq7@ORCL", "JDBC:ORACLE:OCI:@ORCL"),
                row("jdbc:oracle:thin:scott/Zq7@(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521)))",
                        "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521)))"),
                row("cannot reach jdbc:oracle:thin:scott/Zq7@db:1521/ORCL: refused",
                        "cannot reach jdbc:oracle:thin:@db:1521/ORCL: refused"),
                // query strings: every value hidden
                row("jdbc:postgresql://db/orders?user=app&password=Zq7&ssl=true", "jdbc:postgresql://db/orders?..."),
                row("jdbc:postgresql://db/orders?sslpassword=Zq7", "jdbc:postgresql://db/orders?..."),
                row("https://api.example/items?API_KEY=Zq7#top", "https://api.example/items?...#top"),
                // JDBC ;key=value lists, any case, with or without spaces
                row("jdbc:sqlserver://db:1433;databaseName=orders;user=sa;pass=Zq7;encrypt=true",
                        "jdbc:sqlserver://db:1433;databaseName=orders;user=sa;pass=***;encrypt=true"),
                row("jdbc:sqlserver://db;password=Zq7", "jdbc:sqlserver://db;password=***"),
                row("jdbc:sqlserver://db;Password={Zq7;Wx8}", "jdbc:sqlserver://db;Password=***"),
                row("jdbc:sqlserver://db;password={" + SECRET + "};user=sa", "jdbc:sqlserver://db;password=***;user=sa"),
                row("Driver={ODBC};Server=db;Uid=app;PWD=Zq7;", "Driver={ODBC};Server=db;Uid=app;PWD=***;"),
                row("jdbc:h2:mem:orders;PASSWORD=Zq7", "jdbc:h2:mem:orders;PASSWORD=***"),
                row("jdbc:db2://db:50000/orders:user=app;password=Zq7;", "jdbc:db2://db:50000/orders:user=app;password=***;"),
                row("jdbc:postgresql://db/orders;sslpassword=Zq7", "jdbc:postgresql://db/orders;sslpassword=***"),
                row("jdbc:x://db;passwd=Zq7;secret=Wx8;token=Yv9;apikey=Ut6",
                        "jdbc:x://db;passwd=***;secret=***;token=***;apikey=***"),
                row("jdbc:x://db;api_key=Zq7;Api-Key=Wx8;client_secret=Yv9;access_token=Ut6",
                        "jdbc:x://db;api_key=***;Api-Key=***;client_secret=***;access_token=***"),
                row("jdbc:x://db;trustStorePassword=Zq7;private_key_pwd=Wx8",
                        "jdbc:x://db;trustStorePassword=***;private_key_pwd=***"),
                row("db password = Zq7, user = app", "db password = ***, user = app"),
                row("password:\"Zq7 Wx8\" user:app", "password:*** user:app"),
                row("{\"password\": \"Zq7;Wx8\", \"user\": \"app\"}", "{\"password\": ***, \"user\": \"app\"}"),
                row("password='Zq7 Wx8';user=app", "password=***;user=app"),
                row("Authorization: Bearer Zq7 for h", "Authorization: Bearer *** for h"),
                row("credentials=Zq7", "credentials=***"),
                // nothing secret: left as it was
                row("http://h:8080/v1", "http://h:8080/v1"),
                row("jdbc:oracle:thin:@db:1521/ORCL", "jdbc:oracle:thin:@db:1521/ORCL"),
                row("jdbc:postgresql://127.0.0.1:5432/orders", "jdbc:postgresql://127.0.0.1:5432/orders"),
                row("h2:5432", "h2:5432"),
                row("probes passed: 3 of 3", "probes passed: 3 of 3"));
    }

    private static Arguments row(String endpoint, String redacted) {
        return Arguments.of(endpoint, redacted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialForms")
    void noPieceOfASecretSurvivesRedaction(String endpoint, String redacted) {
        String shown = Redaction.endpoint(endpoint);
        assertThat(shown).doesNotContain(PIECES);
        assertThat(shown).isEqualTo(redacted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialForms")
    void anExceptionMessageIsRedactedLikeAnEndpoint(String endpoint, String redacted) {
        // the router redacts each attempt's cause, whose toString() carries the endpoint
        String shown = Redaction.endpoint(new java.io.IOException(endpoint));
        assertThat(shown).doesNotContain(PIECES).isEqualTo("java.io.IOException: " + redacted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uris")
    void aUriLosesItsUserInfoAndQueryValues(String uri, String redacted) {
        assertThat(Redaction.endpoint(URI.create(uri))).doesNotContain(PIECES).isEqualTo(redacted);
    }

    static Stream<Arguments> uris() {
        return Stream.of(
                row("http://app:Zq7%2FWx8%40Yv9%23Ut6@h:8080/v1?token=Zq7", "http://h:8080/v1?..."),
                row("https://app@h/v1", "https://h/v1"),
                row("jdbc:oracle:thin:scott/Zq7@db:1521/ORCL", "jdbc:oracle:thin:@db:1521/ORCL"),
                row("jdbc:sqlserver://db;password=Zq7", "jdbc:sqlserver://db;password=***"));
    }
}
