package io.smartqueryrouter.benchmarks;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@link JdbcOverheadBenchmark}'s four cases in one JVM on one thread, interleaved: each round runs a
 * batch of every case in a shuffled order, and each case's number is its median batch. On a shared,
 * loaded machine a JMH run measures each case in its own stretch of time, so load that comes and goes
 * lands on one case and not the others; interleaving spreads it over all of them, and the median drops
 * the batches a burst of load hit. Reports wall time, the thread's CPU time and the bytes allocated per
 * query, each against plain HikariCP.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.JdbcSideBySide [rounds] [batch]
 * </pre>
 */
public final class JdbcSideBySide {
    private JdbcSideBySide() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the number of rounds (default 60) and the queries per batch (default 5000)
     * @throws SQLException if the database fails
     */
    public static void main(String[] args) throws SQLException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        JdbcOverheadBenchmark bench = new JdbcOverheadBenchmark();
        bench.setUp();
        try {
            run(bench, rounds, batch);
        } finally {
            bench.tearDown();
        }
    }

    private static void run(JdbcOverheadBenchmark bench, int rounds, int batch) throws SQLException {
        compare(new String[] {"plainHikari", "plainHikariReadOnly", "routedPrimary", "routedReplicaRead"},
                new int[] {0, 0, 0, 0}, (benchCase, n) -> batch(bench, benchCase, n), rounds, batch);
    }

    /** Runs {@code n} operations of one case; returns something of their results, so none is optimised away. */
    interface Cases {
        /**
         * Runs a batch.
         *
         * @param benchCase which case, an index into the names given to {@link #compare}
         * @param n how many operations
         * @return a sum of something the operations returned
         * @throws SQLException if the database fails
         */
        int batch(int benchCase, int n) throws SQLException;
    }

    /**
     * Runs every case {@code rounds} times, a batch of each per round in a shuffled order, after a warm-up
     * of ten batches each, and prints each case's median batch per operation: wall time, the thread's CPU
     * time and allocated bytes, each against its baseline case's, and its CPU time over the baseline's in
     * nanoseconds.
     *
     * @param names the cases' names
     * @param baseline for each case, the index of the case it is compared with
     * @param cases runs a batch of a case
     * @param rounds how many batches of each case are measured
     * @param batch the operations per batch
     * @throws SQLException if the database fails
     */
    static void compare(String[] names, int[] baseline, Cases cases, int rounds, int batch) throws SQLException {
        int count = names.length;
        long[][] wall = new long[count][rounds];
        long[][] cpu = new long[count][rounds];
        long[][] bytes = new long[count][rounds];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        Random shuffle = new Random(42);
        // warm-up: every case, long enough for C2
        for (int w = 0; w < 10; w++) {
            for (int i = 0; i < count; i++) {
                cases.batch(i, batch);
            }
        }
        for (int r = 0; r < rounds; r++) {
            Collections.shuffle(order, shuffle);
            for (int i : order) {
                long b0 = threads.getThreadAllocatedBytes(self);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                cases.batch(i, batch);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                long b1 = threads.getThreadAllocatedBytes(self);
                wall[i][r] = t1 - t0;
                cpu[i][r] = c1 - c0;
                bytes[i][r] = b1 - b0;
            }
        }
        System.out.printf("%d rounds of %d queries per case, interleaved; medians per query%n", rounds, batch);
        System.out.printf("%-20s %10s %7s %10s %7s %8s %7s %10s%n", "case", "wall ns", "vs", "cpu ns", "vs", "B/op", "vs",
                "cpu +ns");
        for (int i = 0; i < count; i++) {
            int base = baseline[i];
            double w = median(wall[i]) / batch;
            double c = median(cpu[i]) / batch;
            double b = median(bytes[i]) / (double) batch;
            double w0 = median(wall[base]) / batch;
            double c0 = median(cpu[base]) / batch;
            double b0 = median(bytes[base]) / (double) batch;
            System.out.printf("%-20s %10.0f %7.3f %10.0f %7.3f %8.0f %7.3f %10.1f%n", names[i], w, w / w0, c, c / c0, b,
                    b / b0, c - c0);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** A batch of one case; a loop per case, so each calls one benchmark method. */
    private static int batch(JdbcOverheadBenchmark bench, int benchCase, int n) throws SQLException {
        int sum = 0;
        switch (benchCase) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    sum += bench.plainHikari().length();
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    sum += bench.plainHikariReadOnly().length();
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    sum += bench.routedPrimary().length();
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    sum += bench.routedReplicaRead().length();
                }
            }
        }
        return sum;
    }
}
