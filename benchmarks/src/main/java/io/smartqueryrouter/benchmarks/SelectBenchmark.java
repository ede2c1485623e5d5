package io.smartqueryrouter.benchmarks;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the router costs per call: one {@code begin()} (candidates, the policy's pick, in-flight +1,
 * the clock) and one {@code complete(SUCCESS)} (latency sample into Peak-EWMA and EWMA, in-flight
 * -1, counters), for every built-in policy over 3, 16 and 256 nodes, from one thread and from two
 * threads sharing the router. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes
 * allocated per call.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SelectBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectBenchmark {

    /** Every built-in policy; {@code SelectBenchmarkTest} keeps this list equal to the registered ones. */
    @Param({"pool-ewma", "p2c-peak-ewma", "least-in-flight", "lowest-latency", "predictive", "c3", "round-robin",
            "random", "weighted-random"})
    public String policy;

    @Param({"3", "16", "256"})
    public int nodes;

    /** The router's concurrency limit: off (the default) or on with {@code ConcurrencyLimit.defaults()}. */
    @Param({"off", "on"})
    public String concurrencyLimit;

    private Router<URI> router;

    @Setup(Level.Trial)
    public void setUp() {
        RouterBuilder<URI> b = Router.<URI>builder("bench").policy(policy)
                .concurrencyLimit("on".equals(concurrencyLimit) ? ConcurrencyLimit.defaults() : ConcurrencyLimit.disabled());
        for (int i = 0; i < nodes; i++) {
            b.node(Node.of("n" + i, URI.create("http://10.0." + (i / 250) + "." + (i % 250 + 1) + ":8080")));
        }
        router = b.build();
        // every node gets a sample first, so p2c-peak-ewma compares costs rather than trying unsampled nodes
        for (int i = 0; i < nodes * 20; i++) {
            router.begin().complete(Outcome.SUCCESS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
    }

    /** One call's routing work on one thread. Returns the node so the work cannot be optimised away. */
    @Benchmark
    @Threads(1)
    public Node<URI> beginComplete() {
        return cycle();
    }

    /** The same from two threads at once on one router. */
    @Benchmark
    @Threads(2)
    public Node<URI> beginCompleteTwoThreads() {
        return cycle();
    }

    private Node<URI> cycle() {
        Attempt<URI> attempt = router.begin();
        attempt.complete(Outcome.SUCCESS);
        return attempt.node();
    }
}
