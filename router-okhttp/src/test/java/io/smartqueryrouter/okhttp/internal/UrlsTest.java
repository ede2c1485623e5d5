package io.smartqueryrouter.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class UrlsTest {

    @Test
    void aRequestGoesUnderTheBaseKeepingPathQueryAndFragment() {
        HttpUrl request = HttpUrl.get("http://orders/api/items?id=7#top");
        assertThat(Urls.underBase(request, HttpUrl.get("http://10.0.0.1:8080/")))
                .hasToString("http://10.0.0.1:8080/api/items?id=7#top");
        assertThat(Urls.underBase(request, HttpUrl.get("https://10.0.0.2:8443/v1/")))
                .hasToString("https://10.0.0.2:8443/v1/api/items?id=7#top");
        assertThat(Urls.underBase(request, HttpUrl.get("http://10.0.0.3/v1")))
                .hasToString("http://10.0.0.3/v1/api/items?id=7#top");
    }

    @Test
    void theBaseUserInfoAndQueryAreNotUsedButTheRequestsAreKept() {
        HttpUrl request = HttpUrl.get("http://u:p@orders/a?x=%2F1");
        assertThat(Urls.underBase(request, HttpUrl.get("http://admin:pw@10.0.0.1:8080/?k=v")))
                .hasToString("http://u:p@10.0.0.1:8080/a?x=%2F1");
    }

    @Test
    void encodedPathsStayEncoded() {
        HttpUrl request = HttpUrl.get("http://orders/a%20b/c%2Fd");
        assertThat(Urls.underBase(request, HttpUrl.get("http://10.0.0.1/p%20q/")).encodedPath())
                .isEqualTo("/p%20q/a%20b/c%2Fd");
    }

    @Test
    void describeShowsNoUserInfoQueryOrFragment() {
        assertThat(Urls.describe(HttpUrl.get("https://user:hunter2@api.example.com/items/7?token=s3cr3t#x")))
                .isEqualTo("https://api.example.com:443/items/7");
        assertThat(Urls.describe(HttpUrl.get("http://[::1]:8080/"))).isEqualTo("http://[::1]:8080/");
    }

    @Test
    void canonicalHostsAreLowerCaseAndBare() {
        assertThat(Urls.canonicalHost("host", "Orders")).isEqualTo("orders");
        assertThat(Urls.canonicalHost("host", "API.Example.COM")).isEqualTo("api.example.com");
        assertThat(Urls.canonicalHost("host", "::1")).isEqualTo("::1");
        assertThat(Urls.canonicalHost("host", "10.0.0.1")).isEqualTo("10.0.0.1");
    }

    @Test
    void hostsWithSchemePortPathOrUserInfoAreRejected() {
        for (String bad : new String[] {"", " ", "http://orders", "orders:8080", "orders/api", "u@orders", "a b"}) {
            assertThatThrownBy(() -> Urls.canonicalHost("route host", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("route host must be a host name without scheme, port or path, but was '");
        }
    }
}
