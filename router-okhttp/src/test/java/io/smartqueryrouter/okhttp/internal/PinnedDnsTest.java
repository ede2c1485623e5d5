package io.smartqueryrouter.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

class PinnedDnsTest {
    private static final Dns OTHERS = host -> List.of(InetAddress.getByAddress(host, new byte[] {10, 9, 9, 9}));

    @Test
    void answersThePinnedAddressForItsHostOnly() throws Exception {
        InetAddress pinned = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
        PinnedDns dns = new PinnedDns("api.example.com", pinned, OTHERS);
        assertThat(dns.lookup("api.example.com")).containsExactly(pinned);
        assertThat(dns.lookup("API.example.com")).containsExactly(pinned);
        // a redirect to another host must not land on the pinned address
        assertThat(dns.lookup("login.example.com")).extracting(InetAddress::getHostAddress).containsExactly("10.9.9.9");
    }

    @Test
    void equalPinsAreEqualSoOkHttpReusesPooledConnectionsPerAddress() throws Exception {
        InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress b = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
        assertThat(new PinnedDns("api", a, Dns.SYSTEM)).isEqualTo(new PinnedDns("api", a, Dns.SYSTEM))
                .hasSameHashCodeAs(new PinnedDns("api", a, Dns.SYSTEM))
                .isNotEqualTo(new PinnedDns("api", b, Dns.SYSTEM));
    }
}
