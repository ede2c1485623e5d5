package io.smartqueryrouter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.RoutingPolicies;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * The JMH benchmarks are not run by the build, but their setup and one operation of each are, so
 * a change elsewhere that breaks them shows here rather than at the next measurement.
 */
class BenchmarksSmokeTest {

    @Test
    void selectBenchmarkCoversEveryRegisteredPolicy() throws Exception {
        String[] params = SelectBenchmark.class.getField("policy").getAnnotation(Param.class).value();

        assertThat(params).containsExactlyInAnyOrderElementsOf(RoutingPolicies.providers().keySet());
    }

    @Test
    void selectBenchmarkRunsEveryPolicyOverEveryNodeCount() throws Exception {
        String[] policies = SelectBenchmark.class.getField("policy").getAnnotation(Param.class).value();
        String[] nodeCounts = SelectBenchmark.class.getField("nodes").getAnnotation(Param.class).value();
        for (String policy : policies) {
            for (String nodes : nodeCounts) {
                SelectBenchmark b = new SelectBenchmark();
                b.policy = policy;
                b.nodes = Integer.parseInt(nodes);
                b.setUp();
                try {
                    assertThat(b.beginComplete().id()).startsWith("n");
                    assertThat(b.beginCompleteTwoThreads().id()).startsWith("n");
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    @Test
    void jdbcOverheadBenchmarkQueriesTheSameRowEveryWay() throws Exception {
        JdbcOverheadBenchmark b = new JdbcOverheadBenchmark();
        b.setUp();
        try {
            assertThat(b.plainHikari()).isEqualTo("value-1");
            assertThat(b.plainHikariReadOnly()).isEqualTo("value-2");
            assertThat(b.routedPrimary()).isEqualTo("value-3");
            assertThat(b.routedReplicaRead()).isEqualTo("value-4");
        } finally {
            b.tearDown();
        }
    }

    @Test
    void okHttpOverheadBenchmarkGetsTheSameBodyEveryWay() throws Exception {
        OkHttpOverheadBenchmark b = new OkHttpOverheadBenchmark();
        b.setUp();
        try {
            int size = b.plainClient();
            assertThat(size).isPositive();
            assertThat(b.routedOneNode()).isEqualTo(size);
            for (int i = 0; i < 6; i++) {
                assertThat(b.routedThreeNodes()).isEqualTo(size);
            }
        } finally {
            b.tearDown();
        }
    }
}
