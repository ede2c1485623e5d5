package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A {@link NodeGroup}'s candidates are worked out once per view of the router and per refresh, not per
 * call, and calls over it go to its members only.
 */
class NodeGroupTest {
    private static final RoutingPolicy FIRST = (candidates, nowNanos, random) -> 0;

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    private Router<String> router(String... ids) {
        RouterBuilder<String> b = Router.<String>builder("db").policy(FIRST).ticker(now::get)
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).maxEjectionPercent(100).build());
        for (String id : ids) {
            b.node(Node.of(id, id));
        }
        return b.build();
    }

    private static String first(Router<String> r, NodeGroup<String> g) {
        RoutedCall<String> call = r.newCall(g, null);
        Attempt<String> a = call.begin();
        a.complete(Outcome.SUCCESS);
        call.succeeded(a);
        return a.node().id();
    }

    @Test
    void callsGoToMembersAndThePredicateIsAskedOncePerViewNotPerCall() {
        try (Router<String> r = router("primary", "replica-1", "replica-2")) {
            AtomicInteger asked = new AtomicInteger();
            NodeGroup<String> replicas = r.group("replicas", n -> {
                asked.incrementAndGet();
                return n.id().startsWith("replica");
            });
            for (int i = 0; i < 1000; i++) {
                assertThat(first(r, replicas)).isEqualTo("replica-1");
            }
            // the available nodes and all nodes, each filtered once: 3 + 3
            assertThat(asked).hasValue(6);
            assertThat(replicas.available()).isEqualTo(2);
            assertThat(replicas.registered()).isEqualTo(2);

            // a failure ejects replica-1: a new view, worked out once more
            RoutedCall<String> failing = r.newCall(replicas, null);
            Attempt<String> a = failing.begin();
            a.complete(Outcome.FAILURE);
            assertThat(r.stats("replica-1").orElseThrow().ejected()).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(first(r, replicas)).isEqualTo("replica-2");
            }
            // the two nodes still available and all three, each filtered once
            assertThat(asked).hasValue(11);
            assertThat(replicas.available()).isEqualTo(1);
            assertThat(replicas.registered()).isEqualTo(2);
        }
    }

    @Test
    void bindFirstAvailableTakesAnAvailableMemberOrNothingAtAllWhereBindFirstFailsOpen() {
        try (Router<String> r = router("primary", "replica-1", "replica-2"); Router<String> other = router("x")) {
            NodeGroup<String> replicas = r.group("replicas", n -> n.id().startsWith("replica"));
            BoundNode<String> b = r.bindFirstAvailable(replicas);
            assertThat(b.node().id()).isEqualTo("replica-1");
            assertThat(r.stats("replica-1").orElseThrow().inFlight()).isEqualTo(1);
            b.endFirst(Outcome.SUCCESS);
            b.close();
            for (String id : List.of("replica-1", "replica-2")) {
                Attempt<String> a = r.newCall(r.group(id, n -> n.id().equals(id)), null).begin();
                a.complete(Outcome.FAILURE);
                assertThat(r.stats(id).orElseThrow().ejected()).as(id).isTrue();
            }
            long started = r.snapshot().attemptsStarted();
            assertThat(r.bindFirstAvailable(replicas)).as("no replica available: nothing bound").isNull();
            assertThat(r.snapshot().attemptsStarted()).as("nor counted").isEqualTo(started);
            assertThat(r.stats("replica-1").orElseThrow().inFlight() + r.stats("replica-2").orElseThrow().inFlight()).isZero();
            BoundNode<String> open = r.bindFirst(replicas);
            assertThat(open.node().id()).as("bindFirst fails open to a member believed down").startsWith("replica");
            open.endFirst(Outcome.SUCCESS);
            open.close();
            assertThatThrownBy(() -> r.bindFirstAvailable(other.group("x", n -> true)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a group of this router");
            assertThatThrownBy(() -> r.bindFirstAvailable(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void refreshMakesTheNextCallAskThePredicateAgain() {
        try (Router<String> r = router("a", "b")) {
            Set<String> members = new HashSet<>(Set.of("a"));
            NodeGroup<String> group = r.group("members", n -> members.contains(n.id()));
            assertThat(first(r, group)).isEqualTo("a");
            members.clear();
            members.add("b");
            assertThat(first(r, group)).as("not refreshed: the kept candidates").isEqualTo("a");
            group.refresh();
            assertThat(first(r, group)).isEqualTo("b");
            assertThat(group.available()).isEqualTo(1);
        }
    }

    @Test
    void aGroupOfAnotherRouterFiltersLikeAnyPredicate() {
        try (Router<String> r = router("a", "b"); Router<String> other = router("a", "b")) {
            NodeGroup<String> onlyB = other.group("b only", n -> n.id().equals("b"));
            assertThat(first(r, onlyB)).isEqualTo("b");
            assertThat(onlyB.toString()).isEqualTo("NodeGroup[router=db, b only]");
        }
    }

    @Test
    void onlyListenersOfAttemptsHearThemAndOthersStillHearTheirEvents() {
        try (Router<String> r = router("a", "b")) {
            List<String> added = new CopyOnWriteArrayList<>();
            List<String> attempts = new CopyOnWriteArrayList<>();
            RouterListener membership = new RouterListener() {
                @Override
                public void onNodeAdded(String router, Node<?> node) {
                    added.add(node.id());
                }
            };
            RouterListener calls = new RouterListener() {
                @Override
                public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
                    attempts.add(node.id() + " " + outcome);
                }
            };
            r.addListener(membership);
            first(r, null);
            assertThat(added).containsExactly("a", "b");
            assertThat(attempts).isEmpty();
            r.addListener(calls);
            first(r, null);
            assertThat(attempts).containsExactly("a SUCCESS");
            r.removeListener(calls);
            first(r, null);
            r.addNode(Node.of("c", "c"));
            assertThat(attempts).containsExactly("a SUCCESS");
            assertThat(added).containsExactly("a", "b", "c");
        }
    }
}
