package io.smartqueryrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The examples refuse a bad command line in one line that says what to change, never a stack trace. */
class CommandLineTest {

    private static CommandLine parse(Set<String> options, String... args) throws CommandLine.UsageException {
        return CommandLine.parse(options, args);
    }

    @Test
    void helpIsAskedForWithEitherSpelling() throws Exception {
        assertThat(parse(DemoMain.OPTIONS, "--help")).isNull();
        assertThat(parse(DemoMain.OPTIONS, "--clients", "2", "-h")).isNull();
    }

    @Test
    void demoOptionsAreReadWithTheirDefaults() throws Exception {
        DemoMain defaults = DemoMain.fromOptions(parse(DemoMain.OPTIONS), System.out);
        assertThat(defaults.toString()).isEqualTo("DemoMain[PT1M, pool-ewma, 4]");
        DemoMain given = DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--duration", "30s", "--policy", "lowest-latency",
                "--clients", "8"), System.out);
        assertThat(given.toString()).isEqualTo("DemoMain[PT30S, lowest-latency, 8]");
    }

    @Test
    void badDemoArgumentsAreOneLineEach() {
        assertThatThrownBy(() -> DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--clients", "x"), System.out))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessage("--clients must be a whole number from 1 to 64, but was 'x'");
        assertThatThrownBy(() -> DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--duration", "2"), System.out))
                .hasMessage("--duration must be a duration from 6s to 24h, such as 30s, 2m or 1h, but was '2'");
        assertThatThrownBy(() -> DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--duration", "5s"), System.out))
                .hasMessage("--duration must be a duration from 6s to 24h, such as 30s, 2m or 1h, but was '5s'");
        assertThatThrownBy(() -> DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--metrics-port", "70000"), System.out))
                .hasMessage("--metrics-port must be a whole number from 0 to 65535, but was '70000'");
        assertThatThrownBy(() -> DemoMain.fromOptions(parse(DemoMain.OPTIONS, "--policy", "fastest"), System.out))
                .hasMessage("--policy 'fastest' is not a registered policy; registered: c3, least-in-flight, "
                        + "lowest-latency, p2c-peak-ewma, pool-ewma, predictive, random, round-robin, weighted-random, "
                        + "zone-first");
        assertThatThrownBy(() -> parse(DemoMain.OPTIONS, "--clinets", "2"))
                .hasMessage("unknown option '--clinets'; options: --duration, --policy, --clients, --metrics-port");
        assertThatThrownBy(() -> parse(DemoMain.OPTIONS, "--duration"))
                .hasMessage("--duration needs a value");
        assertThatThrownBy(() -> parse(DemoMain.OPTIONS, "--duration", "--clients", "2"))
                .hasMessage("--duration needs a value");
        assertThatThrownBy(() -> parse(Set.of(), "--verbose"))
                .hasMessage("unknown option '--verbose'; it takes no options");
    }

    @Test
    void aRefusalIsPrintedAsOneLineThatPointsAtHelp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = CommandLine.refuse("DemoMain", new CommandLine.UsageException("--clients needs a value"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("DemoMain: --clients needs a value (--help lists the options)" + System.lineSeparator());
        assertThat(new CommandLine.UsageException("x").getStackTrace()).isEmpty();
    }

    @Test
    void jdbcDemoNeedsAPrimaryAndAReplicaTogether() throws Exception {
        assertThatThrownBy(() -> JdbcDemo.fromOptions(parse(JdbcDemo.OPTIONS, "--primary", "jdbc:h2:mem:p"), System.out))
                .hasMessage("--primary needs at least one --replica: the demo fails a replica");
        assertThatThrownBy(() -> JdbcDemo.fromOptions(parse(JdbcDemo.OPTIONS, "--replica", "jdbc:h2:mem:r"), System.out))
                .hasMessage("--replica needs --primary: give the primary's JDBC URL too");
        assertThatThrownBy(() -> JdbcDemo.fromOptions(parse(JdbcDemo.OPTIONS, "--primary", "localhost:5432",
                "--replica", "jdbc:h2:mem:r"), System.out))
                .hasMessage("--primary must be a JDBC URL, such as jdbc:postgresql://localhost:5432/demo, but was "
                        + "'localhost:5432'");
        // a rejected URL is shown without its credentials, as the library shows every URL
        assertThatThrownBy(() -> JdbcDemo.fromOptions(parse(JdbcDemo.OPTIONS, "--primary", "postgresql://u:hunter2@db/x",
                "--replica", "jdbc:h2:mem:r"), System.out))
                .hasMessageStartingWith("--primary must be a JDBC URL").message().doesNotContain("hunter2").contains("db/x");
        assertThatThrownBy(() -> JdbcDemo.fromOptions(parse(JdbcDemo.OPTIONS, "--primary", "jdbc:h2:mem:p",
                "--replica", "postgresql://db/x?password=hunter2"), System.out))
                .hasMessageStartingWith("--replica must be a JDBC URL").message().doesNotContain("hunter2");
        CommandLine two = parse(JdbcDemo.OPTIONS, "--replica", "jdbc:h2:mem:r1", "--replica", "jdbc:h2:mem:r2");
        assertThat(two.strings("--replica")).isEqualTo(List.of("jdbc:h2:mem:r1", "jdbc:h2:mem:r2"));
        assertThat(parse(DemoMain.OPTIONS, "--duration", "500ms").duration("--duration", Duration.ZERO, Duration.ZERO,
                Duration.ofHours(1))).isEqualTo(Duration.ofMillis(500));
    }
}
