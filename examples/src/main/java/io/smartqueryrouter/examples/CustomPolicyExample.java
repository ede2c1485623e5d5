package io.smartqueryrouter.examples;

import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import io.smartqueryrouter.yaml.RouterYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A custom {@link ZoneFirstPolicy}, registered through {@link java.util.ServiceLoader}, selected by
 * name from YAML ({@code policy: zone-first} in {@code custom-policy.yaml}, whose node URLs come
 * from environment variables), routing OkHttp calls: all calls stay in zone eu-1 until both eu-1
 * nodes die, then they go to us-1.
 */
public final class CustomPolicyExample {
    private CustomPolicyExample() {
    }

    static final String HELP = """
            CustomPolicyExample: a routing policy of its own (zone-first), registered through ServiceLoader and
            chosen by name in YAML, keeps OkHttp calls in zone eu-1 until both eu-1 nodes die. It takes no options.

              --help                  this text

            mvn -B -q -pl examples -am compile exec:java@custom-policy
            """;

    /**
     * Runs the example; it takes no options but {@code --help}.
     *
     * @param args none, or {@code --help}
     * @throws Exception if the example fails
     */
    public static void main(String[] args) throws Exception {
        CommandLine.main("CustomPolicyExample", HELP, java.util.Set.of(), args, o -> run(System.out));
    }

    /** Where the calls went while eu-1 was up, and after it went down. */
    record Result(String policy, Map<String, Integer> zoneUp, Map<String, Integer> zoneDown) {
    }

    static Result run(PrintStream out) throws Exception {
        try (DemoBackend euA = new DemoBackend("eu-a", 2); DemoBackend euB = new DemoBackend("eu-b", 2);
                DemoBackend usA = new DemoBackend("us-a", 2)) {
            RouterConfig config;
            try (InputStream yaml = CustomPolicyExample.class.getResourceAsStream("/custom-policy.yaml")) {
                config = RouterYaml.builder()
                        .environment(Map.of("NODE_EU_A", euA.baseUrl(), "NODE_EU_B", euB.baseUrl(), "NODE_US_A", usA.baseUrl()))
                        .build().load(yaml, "custom-policy.yaml").router("orders");
            }
            try (RoutingInterceptor interceptor = RoutingInterceptor.builder().route(config).build()) {
                OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).build();
                String policy = interceptor.router("orders").orElseThrow().policy().name();
                out.println("router 'orders' uses policy '" + policy + "' (from YAML, found through ServiceLoader)");
                Map<String, Integer> up = calls(client, 30);
                out.println("  30 calls with eu-1 up went to " + up);
                out.print(interceptor.router("orders").orElseThrow().snapshot());
                euA.kill();
                euB.kill();
                out.println("  eu-a and eu-b die");
                Map<String, Integer> down = calls(client, 30);
                out.println("  30 calls with eu-1 down went to " + down);
                client.connectionPool().evictAll();
                return new Result(policy, up, down);
            }
        }
    }

    private static Map<String, Integer> calls(OkHttpClient client, int n) throws IOException {
        Map<String, Integer> where = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            try (Response r = client.newCall(new Request.Builder().url("http://orders/work").build()).execute()) {
                String body = r.body().string();
                where.merge(body.substring(body.lastIndexOf(' ') + 1), 1, Integer::sum);
            }
        }
        return where;
    }
}
