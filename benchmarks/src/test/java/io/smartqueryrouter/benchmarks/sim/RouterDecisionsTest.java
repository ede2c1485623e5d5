package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RoutingPolicies;
import java.time.Duration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator runs the real policies through real routers: replaying what each simulated client
 * told its router (the same begins, outcomes and retries at the same simulated times) on a fresh
 * {@link Router} built as an application would build it gives the same pick every time.
 */
class RouterDecisionsTest {

    /** A short, busy world with every path taken: a slow server, timeouts, a crash, resets, refusals, retries. */
    private static final Scenario EVENTFUL = Scenario.builder("eventful")
            .describe("a flapping slow server, a crash, timeouts")
            .clients(4)
            .utilisation(0.8)
            .duration(Duration.ofSeconds(12))
            .timeout(Duration.ofMillis(150))
            .server(4, ServerSpec.normal().slowdown(Slowdown.flapping(Duration.ofSeconds(2), Duration.ofSeconds(2), 30)))
            .server(3, ServerSpec.normal().down(Duration.ofSeconds(3), Duration.ofSeconds(6)))
            .seed(11)
            .build();

    private record Step(char kind, long call, long nowNanos, String node, Outcome outcome) {
    }

    static List<String> registeredPolicies() {
        return List.copyOf(RoutingPolicies.providers().keySet());
    }

    @ParameterizedTest
    @MethodSource("registeredPolicies")
    void aFreshRouterFedTheSameHistoryMakesTheSamePicks(String policy) {
        Map<Integer, List<Step>> steps = new HashMap<>();
        SimTrace recording = new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
                steps.computeIfAbsent(client, c -> new ArrayList<>()).add(new Step('b', call, nowNanos, nodeId, null));
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
                steps.get(client).add(new Step('c', call, nowNanos, null, outcome));
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
                steps.get(client).add(new Step('r', call, nowNanos, nodeId, null));
            }

            @Override
            public void rejected(int client, long call, long nowNanos) {
                steps.computeIfAbsent(client, c -> new ArrayList<>()).add(new Step('x', call, nowNanos, null, null));
            }
        };
        RunResult run = Simulation.run(EVENTFUL, SimPolicy.registered(policy), recording);

        long picks = 0;
        long failures = 0;
        long retries = 0;
        long refusals = 0;
        for (int client = 0; client < EVENTFUL.clients(); client++) {
            long[] now = {0};
            Router<Integer> router = Router.<Integer>builder(Simulation.routerName(client))
                    .nodes(Simulation.nodes(EVENTFUL))
                    .policy(RoutingPolicies.byName(policy))
                    .ticker(() -> now[0])
                    .random(Simulation.routerRandom(EVENTFUL.seed(), client))
                    .build();
            Map<Long, Attempt<Integer>> open = new HashMap<>();
            Map<Long, RoutedCall<Integer>> calls = new HashMap<>();
            for (Step step : steps.get(client)) {
                now[0] = step.nowNanos();
                switch (step.kind()) {
                    case 'b' -> {
                        RoutedCall<Integer> call = router.newCall();
                        Attempt<Integer> a = call.begin();
                        expectSame(policy, client, step, a.node().id());
                        calls.put(step.call(), call);
                        open.put(step.call(), a);
                        picks++;
                    }
                    case 'x' -> {
                        // the simulation's router refused the call at its concurrency limit: so must this one
                        RoutedCall<Integer> call = router.newCall();
                        assertThatThrownBy(call::begin).as("%s: client %d, call %d", policy, client, step.call())
                                .isInstanceOf(ConcurrencyLimitExceededException.class);
                        refusals++;
                    }
                    case 'c' -> {
                        Attempt<Integer> a = open.get(step.call());
                        a.complete(step.outcome());
                        if (step.outcome() == Outcome.FAILURE) {
                            calls.get(step.call()).failed(a, new IOException("replayed"), null);
                            failures++;
                        }
                    }
                    default -> {
                        Attempt<Integer> next = calls.get(step.call()).retry();
                        expectSame(policy, client, step, next == null ? null : next.node().id());
                        if (next != null) {
                            open.put(step.call(), next);
                            retries++;
                        }
                        picks++;
                    }
                }
            }
            router.close();
        }

        assertThat(picks).isEqualTo(run.attempts() + retryRefusals(steps));
        assertThat(run.calls()).isGreaterThan(10_000);
        assertThat(failures).as("timeouts, refusals and resets happened").isGreaterThan(20);
        assertThat(retries).as("calls failed over").isGreaterThan(20);
        assertThat(refusals).as("every call the simulation's limit refused (on by default) was refused again")
                .isEqualTo(steps.values().stream().flatMap(List::stream).filter(s -> s.kind() == 'x').count());
    }

    private static long retryRefusals(Map<Integer, List<Step>> steps) {
        return steps.values().stream().flatMap(List::stream).filter(s -> s.kind() == 'r' && s.node() == null).count();
    }

    private static void expectSame(String policy, int client, Step step, String replayed) {
        if (!java.util.Objects.equals(step.node(), replayed)) {
            fail(policy + ": client " + client + ", call " + step.call() + " at " + step.nowNanos()
                    + " ns: the simulation picked " + step.node() + ", a fresh router fed the same history picked " + replayed);
        }
    }
}
