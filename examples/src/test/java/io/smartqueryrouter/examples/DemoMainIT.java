package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoMainIT {

    @Test
    void theDemoMovesTrafficOffTheDegradingNodeAndLosesNoCallWhenANodeDies() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<DemoMain.Result> results = new DemoMain(Duration.ofSeconds(9), "p2c-peak-ewma", 2,
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("-- t=1s", "-- t=9s", "b is DOWN", "== summary",
                "  demo     p2c-peak-ewma   node   state      share      p50      p99  peak-ewma ejections",
                "  baseline round-robin     node   state      share      p50      p99  peak-ewma ejections");
        DemoMain.Result smart = results.get(0);
        DemoMain.Result roundRobin = results.get(1);
        assertThat(smart.policy()).isEqualTo("p2c-peak-ewma");
        assertThat(roundRobin.policy()).isEqualTo("round-robin");
        // b is down for a quarter of the run: failover hides it from every caller of either router
        assertThat(smart.failed()).isZero();
        assertThat(roundRobin.failed()).isZero();
        assertThat(smart.calls()).isGreaterThan(200);
        // in the second half c answers 100 ms to 200 ms late: round-robin keeps sending it about a third of its
        // calls, the default policy a small fraction of that, and its tail is shorter for it
        assertThat(roundRobin.shareOnDegradedSecondHalf()).isGreaterThan(25.0);
        assertThat(smart.shareOnDegradedSecondHalf()).isLessThan(roundRobin.shareOnDegradedSecondHalf() / 3);
        assertThat(smart.p99Millis()).isLessThan(roundRobin.p99Millis());
    }
}
