package io.smartqueryrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.spring.boot.RouterSettings.Configured;
import io.smartqueryrouter.spring.boot.RouterSettings.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
                        + " policy, nodes, health-check, outlier-ejection, retry, hedge, concurrency-limit, pool");
    }

    @Test
    void anUnknownKeyInANodeOrASectionIsRefusedToo() {
        MockEnvironment env = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].wieght", "2");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + "smartqueryrouter.routers.orders.nodes[0].wieght is not a known key;"
                + " did you mean 'weight'? allowed keys in smartqueryrouter.routers.orders.nodes[0]: id, url, weight, zone,"
                + " labels, user, password, pool");

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
                + " number from 1 to 2147483647, but was 'heavy'");
        // a number beyond an int is no whole number here either, and the message says why
        MockEnvironment huge = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].weight", "99999999999");
        assertThatThrownBy(() -> read(huge)).hasMessage(MOCK + "smartqueryrouter.routers.orders.nodes[0].weight must be a whole"
                + " number from 1 to 2147483647, but was '99999999999'");
        // a value that is no number at all says the key's range, as one out of range does
        MockEnvironment attempts = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.retry.max-attempts", "lots");
        assertThatThrownBy(() -> read(attempts)).hasMessage(MOCK + "smartqueryrouter.routers.orders.retry.max-attempts must be a"
                + " whole number in [1, 100], but was 'lots'");
        MockEnvironment idle = node("orders", "a", "jdbc:postgresql://a/app")
                .withProperty("smartqueryrouter.routers.orders.nodes[0].labels.role", "primary")
                .withProperty("smartqueryrouter.routers.orders.pool.minimum-idle", "2.5");
        assertThatThrownBy(() -> read(idle)).hasMessage(MOCK + "smartqueryrouter.routers.orders.pool.minimum-idle must be a"
                + " whole number in [0, 10000], but was '2.5'");
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
                        + " least-in-flight, lowest-latency, p2c-peak-ewma, pool-ewma, predictive, random, round-robin, weighted-random",
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
    void everyWholeNumberPropertyHasItsRange() {
        // RouterSettings checks a whole number against the range its key has in WHOLE_NUMBERS: a property missing from
        // it would fail with no useful message the first time someone set it
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (Class<?> c : SmartQueryRouterProperties.class.getDeclaredClasses()) {
            if (c.isRecord()) {
                for (java.lang.reflect.RecordComponent rc : c.getRecordComponents()) {
                    if (rc.getType() == Integer.class) {
                        keys.add(rc.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        assertThat(keys).hasSize(17).isEqualTo(RouterSettings.WHOLE_NUMBERS.keySet());
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

    @Test
    void newSectionsBindWithRelaxedNamesAndBootDurations() throws IOException {
        MockEnvironment env = yaml("""
                smartqueryrouter:
                  routers:
                    orders:
                      nodes:
                        - { id: a, url: "http://10.0.0.1:8080" }
                      outlierEjection: { trialInterval: 250ms, panic-threshold: 30 }
                      concurrencyLimit:
                        initialLimit: 40
                        min-limit: 5
                        maxLimit: 200
                        window: PT0.2S
                        tolerance: 2.5
                        extra-attempts-percent: 70
                    db:
                      nodes:
                        - { id: p, url: "jdbc:h2:mem:p", labels: { role: primary } }
                        - id: r
                          url: jdbc:h2:mem:r
                          labels: { role: replica }
                          pool: { maximumPoolSize: 2, validation-timeout: 300ms }
                      pool:
                        maximum-pool-size: 4
                        minimumIdle: 1
                        connection-timeout: 2s
                        idle-timeout: 1m
                        maxLifetime: PT20M
                        validation-timeout: 500
                """);
        Map<String, Configured> routers = read(env);
        RouterConfig orders = routers.get("orders").config();
        assertThat(orders.outlierEjection().trialInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(orders.outlierEjection().panicThreshold()).isEqualTo(30);
        assertThat(orders.outlierEjection().consecutiveFailures()).isEqualTo(OutlierEjection.defaults().consecutiveFailures());
        ConcurrencyLimit limit = orders.concurrencyLimit();
        assertThat(limit.isEnabled()).isTrue();
        assertThat(limit.initialLimit()).isEqualTo(40);
        assertThat(limit.minLimit()).isEqualTo(5);
        assertThat(limit.maxLimit()).isEqualTo(200);
        assertThat(limit.window()).isEqualTo(Duration.ofMillis(200));
        assertThat(limit.tolerance()).isEqualTo(2.5);
        assertThat(limit.extraAttemptsPercent()).isEqualTo(70);
        assertThat(orders.pool()).isNull();

        RouterConfig db = routers.get("db").config();
        assertThat(db.concurrencyLimit()).isNull();
        PoolConfig pool = new PoolConfig(4, 1, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMinutes(20),
                Duration.ofMillis(500));
        assertThat(db.pool()).isEqualTo(pool);
        assertThat(db.poolOf(db.nodes().get(0))).isEqualTo(pool);
        // the replica's own pool starts from the router's: size and validation timeout its own, the rest the router's
        assertThat(db.nodes().get(1).pool()).isEqualTo(new PoolConfig(2, 1, Duration.ofSeconds(2), Duration.ofMinutes(1),
                Duration.ofMinutes(20), Duration.ofMillis(300)));
    }

    @Test
    void anEmptyConcurrencyLimitSectionIsTheDefaultsNoneTheRoutersDefaultAndEnabledFalseTurnsItOff() throws IOException {
        MockEnvironment yaml = yaml("""
                smartqueryrouter:
                  routers:
                    orders:
                      nodes:
                        - { id: a, url: "http://10.0.0.1:8080" }
                      concurrency-limit:
                """);
        assertThat(read(yaml).get("orders").config().concurrencyLimit()).isEqualTo(ConcurrencyLimit.defaults());

        MockEnvironment properties = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.concurrencyLimit", "");
        assertThat(read(properties).get("orders").config().concurrencyLimit()).isEqualTo(ConcurrencyLimit.defaults());

        MockEnvironment variables = node("orders", "a", "http://a:1");
        variables.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SMARTQUERYROUTER_ROUTERS_ORDERS_CONCURRENCYLIMIT", "",
                        "SMARTQUERYROUTER_ROUTERS_ORDERS_OUTLIEREJECTION_TRIALINTERVAL", "3s")));
        RouterConfig fromVariables = read(variables).get("orders").config();
        assertThat(fromVariables.concurrencyLimit()).isEqualTo(ConcurrencyLimit.defaults());
        assertThat(fromVariables.outlierEjection().trialInterval()).isEqualTo(Duration.ofSeconds(3));

        assertThat(read(node("orders", "a", "http://a:1")).get("orders").config().concurrencyLimit())
                .as("left out: the router's default, which is on").isNull();
        MockEnvironment off = node("orders", "a", "http://a:1")
                .withProperty("smartqueryrouter.routers.orders.concurrency-limit.enabled", "false");
        assertThat(read(off).get("orders").config().concurrencyLimit()).isEqualTo(ConcurrencyLimit.disabled());
        MockEnvironment offWithMore = node("orders", "a", "http://a:1")
                .withProperty("smartqueryrouter.routers.orders.concurrency-limit.enabled", "false")
                .withProperty("smartqueryrouter.routers.orders.concurrency-limit.max-limit", "10");
        assertThatThrownBy(() -> read(offWithMore)).hasMessageContaining("smartqueryrouter.routers.orders.concurrency-limit"
                + " is off (enabled=false), so it takes no other key, but has max-limit");
        MockEnvironment bounded = node("orders", "a", "http://a:1")
                .withProperty("smartqueryrouter.routers.orders.concurrency-limit.max-limit", "300");
        assertThat(read(bounded).get("orders").config().concurrencyLimit().initialLimit())
                .as("the default initial limit keeps within the bounds").isEqualTo(300);

        MockEnvironment on = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.concurrency-limit", "on");
        assertThatThrownBy(() -> read(on)).hasMessage(MOCK + "smartqueryrouter.routers.orders.concurrency-limit must be a map"
                + " with the keys enabled, initial-limit, min-limit, max-limit, window, tolerance, extra-attempts-percent"
                + " (empty for the defaults, such as smartqueryrouter.routers.orders.concurrency-limit= in properties), but"
                + " was 'on'; to turn the limit off, set smartqueryrouter.routers.orders.concurrency-limit.enabled=false");
    }

    @Test
    void newValuesOutOfRangeFollowConfigRulesAndAreNamed() {
        String p = "smartqueryrouter.routers.orders.";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(p + "outlier-ejection.trial-interval=0s", p + "outlier-ejection.trial-interval must be > 0, but was '0s'");
        cases.put(p + "outlierEjection.panicThreshold=101",
                p + "outlier-ejection.panic-threshold must be a whole number in [0, 100], but was '101'");
        cases.put(p + "outlier-ejection.trial-interval=soon", p + "outlier-ejection.trial-interval must be " + RouterSettings.DURATION_FORM
                + ", but was 'soon'");
        cases.put(p + "concurrency-limit.max-limit=2000000",
                p + "concurrency-limit.max-limit must be a whole number in [1, 1000000], but was '2000000'");
        cases.put(p + "concurrency-limit.window=2m", p + "concurrency-limit.window must be from 1ms to 60s, but was '2m'");
        cases.put(p + "concurrency-limit.tolerance=0.5",
                p + "concurrency-limit.tolerance must be a number from 1.0 to 100.0, such as 2 or 2.5, but was '0.5'");
        cases.put(p + "concurrency-limit.tolerance=twice",
                p + "concurrency-limit.tolerance must be a number such as 2 or 2.5, but was 'twice'");
        cases.put(p + "concurrency-limit.extraAttemptsPercent=100",
                p + "concurrency-limit.extra-attempts-percent must be a whole number in [1, 99], but was '100'");
        cases.put(p + "concurrency-limit.initial-limit=2000",
                p + "concurrency-limit.initial-limit must be in [min-limit, max-limit] = [1, 1000], but was 2000");
        cases.put(p + "concurrency-limit.windw=1s", p + "concurrency-limit.windw is not a known key; did you mean 'window'?"
                + " allowed keys in " + p + "concurrency-limit: enabled, initial-limit, min-limit, max-limit, window,"
                + " tolerance, extra-attempts-percent");
        cases.forEach((property, message) -> {
            String[] kv = property.split("=", 2);
            MockEnvironment env = node("orders", "a", "http://a:1");
            env.setProperty(kv[0], kv[1]);
            assertThatThrownBy(() -> read(env)).as(property).isInstanceOf(RouterPropertiesException.class).hasMessage(MOCK + message);
        });
    }

    @Test
    void poolValuesAreCheckedWhereTheyAreSetAndTogether() {
        String p = "smartqueryrouter.routers.db.";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(p + "pool.maximum-pool-size=0", p + "pool.maximum-pool-size must be a whole number in [1, 10000], but was '0'");
        cases.put(p + "pool.connectionTimeout=100ms", p + "pool.connection-timeout must be at least 250ms, but was '100ms'");
        cases.put(p + "pool.idle-timeout=5s", p + "pool.idle-timeout must be at least 10s, but was '5s'");
        cases.put(p + "pool.max-lifetime=PT10S", p + "pool.max-lifetime must be at least 30s, but was 'PT10S'");
        cases.put(p + "pool.minimum-idle=12", p + "pool: minimum-idle must be in [0, 10], but was 12");
        cases.put(p + "pool.validation-timeout=5s", p + "pool: validation-timeout must be <= connection-timeout (PT3S),"
                + " but was PT5S");
        cases.put(p + "nodes[0].pool.minimumIdle=12", p + "nodes[0].pool: minimum-idle must be in [0, 10], but was 12");
        cases.put(p + "nodes[0].pool.size=3", p + "nodes[0].pool.size is not a known key; did you mean 'maximum-pool-size'? allowed keys in " + p
                + "nodes[0].pool: maximum-pool-size, minimum-idle, connection-timeout, idle-timeout, max-lifetime,"
                + " validation-timeout");
        cases.forEach((property, message) -> {
            String[] kv = property.split("=", 2);
            MockEnvironment env = new MockEnvironment()
                    .withProperty(p + "nodes[0].id", "p")
                    .withProperty(p + "nodes[0].url", "jdbc:h2:mem:x")
                    .withProperty(p + "nodes[0].labels.role", "primary");
            env.setProperty(kv[0], kv[1]);
            assertThatThrownBy(() -> read(env)).as(property).isInstanceOf(RouterPropertiesException.class).hasMessage(MOCK + message);
        });
        // a node's pool starts from its router's: a size below the router's minimum idle is named as such
        MockEnvironment env = new MockEnvironment()
                .withProperty(p + "nodes[0].id", "p")
                .withProperty(p + "nodes[0].url", "jdbc:h2:mem:x")
                .withProperty(p + "nodes[0].labels.role", "primary")
                .withProperty(p + "pool.minimum-idle", "4")
                .withProperty(p + "nodes[0].pool.maximum-pool-size", "3");
        assertThatThrownBy(() -> read(env)).hasMessage(MOCK + p + "nodes[0].pool: minimum-idle must be in [0, 3], but was 4"
                + " (a node's pool starts from its router's)");
    }

    @Test
    void aPoolIsRefusedForAnHttpRouterAsAHedgeIsForADatabase() {
        MockEnvironment router = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.pool.maximumPoolSize", "5");
        assertThatThrownBy(() -> read(router)).isInstanceOf(RouterPropertiesException.class).hasMessage(MOCK
                + "smartqueryrouter.routers.orders.pool applies to JDBC routers only; an HTTP router's connections are its"
                + " HTTP client's (OkHttp's ConnectionPool), not configured here: remove it");
        MockEnvironment node = node("orders", "a", "http://a:1").withProperty("smartqueryrouter.routers.orders.nodes[0].pool.minimum-idle", "1");
        assertThatThrownBy(() -> read(node)).hasMessageStartingWith(MOCK
                + "smartqueryrouter.routers.orders.nodes[0].pool applies to JDBC routers only;");
    }
}
