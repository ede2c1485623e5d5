package io.smartqueryrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.spring.boot.RouterSettings.Configured;
import io.smartqueryrouter.spring.boot.RouterSettings.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mock.env.MockEnvironment;

/** Properties to core's RouterConfig: relaxed names, Boot's durations, and located, named errors without secrets. */
class RouterSettingsTest {
    /** Where MockEnvironment's properties are set, as messages say it. */
    private static final String MOCK = "property source 'mockProperties': ";

    private static MockEnvironment yaml(String text) throws IOException {
        MockEnvironment env = new MockEnvironment();
        ByteArrayResource resource = new ByteArrayResource(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application.yml") {
            @Override
            public String getDescription() {
                return "application.yml";
            }
        };
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml", resource)) {
            env.getPropertySources().addFirst(source);
        }
        return env;
    }

    /** An environment with one node, as application.properties would give it. */
    private static MockEnvironment node(String router, String id, String url) {
        return new MockEnvironment()
                .withProperty("smartqueryrouter.routers." + router + ".nodes[0].id", id)
                .withProperty("smartqueryrouter.routers." + router + ".nodes[0].url", url);
    }

    private static Map<String, Configured> read(MockEnvironment env) {
        return RouterSettings.read(env, true, true);
    }

    @Test
    void kebabAndCamelCaseKeysAndBootDurationsGiveCoresRecords() throws IOException {
        MockEnvironment env = yaml("""
                smartqueryrouter:
                  routers:
                    orders:
                      policy: least-in-flight
                      nodes:
                        - { id: a, url: "http://10.0.0.1:8080", weight: 2, zone: eu-1 }
                        - id: b
                          url: http://10.0.0.2:8080
                      healthCheck: { probe: http, path: /health, interval: PT2S, timeout: 1500 }
                      outlier-ejection: { consecutiveFailures: 7, base-ejection: 1m, max-ejection: 1d }
                      retry: { max-attempts: 2, budgetWindow: 20s }
                      hedge: { delay: p95, max-extra-percent: 10 }
                """);
        env.setProperty("smartqueryrouter.routers.orders-db.nodes[0].id", "pg-primary");
        env.setProperty("smartqueryrouter.routers.orders-db.nodes[0].url", "jdbc:h2:mem:p");
        env.setProperty("smartqueryrouter.routers.orders-db.nodes[0].labels.role", "primary");
        env.setProperty("smartqueryrouter.routers.orders-db.nodes[0].user", "app");
        env.setProperty("smartqueryrouter.routers.orders-db.nodes[0].password", "s3cret");
        env.setProperty("smartqueryrouter.routers.orders-db.health-check.probe", "jdbc");

        Map<String, Configured> routers = read(env);
        assertThat(routers).containsOnlyKeys("orders", "orders-db");
        Configured orders = routers.get("orders");
        assertThat(orders.kind()).isEqualTo(Kind.HTTP);
        RouterConfig c = orders.config();
        assertThat(c.policy()).isEqualTo("least-in-flight");
        assertThat(c.nodes()).extracting(n -> n.id() + " " + n.url() + " " + n.weight() + " " + n.zone())
                .containsExactly("a http://10.0.0.1:8080 2 eu-1", "b http://10.0.0.2:8080 1 ");
        assertThat(c.healthCheck().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.healthCheck().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.healthCheck().fall()).isEqualTo(3);
        OutlierEjection ejection = c.outlierEjection();
        assertThat(ejection.consecutiveFailures()).isEqualTo(7);
        assertThat(ejection.baseEjection()).isEqualTo(Duration.ofMinutes(1));
        assertThat(ejection.maxEjection()).isEqualTo(Duration.ofDays(1));
        assertThat(c.retry().maxAttempts()).isEqualTo(2);
        assertThat(c.hedge().toString()).contains("0.95");

        Configured db = routers.get("orders-db");
        assertThat(db.kind()).isEqualTo(Kind.JDBC);
        assertThat(db.config().nodes().get(0).properties()).containsEntry("user", "app").containsEntry("password", "s3cret");
        assertThat(db.config().retry()).isNull();
        assertThat(db.config().toString()).doesNotContain("s3cret");
    }

    @Test
    void anUnknownKeyUnderARouterIsLocatedAndNamesTheAllowedKeys() throws IOException {
        MockEnvironment env = yaml("""
                smartqueryrouter:
                  routers:
                    orders:
                      nodes:
                        - { id: a, url: "http://10.0.0.1:8080" }
                      helth-check: { probe: http, path: /health }
                """);
        assertThatThrownBy(() -> read(env)).isInstanceOf(RouterPropertiesException.class)
                .hasMessage("application.yml - 6:29: smartqueryrouter.routers.orders.helth-check"
                        + " is not a known key; did you mean 'health-check'? allowed keys in smartqueryrouter.routers.orders:"
                        + " policy, nodes, health-check, outlier-ejection, retry, hedge");
    }

    @Test
    void anUnknownKeyInANodeOrASectionIsRefusedToo() {
        MockEnvironment env = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].wieght", "2");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + "smartqueryrouter.routers.orders.nodes[0].wieght is not a known key;"
                + " did you mean 'weight'? allowed keys in smartqueryrouter.routers.orders.nodes[0]: id, url, weight, zone,"
                + " labels, user, password");

        MockEnvironment retry = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.retry.attempts", "2");
        assertThatThrownBy(() -> read(retry)).hasMessageStartingWith(MOCK + "smartqueryrouter.routers.orders.retry.attempts is not a"
                + " known key; did you mean 'max-attempts'? allowed keys in smartqueryrouter.routers.orders.retry:");

        MockEnvironment top = new MockEnvironment().withProperty("smartqueryrouter.router.orders.nodes[0].id", "a");
        assertThatThrownBy(() -> read(top)).hasMessage(MOCK + "smartqueryrouter.router is not a known key; did you mean 'routers'?"
                + " allowed keys in smartqueryrouter: enabled, routers");
    }

    @Test
    void aValueBootCannotConvertNamesTheFormsAllowed() throws IOException {
        MockEnvironment env = yaml("""
                smartqueryrouter:
                  routers:
                    orders:
                      nodes:
                        - { id: a, url: "http://10.0.0.1:8080" }
                      health-check:
                        probe: http
                        path: /health
                        interval: 2 sec
                """);
        assertThatThrownBy(() -> read(env)).isInstanceOf(RouterPropertiesException.class)
                .hasMessage("application.yml - 9:19: smartqueryrouter.routers.orders.health-check.interval"
                        + " must be a duration such as 500ms, 2s, 1m, PT2S or 1500 (milliseconds), but was '2 sec'");

        MockEnvironment weight = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].weight", "heavy");
        assertThatThrownBy(() -> read(weight)).hasMessage(MOCK + "smartqueryrouter.routers.orders.nodes[0].weight must be a whole"
                + " number, but was 'heavy'");
    }

    @Test
    void valuesOutOfRangeFollowConfigRulesAndSayWhatIsAllowed() {
        String p = "smartqueryrouter.routers.orders.";
        Map<String, String> cases = Map.of(
                p + "retry.max-attempts=0", p + "retry.max-attempts must be a whole number in [1, 100], but was '0'",
                p + "outlier-ejection.max-ejection-percent=101",
                p + "outlier-ejection.max-ejection-percent must be a whole number in [0, 100], but was '101'",
                p + "health-check.probe=postgres", p + "health-check.probe 'postgres' is not a probe kind an HTTP router"
                        + " supports; supported: http, tcp",
                p + "policy=p2c", p + "policy 'p2c' is not a registered routing policy; registered policies: c3,"
                        + " least-in-flight, lowest-latency, p2c-peak-ewma, predictive, random, round-robin, weighted-random",
                p + "hedge.delay=p100", p + "hedge.delay must be a percentile from p50 to p99.9, such as p95, p99 or p99.9,"
                        + " but was 'p100'",
                p + "retry.budget-window=1500ms", p + "retry.budget-window must be whole seconds in [1s, 600s], but was '1500ms'",
                p + "nodes[0].url=http://bad host:80/", p + "nodes[0].url must be an http:// or https:// base URL with a host,"
                        + " such as http://10.0.0.1:8080, but was 'http://bad host:80/'");
        cases.forEach((property, message) -> {
            String[] kv = property.split("=", 2);
            MockEnvironment env = node("orders", "a", "http://a:1");
            env.setProperty(kv[0], kv[1]);
            assertThatThrownBy(() -> read(env)).as(property).hasMessage(MOCK + message);
        });
    }

    @Test
    void noSecretIsShown() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("smartqueryrouter.routers.db.nodes[0].id", "p")
                .withProperty("smartqueryrouter.routers.db.nodes[0].url", "jdbc:postgresql://db-1/app?password=hunter2")
                .withProperty("smartqueryrouter.routers.db.nodes[0].password", "hunter2")
                .withProperty("smartqueryrouter.routers.db.nodes[0].labels.role", "primary")
                .withProperty("smartqueryrouter.routers.db.nodes[1].id", "r")
                .withProperty("smartqueryrouter.routers.db.nodes[1].url", "http://app:hunter2@db-2/");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + "smartqueryrouter.routers.db.nodes[1].url is an HTTP URL, but"
                + " smartqueryrouter.routers.db.nodes[0].url is a JDBC URL; the nodes of one router are all HTTP or all JDBC");
        env.setProperty("smartqueryrouter.routers.db.nodes[1].url", "ftp://app:hunter2@db-2/?password=hunter2");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + "smartqueryrouter.routers.db.nodes[1].url must be an http:// or"
                + " https:// base URL or a jdbc: URL, but was 'ftp://db-2/?...'");
        env.setProperty("smartqueryrouter.routers.db.nodes[1].url", "jdbc:postgresql://db-2/app");
        env.setProperty("smartqueryrouter.routers.db.nodes[0].labels.role", "leader");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + "smartqueryrouter.routers.db.nodes[0].labels.role must be primary or"
                + " replica, but was 'leader'").message().doesNotContain("hunter2");
    }

    @Test
    void hedgingIsRefusedForADatabaseRouterAndCredentialsForAnHttpNode() {
        MockEnvironment db = new MockEnvironment()
                .withProperty("smartqueryrouter.routers.db.nodes[0].id", "p")
                .withProperty("smartqueryrouter.routers.db.nodes[0].url", "jdbc:h2:mem:x")
                .withProperty("smartqueryrouter.routers.db.nodes[0].labels.role", "primary")
                .withProperty("smartqueryrouter.routers.db.hedge.delay", "50ms");
        assertThatThrownBy(() -> read(db)).hasMessage(MOCK + "smartqueryrouter.routers.db.hedge applies to HTTP routers only; a"
                + " routing DataSource never hedges, since a JDBC statement is not safe to run twice in general: remove it");
        MockEnvironment http = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].password", "hunter2");
        assertThatThrownBy(() -> read(http)).hasMessage(MOCK + "smartqueryrouter.routers.orders.nodes[0].password applies to JDBC"
                + " nodes only; an HTTP node carries no credentials here: remove it");
    }
}
