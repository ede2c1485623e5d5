package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcDemoTest {

    @Test
    void writesGoToThePrimaryReadsToReplicasAndAFailedReplicaIsRoutedAroundThenRejoins() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String run = java.util.UUID.randomUUID().toString();
        JdbcDemo.Result r = new JdbcDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "jdbc:h2:mem:p-" + run + ";DB_CLOSE_DELAY=-1",
                List.of("jdbc:h2:mem:r1-" + run + ";DB_CLOSE_DELAY=-1", "jdbc:h2:mem:r2-" + run + ";DB_CLOSE_DELAY=-1"),
                "sa", "").run();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(r.writes()).containsExactly(java.util.Map.entry("primary", 5));
        assertThat(r.readsBefore()).containsOnlyKeys("replica-1", "replica-2");
        assertThat(r.readsBefore().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        // while replica-1 refuses connections every read still succeeds, on replica-2
        assertThat(r.failedReads()).isZero();
        assertThat(r.readsDuringFailure()).containsOnlyKeys("replica-2");
        // replica-1 rejoins within the 5 s the demo waits (it takes a read at once: nothing is known of it), then
        // the next 40 reads all succeed; one caller reading one at a time, pool-ewma keeps them on the replica with
        // the lower average latency, which may be either (the other is tried again as its idle average fades)
        assertThat(r.rejoinedAfter()).isLessThan(Duration.ofSeconds(5));
        assertThat(r.readsUntilRejoined()).doesNotContainKey("replica-1");
        assertThat(r.readsAfterRecovery().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(r.readsAfterRecovery().keySet()).isSubsetOf("replica-1", "replica-2");
        assertThat(out).contains("== replica-1 fails", "UNHEALTHY", "router 'demo-db' (pool-ewma)",
                "  replica-1 took its first read ", " s after it came back; meanwhile reads ran on {",
                "  the next 40 reads ran on {");
    }
}
