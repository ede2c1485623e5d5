package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every mistake fails with the whole message a user reads: source, line and column, key path, the
 * bad value and what is allowed.
 */
class RouterYamlErrorsTest {
    private static final RouterYaml.Loader LOADER = RouterYaml.builder().environment(Map.of("WEIGHT", "heavy")).build();

    /** A router with one valid node; tests add the line under test after it (line 4). */
    private static final String ORDERS = """
            routers:
              orders:
                nodes: [{ id: a, url: "http://h" }]
            """;

    private static RouterConfigException refused(String yaml, String message) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> LOADER.parse(yaml));
        assertThat(thrown).isExactlyInstanceOf(RouterConfigException.class).hasMessage(message).hasNoCause();
        return (RouterConfigException) thrown;
    }

    // ------------------------------------------------------------------ keys

    @Test
    void unknownTopLevelKey() {
        RouterConfigException e = refused("router:\n  orders: {}\n",
                "<string>:1:1: router is not a known key; did you mean 'routers'? allowed keys at the top level: routers");
        assertThat(e.source()).isEqualTo("<string>");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.path()).isEqualTo("router");
    }

    @Test
    void unknownRouterKeyPolcy() {
        RouterConfigException e = refused("""
                routers:
                  orders:
                    polcy: round-robin
                    nodes: [{ id: a, url: "http://h" }]
                """, "<string>:3:5: routers.orders.polcy is not a known key; did you mean 'policy'? "
                + "allowed keys in routers.orders: policy, nodes, health-check, outlier-ejection, retry, hedge, concurrency-limit, pool");
        assertThat(e.path()).isEqualTo("routers.orders.polcy");
    }

    @Test
    void unknownNodeKey() {
        refused("""
                routers:
                  orders:
                    nodes:
                      - { id: a, url: "http://h", wieght: 2 }
                """, "<string>:4:35: routers.orders.nodes[0].wieght is not a known key; did you mean 'weight'? "
                + "allowed keys in routers.orders.nodes[0]: id, url, weight, zone, labels, user, password, pool");
    }

    @Test
    void camelCaseAndPrefixKeysGetTheRightSuggestion() {
        refused(ORDERS + "    healthCheck: { probe: tcp }\n",
                "<string>:4:5: routers.orders.healthCheck is not a known key; did you mean 'health-check'? "
                        + "allowed keys in routers.orders: policy, nodes, health-check, outlier-ejection, retry, hedge, concurrency-limit, pool");
        refused(ORDERS + "    retry: { attempts: 2 }\n",
                "<string>:4:14: routers.orders.retry.attempts is not a known key; did you mean 'max-attempts'? "
                        + "allowed keys in routers.orders.retry: max-attempts, budget-percent, min-retries-per-second, "
                        + "budget-window, backoff-base, backoff-max");
    }

    @Test
    void unknownKeyFarFromAnyGetsNoSuggestion() {
        refused(ORDERS + "    outlier-ejection: { enabled: false }\n",
                "<string>:4:25: routers.orders.outlier-ejection.enabled is not a known key; allowed keys in "
                        + "routers.orders.outlier-ejection: consecutive-failures, base-ejection, max-ejection, max-ejection-percent, "
                        + "trial-interval, panic-threshold");
    }

    @Test
    void duplicateKey() {
        refused("""
                routers:
                  orders:
                    policy: round-robin
                    nodes: [{ id: a, url: "http://h" }]
                    policy: random
                """, "<string>:5:5: routers.orders.policy appears twice (first at line 3, column 5); "
                + "a key may appear once in a map");
    }

    // ------------------------------------------------------------------ file shape

    @Test
    void emptyFileAndCommentsOnly() {
        refused("", "<string>:1:1: the file holds no YAML document; it must hold a map with the key 'routers'");
        refused("# routers will come\n\n", "<string>:1:1: the file holds no YAML document; it must hold a map with the key 'routers'");
    }

    @Test
    void noRouters() {
        refused("routers:\n", "<string>:1:1: routers must hold at least one router, but was empty");
        refused("routers: {}\n", "<string>:1:10: routers must hold at least one router, but was empty");
        refused("{}\n", "<string>:1:1: routers is missing; the file must hold the key 'routers' with one map per router");
    }

    @Test
    void documentOrRoutersOfTheWrongShape() {
        refused("- orders\n", "<string>:1:1: the document must be a map with the key 'routers', but was a list");
        refused("routers: [orders]\n", "<string>:1:10: routers must be a map of routers by name, but was a list");
    }

    @Test
    void yamlSyntaxErrorWithItsLineAndColumn() {
        RouterConfigException e = refused("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://h" }]
                   policy: random
                """, "<string>:4:4: YAML syntax error: expected <block end>, but found '<block mapping start>' "
                + "(while parsing a block mapping at line 2, column 3); this line is indented differently from the "
                + "keys above it");
        assertThat(e.path()).isEmpty();
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(4);
        refused(ORDERS + "    policy: p2c: fast\n", "<string>:4:16: YAML syntax error: mapping values are not allowed "
                + "here; a value that holds ': ' must be quoted, and a key must line up with the keys above it");
        refused("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://h" }
                    policy: random
                """, "<string>:4:5: YAML syntax error: expected ',' or ']', but got <scalar> "
                + "(while parsing a flow sequence at line 3, column 12)");
    }

    @Test
    void secondDocument() {
        refused(ORDERS + "---\nrouters: {}\n", "<string>:5:1: a second YAML document starts here; the file must hold one document");
    }

    @Test
    void alias() {
        refused("""
                routers:
                  orders:
                    nodes: &nodes [{ id: a, url: "http://h" }]
                  users:
                    nodes: *nodes
                """, "<string>:5:12: routers.users.nodes is an alias (a value starting with '*'); aliases are not supported: "
                + "write the value out, in quotes if it starts with '*'");
    }

    @Test
    void notUtf8() {
        byte[] latin1 = "routers:\n  caf\u00e9: {}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> LOADER.load(new ByteArrayInputStream(latin1), "latin1.yaml"))
                .isExactlyInstanceOf(RouterConfigException.class)
                .hasMessage("latin1.yaml:2:6: the file is not UTF-8 text: an invalid byte sequence starts here");
    }

    // ------------------------------------------------------------------ routers

    @Test
    void badRouterName() {
        refused("""
                routers:
                  my orders:
                    nodes: [{ id: a, url: "http://h" }]
                """, "<string>:2:3: routers.my orders: a router name must be 1 to 100 letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit, but was 'my orders'");
    }

    @Test
    void routerWithoutSettings() {
        refused("routers:\n  orders:\n", "<string>:2:3: routers.orders must be a map with the keys policy, nodes, "
                + "health-check, outlier-ejection, retry, hedge, concurrency-limit, pool, but was empty");
    }

    @Test
    void unknownPolicyNamesTheRegisteredOnes() {
        refused("""
                routers:
                  orders:
                    policy: fastest
                    nodes: [{ id: a, url: "http://h" }]
                """, "<string>:3:13: routers.orders.policy 'fastest' is not a registered routing policy; registered "
                + "policies: c3, least-in-flight, lowest-latency, p2c-peak-ewma, pool-ewma, predictive, random, "
                + "round-robin, "
                + "weighted-random");
        refused("""
                routers:
                  orders:
                    policy: p2c-peak-ewm
                    nodes: [{ id: a, url: "http://h" }]
                """, "<string>:3:13: routers.orders.policy 'p2c-peak-ewm' is not a registered routing policy; did you "
                + "mean 'p2c-peak-ewma'? registered policies: c3, least-in-flight, lowest-latency, p2c-peak-ewma, "
                + "pool-ewma, predictive, random, round-robin, weighted-random");
    }

    // ------------------------------------------------------------------ nodes

    @Test
    void nodesIsAMap() {
        refused("""
                routers:
                  orders:
                    nodes: { a: "http://h" }
                """, "<string>:3:12: routers.orders.nodes must be a list of nodes (each item starting with '- '), "
                + "but was a map");
    }

    @Test
    void nodesMissingOrEmpty() {
        refused("routers:\n  orders:\n    policy: random\n", "<string>:3:5: routers.orders.nodes is missing; a router "
                + "needs at least one node, such as nodes: [{id: a, url: \"http://10.0.0.1:8080\"}]");
        refused("routers:\n  orders:\n    nodes: []\n",
                "<string>:3:12: routers.orders.nodes must list at least one node, but was empty");
    }

    @Test
    void nodeThatIsNotAMap() {
        refused("routers:\n  orders:\n    nodes:\n      - http://h\n", "<string>:4:9: routers.orders.nodes[0] must be a "
                + "node: a map with the keys id, url, weight, zone, labels, user, password, pool, but was 'http://h'");
    }

    @Test
    void missingNodeId() {
        RouterConfigException e = refused("""
                routers:
                  orders:
                    nodes:
                      - { id: a, url: "http://h" }
                      - url: "http://i"
                        weight: 2
                """, "<string>:5:9: routers.orders.nodes[1].id is missing; every node needs an id and a url");
        assertThat(e.path()).isEqualTo("routers.orders.nodes[1].id");
    }

    @Test
    void missingOrBlankUrl() {
        refused("routers:\n  orders:\n    nodes:\n      - id: a\n",
                "<string>:4:9: routers.orders.nodes[0].url is missing; every node needs an id and a url");
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \" \" }\n",
                "<string>:4:23: routers.orders.nodes[0].url must not be blank, but was ' '");
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: }\n",
                "<string>:4:18: routers.orders.nodes[0].url must be the node's address, but was empty");
    }

    @Test
    void duplicateNodeId() {
        refused("""
                routers:
                  orders:
                    nodes:
                      - { id: a, url: "http://h" }
                      - { id: b, url: "http://i" }
                      - { id: a, url: "http://j" }
                """, "<string>:6:15: routers.orders.nodes[2].id 'a' is already the id of routers.orders.nodes[0] "
                + "(line 4); node ids must be unique in a router");
    }

    @Test
    void weightThatIsAWordOrZero() {
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: heavy }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was 'heavy'");
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: 0 }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was 0");
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: 99999999999 }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was 99999999999");
        // the value came from the environment: say so
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: \"${WEIGHT}\" }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was '${WEIGHT}' "
                        + "(from the environment; the value is not shown)");
    }

    @Test
    void labelsOfTheWrongShape() {
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", labels: [replica] }\n",
                "<string>:4:43: routers.orders.nodes[0].labels must be a map of label names to values, such as "
                        + "{role: replica}, but was a list");
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", labels: { role: { x: 1 } } }\n",
                "<string>:4:51: routers.orders.nodes[0].labels.role must be a label value (a string), but was a map");
    }

    // ------------------------------------------------------------------ health check

    @Test
    void fallThatIsAFractionOrZero() {
        refused(ORDERS + "    health-check: { probe: tcp, fall: 2.5 }\n",
                "<string>:4:39: routers.orders.health-check.fall must be a whole number >= 1, but was 2.5");
        refused(ORDERS + "    health-check: { probe: tcp, fall: 0 }\n",
                "<string>:4:39: routers.orders.health-check.fall must be a whole number >= 1, but was 0");
    }

    @Test
    void badDuration() {
        refused(ORDERS + "    health-check: { probe: tcp, interval: 2 sec }\n",
                "<string>:4:43: routers.orders.health-check.interval must be a duration: a whole number with the unit "
                        + "ms, s, m or h, such as 500ms, 2s, 1m or 1h, but was '2 sec'");
        refused(ORDERS + "    health-check: { probe: tcp, interval: PT2S }\n",
                "<string>:4:43: routers.orders.health-check.interval must be a duration: a whole number with the unit "
                        + "ms, s, m or h, such as 500ms, 2s, 1m or 1h, but was 'PT2S'");
        refused(ORDERS + "    health-check: { probe: tcp, interval: 2 }\n",
                "<string>:4:43: routers.orders.health-check.interval must be a duration: a whole number with the unit "
                        + "ms, s, m or h, such as 500ms, 2s, 1m or 1h, but was 2, a number without a unit");
    }

    @Test
    void zeroNegativeOrHugeDuration() {
        refused(ORDERS + "    health-check: { probe: tcp, interval: 0s }\n",
                "<string>:4:43: routers.orders.health-check.interval must be > 0, but was 0s");
        refused(ORDERS + "    health-check: { probe: tcp, timeout: -500ms }\n",
                "<string>:4:42: routers.orders.health-check.timeout must be > 0, but was -500ms");
        refused(ORDERS + "    health-check: { probe: tcp, interval: 9000h }\n",
                "<string>:4:43: routers.orders.health-check.interval must be at most 8760h (365 days), but was 9000h");
    }

    @Test
    void timeoutLongerThanInterval() {
        refused(ORDERS + "    health-check: { probe: tcp, interval: 2s, timeout: 2001ms }\n",
                "<string>:4:56: routers.orders.health-check.timeout must be <= interval (2s), but was 2001ms");
        refused(ORDERS + "    health-check: { probe: tcp, timeout: 6s }\n",
                "<string>:4:42: routers.orders.health-check.timeout must be <= interval (5s, the default), but was 6s");
    }

    @Test
    void unknownProbeKind() {
        refused(ORDERS + "    health-check: { probe: htp, path: /health }\n",
                "<string>:4:28: routers.orders.health-check.probe 'htp' is not a known probe kind; did you mean 'http'? "
                        + "known kinds: http, jdbc, postgres, tcp");
        refused(ORDERS + "    health-check: { interval: 1s }\n",
                "<string>:4:19: routers.orders.health-check.probe is missing; name the probe kind: http, jdbc, postgres, tcp");
    }

    @Test
    void httpProbeWithoutPathOrWithABadOne() {
        refused(ORDERS + "    health-check: { probe: http, interval: 2s }\n",
                "<string>:4:19: routers.orders.health-check.path is missing; probe 'http' needs the path it requests, "
                        + "such as /health");
        refused(ORDERS + "    health-check: { probe: http, path: health }\n",
                "<string>:4:40: routers.orders.health-check.path must be a path starting with '/', such as /health, "
                        + "but was 'health'");
        refused(ORDERS + "    health-check: { probe: postgres, path: /health }\n",
                "<string>:4:38: routers.orders.health-check.path is only used by probe 'http', not by probe 'postgres'; "
                        + "remove it");
    }

    @Test
    void healthCheckThatIsEmpty() {
        refused(ORDERS + "    health-check:\n", "<string>:4:5: routers.orders.health-check must be a map with the keys "
                + "probe, path, interval, timeout, fall, rise, but was empty");
    }

    // ------------------------------------------------------------------ outlier ejection and retry

    @Test
    void maxEjectionPercentAbove100() {
        refused(ORDERS + "    outlier-ejection: { max-ejection-percent: 101 }\n",
                "<string>:4:47: routers.orders.outlier-ejection.max-ejection-percent must be a whole number in [0, 100], "
                        + "but was 101");
    }

    @Test
    void panicThresholdAbove100AndATrialIntervalOfZero() {
        refused(ORDERS + "    outlier-ejection: { panic-threshold: 150 }\n",
                "<string>:4:42: routers.orders.outlier-ejection.panic-threshold must be a whole number in [0, 100], "
                        + "but was 150");
        refused(ORDERS + "    outlier-ejection: { trial-interval: 0s }\n",
                "<string>:4:41: routers.orders.outlier-ejection.trial-interval must be > 0, but was 0s");
    }

    @Test
    void baseEjectionLongerThanMaxEjection() {
        refused(ORDERS + "    outlier-ejection: { base-ejection: 1m, max-ejection: 30s }\n",
                "<string>:4:40: routers.orders.outlier-ejection.base-ejection must be <= max-ejection (30s), but was 1m");
        refused(ORDERS + "    outlier-ejection: { base-ejection: 301s }\n",
                "<string>:4:40: routers.orders.outlier-ejection.base-ejection must be <= max-ejection (300s, the default), "
                        + "but was 301s");
        refused(ORDERS + "    outlier-ejection: { max-ejection: 10s }\n",
                "<string>:4:39: routers.orders.outlier-ejection.max-ejection must be >= base-ejection (30s, the default), "
                        + "but was 10s");
    }

    @Test
    void maxAttemptsZero() {
        refused(ORDERS + "    retry: { max-attempts: 0 }\n",
                "<string>:4:28: routers.orders.retry.max-attempts must be a whole number in [1, 100], but was 0");
    }

    @Test
    void budgetOutOfRange() {
        refused(ORDERS + "    retry: { budget-percent: 1001 }\n",
                "<string>:4:30: routers.orders.retry.budget-percent must be a whole number in [0, 1000], but was 1001");
        refused(ORDERS + "    retry: { budget-window: 1500ms }\n",
                "<string>:4:29: routers.orders.retry.budget-window must be whole seconds in [1s, 600s], but was 1500ms");
    }

    @Test
    void backoffHalfGivenOrUpsideDown() {
        refused(ORDERS + "    retry: { backoff-base: 100ms }\n",
                "<string>:4:14: routers.orders.retry.backoff-max is missing; backoff-base needs backoff-max, "
                        + "the longest pause between attempts");
        refused(ORDERS + "    retry: { backoff-base: 100ms, backoff-max: 50ms }\n",
                "<string>:4:48: routers.orders.retry.backoff-max must be >= backoff-base (100ms), but was 50ms");
    }

    // ------------------------------------------------------------------ hedge

    private static final String HEDGE_DELAY_FORMS = "must be a duration (a whole number with the unit ms, s, m or h, "
            + "such as 50ms) or a percentile of the router's recent latencies (from p50 to p99.9, such as p95, p99 or "
            + "p99.9), but was ";

    @Test
    void hedgeDelayThatIsNeitherADurationNorAPercentile() {
        RouterConfigException e = refused(ORDERS + "    hedge: { delay: 50 ms }\n",
                "<string>:4:21: routers.orders.hedge.delay " + HEDGE_DELAY_FORMS + "'50 ms'");
        assertThat(e.path()).isEqualTo("routers.orders.hedge.delay");
        refused(ORDERS + "    hedge: { delay: 50 }\n",
                "<string>:4:21: routers.orders.hedge.delay " + HEDGE_DELAY_FORMS + "50, a number without a unit");
        refused(ORDERS + "    hedge: { delay: P95 }\n",
                "<string>:4:21: routers.orders.hedge.delay " + HEDGE_DELAY_FORMS + "'P95'");
        refused(ORDERS + "    hedge: { delay: }\n",
                "<string>:4:14: routers.orders.hedge.delay " + HEDGE_DELAY_FORMS + "empty");
    }

    @Test
    void hedgeDelayThatIsZeroNegativeOrHuge() {
        refused(ORDERS + "    hedge: { delay: 0ms }\n", "<string>:4:21: routers.orders.hedge.delay must be > 0, but was 0ms");
        refused(ORDERS + "    hedge: { delay: -50ms }\n",
                "<string>:4:21: routers.orders.hedge.delay must be > 0, but was -50ms");
        refused(ORDERS + "    hedge: { delay: 9000h }\n",
                "<string>:4:21: routers.orders.hedge.delay must be at most 8760h (365 days), but was 9000h");
    }

    @Test
    void hedgePercentileOutOfRange() {
        refused(ORDERS + "    hedge: { delay: p0 }\n", "<string>:4:21: routers.orders.hedge.delay must be a percentile "
                + "from p50 to p99.9, such as p95, p99 or p99.9, but was 'p0'");
        refused(ORDERS + "    hedge: { delay: p100 }\n", "<string>:4:21: routers.orders.hedge.delay must be a percentile "
                + "from p50 to p99.9, such as p95, p99 or p99.9, but was 'p100'");
        refused(ORDERS + "    hedge: { delay: p99.95 }\n", "<string>:4:21: routers.orders.hedge.delay must be a "
                + "percentile from p50 to p99.9, such as p95, p99 or p99.9, but was 'p99.95'");
        refused(ORDERS + "    hedge: { delay: p49 }\n", "<string>:4:21: routers.orders.hedge.delay must be a percentile "
                + "from p50 to p99.9, such as p95, p99 or p99.9, but was 'p49'");
    }

    @Test
    void hedgeUnknownKeyGetsASuggestion() {
        refused(ORDERS + "    hedge: { delay: p95, max-extra-pct: 10 }\n",
                "<string>:4:26: routers.orders.hedge.max-extra-pct is not a known key; did you mean 'max-extra-percent'? "
                        + "allowed keys in routers.orders.hedge: delay, min-delay, max-extra-percent, max-hedges");
        refused(ORDERS + "    hedge: { delay: p95, min_delay: 5ms }\n",
                "<string>:4:26: routers.orders.hedge.min_delay is not a known key; did you mean 'min-delay'? "
                        + "allowed keys in routers.orders.hedge: delay, min-delay, max-extra-percent, max-hedges");
        refused(ORDERS + "    hedging: { delay: p95 }\n",
                "<string>:4:5: routers.orders.hedging is not a known key; did you mean 'hedge'? allowed keys in "
                        + "routers.orders: policy, nodes, health-check, outlier-ejection, retry, hedge, concurrency-limit, pool");
    }

    @Test
    void hedgeCannotBeTurnedOffInsideTheSection() {
        refused(ORDERS + "    hedge: { delay: p95, enabled: false }\n",
                "<string>:4:26: routers.orders.hedge.enabled is not a known key; allowed keys in routers.orders.hedge: "
                        + "delay, min-delay, max-extra-percent, max-hedges");
        refused(ORDERS + "    hedge: off\n", "<string>:4:12: routers.orders.hedge must be a map with the keys delay, "
                + "min-delay, max-extra-percent, max-hedges, but was off; to turn hedging off, leave the hedge section out");
        refused(ORDERS + "    hedge:\n", "<string>:4:5: routers.orders.hedge must be a map with the keys delay, "
                + "min-delay, max-extra-percent, max-hedges, but was empty; to turn hedging off, leave the hedge section out");
    }

    @Test
    void hedgeWithoutADelay() {
        refused(ORDERS + "    hedge: { max-hedges: 2 }\n", "<string>:4:12: routers.orders.hedge.delay is missing; "
                + "hedging needs the delay after which a call still unanswered is sent to another node: a duration "
                + "such as 50ms, or a percentile of the router's recent latencies such as p95");
        refused(ORDERS + "    hedge: {}\n", "<string>:4:12: routers.orders.hedge.delay is missing; "
                + "hedging needs the delay after which a call still unanswered is sent to another node: a duration "
                + "such as 50ms, or a percentile of the router's recent latencies such as p95");
    }

    @Test
    void hedgeBudgetOrHedgesOutOfRange() {
        refused(ORDERS + "    hedge: { delay: p95, max-extra-percent: -5 }\n",
                "<string>:4:45: routers.orders.hedge.max-extra-percent must be a whole number in [1, 100], but was -5");
        refused(ORDERS + "    hedge: { delay: p95, max-extra-percent: 0 }\n",
                "<string>:4:45: routers.orders.hedge.max-extra-percent must be a whole number in [1, 100], but was 0");
        refused(ORDERS + "    hedge: { delay: p95, max-extra-percent: 101 }\n",
                "<string>:4:45: routers.orders.hedge.max-extra-percent must be a whole number in [1, 100], but was 101");
        refused(ORDERS + "    hedge: { delay: p95, max-hedges: 11 }\n",
                "<string>:4:38: routers.orders.hedge.max-hedges must be a whole number in [1, 10], but was 11");
        refused(ORDERS + "    hedge: { delay: p95, min-delay: 0ms }\n",
                "<string>:4:37: routers.orders.hedge.min-delay must be > 0, but was 0ms");
    }

    @Test
    void hedgeMinDelayWithAFixedDelay() {
        refused(ORDERS + "    hedge: { delay: 50ms, min-delay: 5ms }\n", "<string>:4:27: routers.orders.hedge.min-delay "
                + "applies to a percentile delay (such as p95) only, not to the fixed delay 50ms; remove it");
    }

    // ------------------------------------------------------------------ concurrency-limit

    @Test
    void concurrencyLimitValuesOutOfRangeNameTheirLineTheFieldAndWhatIsAllowed() {
        RouterConfigException e = refused(ORDERS + "    concurrency-limit: { initial-limit: 0 }\n",
                "<string>:4:41: routers.orders.concurrency-limit.initial-limit must be a whole number in [1, 1000000], "
                        + "but was 0");
        assertThat(e.path()).isEqualTo("routers.orders.concurrency-limit.initial-limit");
        refused(ORDERS + "    concurrency-limit: { min-limit: 10, max-limit: 5 }\n",
                "<string>:4:52: routers.orders.concurrency-limit.max-limit must be >= min-limit (10), but was 5");
        refused(ORDERS + "    concurrency-limit: { initial-limit: 20, max-limit: 10 }\n",
                "<string>:4:41: routers.orders.concurrency-limit.initial-limit must be in [min-limit, max-limit] = "
                        + "[1, 10], but was 20");
        refused(ORDERS + "    concurrency-limit: { window: 0ms }\n",
                "<string>:4:34: routers.orders.concurrency-limit.window must be > 0, but was 0ms");
        refused(ORDERS + "    concurrency-limit: { window: 2m }\n",
                "<string>:4:34: routers.orders.concurrency-limit.window must be from 1ms to 60s, but was 2m");
        refused(ORDERS + "    concurrency-limit: { tolerance: 0.5 }\n",
                "<string>:4:37: routers.orders.concurrency-limit.tolerance must be a number from 1.0 to 100.0, such as 2 "
                        + "or 2.5, but was 0.5");
        refused(ORDERS + "    concurrency-limit: { tolerance: twice }\n",
                "<string>:4:37: routers.orders.concurrency-limit.tolerance must be a number from 1.0 to 100.0, such as 2 "
                        + "or 2.5, but was 'twice'");
        refused(ORDERS + "    concurrency-limit: { extra-attempts-percent: 100 }\n",
                "<string>:4:50: routers.orders.concurrency-limit.extra-attempts-percent must be a whole number in "
                        + "[1, 99], but was 100");
    }

    @Test
    void concurrencyLimitUnknownKeyAndOff() {
        refused(ORDERS + "    concurrency-limit: { initial: 10 }\n",
                "<string>:4:26: routers.orders.concurrency-limit.initial is not a known key; did you mean "
                        + "'initial-limit'? allowed keys in routers.orders.concurrency-limit: enabled, initial-limit, "
                        + "min-limit, max-limit, window, tolerance, extra-attempts-percent");
        refused(ORDERS + "    concurrency-limit: off\n", "<string>:4:24: routers.orders.concurrency-limit must be a map "
                + "with the keys enabled, initial-limit, min-limit, max-limit, window, tolerance, extra-attempts-percent "
                + "(an empty map {} for the defaults), but was off; to turn the limit off, write { enabled: false }");
        refused(ORDERS + "    concurrency-limit: { enabled: no }\n", "<string>:4:35: routers.orders.concurrency-limit"
                + ".enabled must be true or false, but was no");
        refused(ORDERS + "    concurrency-limit: { enabled: false, max-limit: 10 }\n", "<string>:4:35: "
                + "routers.orders.concurrency-limit is off (enabled: false), so it takes no other key, but has max-limit");
    }

    // ------------------------------------------------------------------ environment

    @Test
    void unsetEnvironmentVariable() {
        RouterConfigException e = refused("""
                routers:
                  orders:
                    nodes:
                      - id: a
                        url: jdbc:postgresql://db/orders
                        password: ${DB_PASSWORD}
                """, "<string>:6:19: routers.orders.nodes[0].password refers to ${DB_PASSWORD}, but the environment "
                + "variable DB_PASSWORD is not set; set it, or give a default: ${DB_PASSWORD:default}");
        assertThat(e.path()).isEqualTo("routers.orders.nodes[0].password");
    }

    @Test
    void malformedVariableReference() {
        refused("routers:\n  orders:\n    nodes: [{ id: a, url: \"http://${HOST\" }]\n",
                "<string>:3:27: routers.orders.nodes[0].url has a '${' without its closing '}'; write ${NAME} or "
                        + "${NAME:default}, or $${ for a literal '${'");
        refused("routers:\n  orders:\n    nodes: [{ id: a, url: \"http://${db host}\" }]\n",
                "<string>:3:27: routers.orders.nodes[0].url has '${db host}' that does not name an environment variable "
                        + "(letters, digits and '_', not starting with a digit); write $${ for a literal '${'");
    }
}
