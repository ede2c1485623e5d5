package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.RoutingPolicies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CustomPolicyExampleTest {

    @Test
    void theCustomPolicyIsFoundByNameAndKeepsCallsInTheLocalZoneUntilItIsDown() throws Exception {
        assertThat(RoutingPolicies.providers()).containsKey("zone-first");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CustomPolicyExample.Result r = CustomPolicyExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(r.policy()).isEqualTo("zone-first");
        // on a failure, the example's output (with the router's snapshot: health, ejections, last probe) says why
        assertThat(r.zoneUp()).as("calls with eu-1 up; the example printed:%n%s", bytes.toString(StandardCharsets.UTF_8))
                .containsOnlyKeys("eu-a", "eu-b");
        assertThat(r.zoneUp().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        // every call still succeeds once eu-1 is gone: failover, then the health check, send them to us-1
        assertThat(r.zoneDown()).containsOnlyKeys("us-a").containsEntry("us-a", 30);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("router 'orders' uses policy 'zone-first' (from YAML, found through ServiceLoader)");
    }
}
