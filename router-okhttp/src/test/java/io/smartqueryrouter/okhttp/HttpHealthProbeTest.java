package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class HttpHealthProbeTest {

    @Test
    void thePathMustStartWithASlashAndItsQueryIsNotEchoed() {
        assertThatThrownBy(() -> HttpHealthProbe.get("health?token=s3cr3t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("httpHealthProbe.path must be a URL path starting with '/', but was 'health?...'");
    }

    @Test
    void healthyCodesAreValidated() {
        HttpHealthProbe<HttpUrl> probe = HttpHealthProbe.get("/health");
        assertThatThrownBy(probe::healthyCodes)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("httpHealthProbe.healthyCodes must not be empty");
        assertThatThrownBy(() -> probe.healthyCodes(200, 600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("httpHealthProbe.healthyCodes must be in [100, 599], but was 600");
    }

    @Test
    void copiesLeaveTheOriginalUnchanged() {
        HttpHealthProbe<HttpUrl> probe = HttpHealthProbe.head("/ready?deep=1");
        HttpHealthProbe<HttpUrl> strict = probe.healthyCodes(204, 200);
        assertThat(probe).hasToString("HttpHealthProbe[HEAD <base>/ready, 2xx]");
        assertThat(strict).hasToString("HttpHealthProbe[HEAD <base>/ready, [200, 204]]");
        assertThat(HttpHealthProbe.get(HttpUrl.get("https://api.example.com/health?k=v")))
                .hasToString("HttpHealthProbe[GET https://api.example.com:443/health pinned, 2xx]");
    }
}
