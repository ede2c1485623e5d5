package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A password reaches NodeConfig.properties and nothing a person or a log could read. */
class SecretsTest {
    private static final String SECRET = "Tr0ub4dor&3";
    private static final RouterYaml.Loader LOADER =
            RouterYaml.builder().environment(Map.of("DB_PASSWORD", SECRET)).build();

    @Test
    void aPasswordIsInThePropertiesAndInNoToString() {
        for (String password : new String[] {"${DB_PASSWORD}", SECRET}) {
            RouterYamlConfig config = LOADER.parse("""
                    routers:
                      orders-db:
                        nodes:
                          - id: pg
                            url: jdbc:postgresql://db:5432/orders
                            user: app
                            password: "%s"
                        health-check: { probe: postgres }
                    """.formatted(password));
            RouterConfig db = config.router("orders-db");
            NodeConfig pg = db.nodes().get(0);
            assertThat(pg.properties()).isEqualTo(Map.of("user", "app", "password", SECRET));
            assertThat(config.toString()).doesNotContain(SECRET).contains("properties=[password, user]");
            assertThat(db.toString()).doesNotContain(SECRET);
            assertThat(pg.toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void aPasswordIsInNoExceptionMessageNorCause() {
        String[] broken = {
            // a syntax error on the password's line: the YAML parser's own message would quote it
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: \"" + SECRET + " }\n",
            "routers:\n  orders:\n    nodes:\n      - id: a\n        password: " + SECRET + ": x\n",
            "routers:\n  orders:\n    nodes:\n      - id: a\n        url: \"http://h\n        password: " + SECRET + "\n",
            // a mistake next to it
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: " + SECRET + ", pasword: x }\n",
            "routers:\n  orders:\n    nodes:\n      - { id: a, password: " + SECRET + " }\n",
            // the password itself of the wrong shape, or with a broken variable reference
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: [" + SECRET + "] }\n",
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: { p: " + SECRET + " } }\n",
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: \"${" + SECRET + "}\" }\n",
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: \"x${" + SECRET + "\" }\n",
            "routers:\n  orders:\n    nodes:\n      - { id: a, url: \"http://h\", password: \"${NOPE:" + SECRET + "}\", x: 1 }\n",
        };
        for (String yaml : broken) {
            Throwable thrown = catchThrowable(() -> LOADER.parse(yaml));
            assertThat(thrown).as(yaml).isInstanceOf(RouterConfigException.class).hasNoCause();
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).as(yaml).doesNotContain(SECRET).doesNotContain("Tr0ub");
        }
    }
}
