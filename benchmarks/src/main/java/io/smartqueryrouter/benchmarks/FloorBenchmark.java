package io.smartqueryrouter.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The least a power-of-two-choices pick and its completion can cost, as the yardstick for
 * {@link SelectBenchmark}: two clock reads, two random draws, two loads of a cost, in-flight +1
 * and -1, and one CAS that folds the latency into the chosen node's cost. No router, no policy
 * object, no statistics beyond that one cost, no counters. Run both in one JMH run and compare:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar "FloorBenchmark|SelectBenchmark.beginComplete$" \
 *     -p policy=p2c-peak-ewma,round-robin -p nodes=16,256 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {

    @Param({"3", "16", "256"})
    public int nodes;

    private Slot[] slots;

    /** One node: its in-flight count and its cost (a double's bits). */
    static final class Slot {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong cost = new AtomicLong(Double.doubleToRawLongBits(1_000_000));
    }

    @Setup
    public void setUp() {
        slots = new Slot[nodes];
        for (int i = 0; i < nodes; i++) {
            slots[i] = new Slot();
        }
    }

    /** One pick and its completion on one thread. Returns the slot so the work cannot be optimised away. */
    @Benchmark
    @Threads(1)
    public Object pickAndComplete() {
        return cycle();
    }

    private Slot cycle() {
        long start = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(nodes);
        int b = random.nextInt(nodes - 1);
        if (b >= a) {
            b++;
        }
        Slot sa = slots[a];
        Slot sb = slots[b];
        Slot chosen = Double.longBitsToDouble(sa.cost.get()) <= Double.longBitsToDouble(sb.cost.get()) ? sa : sb;
        chosen.inFlight.incrementAndGet();
        long latency = System.nanoTime() - start;
        chosen.inFlight.decrementAndGet();
        long bits = chosen.cost.get();
        double next = Double.longBitsToDouble(bits) * 0.99 + latency * 0.01;
        chosen.cost.compareAndSet(bits, Double.doubleToRawLongBits(next));
        return chosen;
    }
}
