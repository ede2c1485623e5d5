package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.FIRST;
import static io.smartqueryrouter.okhttp.TestSupport.address;
import static io.smartqueryrouter.okhttp.TestSupport.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The address-pinning mode over HTTPS: three servers with a certificate for {@code api.test} on
 * 127.0.0.1, 127.0.0.2 and 127.0.0.3, same port; a fourth on 127.0.0.4 with a certificate for
 * {@code other.test}. Nothing resolves {@code api.test} but the pinning.
 */
class PinnedHttpsIT {
    private static final String HOST = "api.test";
    private static final HeldCertificate ROOT = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("test root").build();
    private static final HeldCertificate API_CERT = new HeldCertificate.Builder().addSubjectAlternativeName(HOST)
            .signedBy(ROOT).build();
    private static final HeldCertificate OTHER_CERT = new HeldCertificate.Builder()
            .addSubjectAlternativeName("other.test").signedBy(ROOT).build();

    private static final List<MockWebServer> API = new ArrayList<>();
    private static MockWebServer wrongName;
    private static int port;

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final OkHttpClient tls = tlsClient();

    @BeforeAll
    static void startServers() {
        HandshakeCertificates api = new HandshakeCertificates.Builder().heldCertificate(API_CERT).build();
        MockWebServer first = https(api, "127.0.0.1", 0, "one");
        port = first.getPort();
        API.add(first);
        API.add(https(api, "127.0.0.2", port, "two"));
        API.add(https(api, "127.0.0.3", port, "three"));
        wrongName = https(new HandshakeCertificates.Builder().heldCertificate(OTHER_CERT).build(), "127.0.0.4", port,
                "wrong");
    }

    private static MockWebServer https(HandshakeCertificates certificates, String address, int port, String body) {
        MockWebServer server = new MockWebServer();
        server.useHttps(certificates.sslSocketFactory());
        server.setServerSocketFactory(TestSupport.NoDelayServerSockets.INSTANCE);
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public mockwebserver3.MockResponse dispatch(RecordedRequest request) {
                return response(200, body);
            }
        });
        try {
            server.start(address(address), port);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return server;
    }

    @AfterAll
    static void stopServers() {
        API.forEach(MockWebServer::close);
        wrongName.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    /** A client that trusts the test root, as an application with its own trust store would be configured. */
    private static OkHttpClient tlsClient() {
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate()).build();
        return new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    }

    private static HttpUrl url(String path) {
        return new HttpUrl.Builder().scheme("https").host(HOST).port(port).encodedPath(path).build();
    }

    private static List<RecordedRequest> drain(MockWebServer server) throws InterruptedException {
        List<RecordedRequest> all = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            all.add(r);
        }
        return all;
    }

    private Router<InetAddress> router(String name, String... addresses) {
        RouterBuilder<InetAddress> b = Router.<InetAddress>builder(name).policy(FIRST);
        for (String a : addresses) {
            b.node(Node.of(a, address(a)));
        }
        Router<InetAddress> router = b.build();
        closeLater.add(router);
        return router;
    }

    @Test
    void callsToTheRealHostAreSpreadOverItsAddressesWithTlsSniAndHostOfThatHost() throws Exception {
        AtomicReference<List<InetAddress>> dnsAnswer = new AtomicReference<>(
                List.of(address("127.0.0.1"), address("127.0.0.2"), address("127.0.0.3")));
        Dns dns = host -> dnsAnswer.get();
        Router<InetAddress> router = Router.<InetAddress>builder(HOST).policy(RoutingPolicies.roundRobin()).build();
        closeLater.add(router);
        DnsRouter addresses = DnsRouter.builder(HOST, router).dns(dns).build();
        closeLater.add(addresses);
        OkHttpClient client = tls.newBuilder().addInterceptor(RoutingInterceptor.builder().pin(addresses).build()).build();
        for (MockWebServer s : API) {
            drain(s);
        }

        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            try (Response r = client.newCall(new Request.Builder().url(url("/items")).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.request().url().host()).isEqualTo(HOST);
                assertThat(((X509Certificate) r.handshake().peerCertificates().get(0)).getSubjectAlternativeNames())
                        .extracting(san -> (Object) san.get(1)).containsExactly(HOST);
                bodies.add(r.body().string());
            }
        }
        assertThat(bodies).containsExactlyInAnyOrder("one", "two", "three");
        for (MockWebServer s : API) {
            List<RecordedRequest> got = drain(s);
            assertThat(got).as("requests to %s", s.getSocketAddress()).hasSize(10);
            assertThat(got).allSatisfy(r -> {
                // HTTP/2 (negotiated by ALPN) carries the Host header as the :authority pseudo-header
                assertThat(r.getVersion()).isEqualTo("HTTP/2");
                assertThat(r.getHeaders().get(":authority")).isEqualTo(HOST + ":" + port);
                assertThat(r.getHandshakeServerNames()).containsExactly(HOST);
            });
            // one pooled connection per address: pinning does not defeat connection reuse
            assertThat(got).extracting(RecordedRequest::getConnectionIndex).containsOnly(got.get(0).getConnectionIndex());
        }

        // DNS drops two addresses: after a refresh every call goes to the one left
        dnsAnswer.set(List.of(address("127.0.0.1")));
        addresses.refresh();
        for (int i = 0; i < 9; i++) {
            try (Response r = client.newCall(new Request.Builder().url(url("/items")).build()).execute()) {
                assertThat(r.body().string()).isEqualTo("one");
            }
        }
        assertThat(addresses.router().nodes()).extracting(Node::id).containsExactly("127.0.0.1");
    }

    @Test
    void overHttp1TheHostHeaderAndCookiesAreThoseOfTheRealHost() throws Exception {
        Router<InetAddress> router = router("api", "127.0.0.2");
        List<String> cookieHosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        okhttp3.CookieJar jar = new okhttp3.CookieJar() {
            @Override
            public void saveFromResponse(HttpUrl url, List<okhttp3.Cookie> cookies) {
                cookieHosts.add("save " + url.host());
            }

            @Override
            public List<okhttp3.Cookie> loadForRequest(HttpUrl url) {
                cookieHosts.add("load " + url.host());
                return List.of();
            }
        };
        OkHttpClient client = tls.newBuilder().protocols(List.of(okhttp3.Protocol.HTTP_1_1)).cookieJar(jar)
                .addInterceptor(RoutingInterceptor.builder().pin(HOST, router).build()).build();
        drain(API.get(1));

        try (Response r = client.newCall(new Request.Builder().url(url("/items")).build()).execute()) {
            assertThat(r.body().string()).isEqualTo("two");
        }
        RecordedRequest recorded = API.get(1).takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getVersion()).isEqualTo("HTTP/1.1");
        assertThat(recorded.getHeaders().get("Host")).isEqualTo(HOST + ":" + port);
        assertThat(recorded.getHandshakeServerNames()).containsExactly(HOST);
        assertThat(cookieHosts).containsExactly("load " + HOST);
    }

    @Test
    void aCertificateForAnotherNameIsRejected() throws Exception {
        Router<InetAddress> router = router("wrong", "127.0.0.4");
        OkHttpClient client = tls.newBuilder().addInterceptor(RoutingInterceptor.builder().pin(HOST, router).build())
                .build();
        drain(wrongName);

        RoutedCallException e = catchThrowableOfType(RoutedCallException.class,
                () -> client.newCall(new Request.Builder().url(url("/items")).build()).execute());
        assertThat(e.getCause()).isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageStartingWith("Hostname api.test not verified");
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.nodeId()).isEqualTo("127.0.0.4");
            assertThat(a.outcome()).isEqualTo(Outcome.FAILURE);
        });
        assertThat(drain(wrongName)).as("requests that reached the wrongly named server").isEmpty();
    }

    @Test
    void aTlsFailureHappensBeforeTheRequestIsSentSoEvenAPostFailsOver() throws Exception {
        Router<InetAddress> router = router("api", "127.0.0.4", "127.0.0.2");
        OkHttpClient client = tls.newBuilder().addInterceptor(RoutingInterceptor.builder().pin(HOST, router).build())
                .build();
        drain(wrongName);
        drain(API.get(1));

        Request post = new Request.Builder().url(url("/orders")).post(RequestBody.create("{}", null)).build();
        try (Response r = client.newCall(post).execute()) {
            assertThat(r.body().string()).isEqualTo("two");
        }
        assertThat(drain(wrongName)).isEmpty();
        assertThat(drain(API.get(1))).extracting(RecordedRequest::getMethod).containsExactly("POST");
        assertThat(router.snapshot().node("127.0.0.4").failures()).isEqualTo(1);
    }

    @Test
    void thePinnedHealthProbeChecksEachAddressWithTheApplicationsTls() throws Exception {
        OkHttpClient app = tls.newBuilder()
                .addInterceptor(RoutingInterceptor.builder().pin(HOST, router("unused", "127.0.0.9")).build()).build();
        HttpHealthProbe<InetAddress> probe = HttpHealthProbe.get(url("/health")).client(app);
        drain(API.get(2));

        ProbeResult good = probe.probe(Node.of("127.0.0.3", address("127.0.0.3")), Duration.ofSeconds(2));
        ProbeResult wrong = probe.probe(Node.of("127.0.0.4", address("127.0.0.4")), Duration.ofSeconds(2));

        assertThat(good.healthy()).isTrue();
        assertThat(drain(API.get(2))).extracting(r -> r.getUrl().encodedPath()).containsExactly("/health");
        assertThat(wrong.healthy()).isFalse();
        assertThat(wrong.detail()).startsWith("GET https://api.test:" + port + "/health failed: "
                + "javax.net.ssl.SSLPeerUnverifiedException: Hostname api.test not verified");
    }
}
