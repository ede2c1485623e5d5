package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files that held a refusal without a location, read a value the writer did not mean, or showed a
 * secret, found by feeding the reader hostile files. Each is refused, located, in the user's words,
 * and no message or stack trace holds a secret.
 */
class HostileInputTest {
    private static final String SECRET = "Tr0ub4dor&3";
    private static final RouterYaml.Loader LOADER = RouterYaml.builder()
            .environment(Map.of("DB_PASSWORD", SECRET, "PADDED", "010")).build();

    /** A router with one valid node; tests add the line under test after it (line 4). */
    private static final String ORDERS = """
            routers:
              orders:
                nodes: [{ id: a, url: "http://h" }]
            """;

    private static RouterConfigException refused(String yaml, String message) {
        Throwable thrown = catchThrowable(() -> LOADER.parse(yaml));
        assertThat(thrown).as(yaml).isExactlyInstanceOf(RouterConfigException.class).hasMessage(message).hasNoCause();
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as(yaml).doesNotContain("Tr0ub").doesNotContain("org.yaml");
        return (RouterConfigException) thrown;
    }

    @Test
    void anUnquotedPasswordStartingWithAStarIsNotEchoedAsAnAlias() {
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: *Tr0ub4dor }\n",
                "<string>:4:45: routers.orders.nodes[0].password is an alias (a value starting with '*'); aliases are "
                        + "not supported: write the value out, in quotes if it starts with '*'");
    }

    @Test
    void aSecretFromTheEnvironmentInAnotherKeyIsNotEchoed() {
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: \"${DB_PASSWORD}\" }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was '${DB_PASSWORD}' "
                        + "(from the environment; the value is not shown)");
        refused(ORDERS + "    policy: \"${DB_PASSWORD}\"\n",
                "<string>:4:13: routers.orders.policy '${DB_PASSWORD}' (from the environment; the value is not shown) is "
                        + "not a registered routing policy; registered policies: c3, least-in-flight, lowest-latency, "
                        + "p2c-peak-ewma, pool-ewma, predictive, random, round-robin, weighted-random");
        refused(ORDERS + "    health-check: { probe: tcp, interval: \"x${DB_PASSWORD}\" }\n",
                "<string>:4:43: routers.orders.health-check.interval must be a duration: a whole number with the unit ms, "
                        + "s, m or h, such as 500ms, 2s, 1m or 1h, but was 'x${DB_PASSWORD}' (from the environment; the "
                        + "value is not shown)");
        // every key that takes a value, one at a time
        String[] lines = {
            "    health-check: { probe: \"${DB_PASSWORD}\" }\n",
            "    health-check: { probe: http, path: \"${DB_PASSWORD}\" }\n",
            "    retry: { max-attempts: \"${DB_PASSWORD}\" }\n",
            "    hedge: { delay: \"${DB_PASSWORD}\" }\n",
            "    outlier-ejection: { base-ejection: \"${DB_PASSWORD}\" }\n",
        };
        for (String line : lines) {
            Throwable thrown = catchThrowable(() -> LOADER.parse(ORDERS + line));
            assertThat(thrown).as(line).isExactlyInstanceOf(RouterConfigException.class);
            assertThat(thrown.getMessage()).as(line).contains("'${DB_PASSWORD}' (from the environment; the value is not "
                    + "shown)").doesNotContain("Tr0ub");
        }
    }

    @Test
    void aComplexKeyIsRefusedWithoutTheParsersInternals() {
        refused("routers:\n  orders:\n    ? [a, b]\n    : x\n",
                "<string>:3:8: a map key must be a plain value such as a name; a list or a map as a key (a complex "
                        + "key, '? ') is not supported");
    }

    @Test
    void aNulByteOnLine4IsReportedOnLine4() {
        refused(ORDERS + "    policy: round\u0000robin\n",
                "<string>:4:18: the character U+0000 (a control or non-character) is not allowed in YAML; remove it");
        refused(ORDERS + "    health-check: { probe: tcp }\r\n    retry: { max-attempts: 2\u0007 }\n",
                "<string>:5:29: the character U+0007 (a control or non-character) is not allowed in YAML; remove it");
    }

    @Test
    void aBinaryOrCustomTagIsRefusedWhereItStands() {
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: !!binary aGVsbG8= }\n",
                "<string>:4:23: routers.orders.nodes[0].url has a YAML tag (a word starting with '!', such as !!binary "
                        + "or !foo); tags are not supported: write the plain value, in quotes if it starts with '!'");
        refused(ORDERS + "    policy: !foo random\n",
                "<string>:4:13: routers.orders.policy has a YAML tag (a word starting with '!', such as !!binary or "
                        + "!foo); tags are not supported: write the plain value, in quotes if it starts with '!'");
        // an unquoted password that starts with '!' is a tag: refused, and not shown
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: !Tr0ub4dor }\n",
                "<string>:4:45: routers.orders.nodes[0].password has a YAML tag (a word starting with '!', such as "
                        + "!!binary or !foo); tags are not supported: write the plain value, in quotes if it starts "
                        + "with '!'");
        refused(ORDERS + "    retry: !!map { max-attempts: 2 }\n",
                "<string>:4:12: routers.orders.retry has a YAML tag (a word starting with '!', such as !!binary or "
                        + "!foo); tags are not supported: write the plain value, in quotes if it starts with '!'");
    }

    @Test
    void octalHexBinaryAndUnderscoredNumbersAreRefusedNotReadAsAnotherNumber() {
        String rest = "; YAML would read a leading 0 as octal, 0x as hexadecimal, 0b as binary and drop '_': "
                + "write the number in plain decimal digits";
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: 010 }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1 written in decimal, but was 010"
                        + rest);
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: 0x10 }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1 written in decimal, but was 0x10"
                        + rest);
        refused(ORDERS + "    retry: { max-attempts: 0b11 }\n",
                "<string>:4:28: routers.orders.retry.max-attempts must be a whole number in [1, 100] written in decimal, "
                        + "but was 0b11" + rest);
        refused(ORDERS + "    health-check: { probe: tcp, fall: 1_0 }\n",
                "<string>:4:39: routers.orders.health-check.fall must be a whole number >= 1 written in decimal, but was "
                        + "1_0" + rest);
        // the same text from the environment, or quoted, is not a number in another base either
        refused("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: \"${PADDED}\" }\n",
                "<string>:4:43: routers.orders.nodes[0].weight must be a whole number >= 1, but was '${PADDED}' "
                        + "(from the environment; the value is not shown)");
        // plain decimal, signed or not, still reads
        assertThat(LOADER.parse("routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", weight: +10 }\n")
                .router("orders").nodes().get(0).weight()).isEqualTo(10);
    }
}
