package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreDemoIT {

    @Test
    void theDemoMovesTrafficOffTheDegradingNodeAndLosesNoCallWhenANodeDies() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<CoreDemo.Result> results = new CoreDemo(Duration.ofSeconds(8), 2, "p2c-peak-ewma",
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("-- t=1s", "-- t=8s", "b DOWN", "== summary");
        CoreDemo.Result smart = results.get(0);
        CoreDemo.Result roundRobin = results.get(1);
        assertThat(smart.policy()).isEqualTo("p2c-peak-ewma");
        assertThat(roundRobin.policy()).isEqualTo("round-robin");
        // b is down for a quarter of the run: failover hides it from every caller
        assertThat(smart.failed()).isZero();
        assertThat(roundRobin.failed()).isZero();
        assertThat(smart.calls()).isGreaterThan(100);
        // in the second half c answers 125 ms to 300 ms slower and b is down for part of it: round-robin keeps
        // sending c a third to a half of its calls, the default policy a small fraction of that
        assertThat(roundRobin.shareOnDegradedSecondHalf()).isGreaterThan(30.0);
        assertThat(smart.shareOnDegradedSecondHalf()).isLessThan(roundRobin.shareOnDegradedSecondHalf() / 3);
        assertThat(smart.p99Millis()).isLessThan(roundRobin.p99Millis());
    }
}
