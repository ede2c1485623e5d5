package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * A deterministic discrete-event simulation of one {@link Scenario} under one {@link SimPolicy}.
 *
 * <p>Each client owns a real {@link Router} built with the router's defaults (retry policy and
 * budget, outlier ejection unless the scenario turns it off, Peak-EWMA settings; no active health
 * checking, which needs real sockets), the policy instance under test, a
 * {@link io.smartqueryrouter.core.Ticker} that reads the simulated clock and a seeded random
 * generator. The simulator only plays the world around the routers:
 *
 * <ul>
 *   <li>each client's calls arrive as a Poisson process; a call draws its base work once (its
 *       service time on a speed-1 server) from the client's own stream, so every policy faces the
 *       same calls with the same work (common random numbers);
 *   <li>a call begins an attempt with {@code router.newCall().begin()}, which travels the network to the
 *       chosen server; the server serves it FIFO on one of its workers for
 *       {@code work / speed x slowdown(now)}, paused while the server is frozen; the answer
 *       travels back and the attempt completes as {@code SUCCESS};
 *   <li>an attempt not answered within the timeout (or its {@link Attempt#waitLimitNanos() wait
 *       limit}, if shorter: an ejected node's trial call) completes as {@code FAILURE} and the call
 *       fails over as its {@link io.smartqueryrouter.core.RoutedCall} decides (another node, within
 *       max attempts and the retry budget; with a hedge out, a retry while it runs); the server still does the work, as a real one would, and the late answer is
 *       dropped;
 *   <li>a server that is gone refuses at once (the client learns it one network delay later) and
 *       resets what it held: each such attempt completes as {@code FAILURE} and fails over;
 *   <li>with {@link Scenario#dropAbandoned()}, a server drops the work of an attempt its caller gave
 *       up: at the attempt's timeout (the deadline travelled with the request) or one network delay
 *       after it was cancelled; a dropped request frees its worker at once;
 *   <li>with {@link Scenario#healthCheck()}, each router runs the core's health checker on a
 *       {@link SimExecutor} (simulated time, via {@code RouterBuilder.executor}); each probe is a
 *       request of the probe's work that travels the network and queues at the server like any
 *       call, and passes if answered within the probe timeout. The checker draws its jitter from
 *       an unseeded generator of its own (not the router's), which would make runs differ, so the
 *       routers get jitter 0: every client probes every node at the same moments.
 * </ul>
 *
 * Calls arrive for the scenario's duration; the run then goes on until every open call has ended,
 * so every call counts, with the time its caller waited (failed calls included).
 *
 * <p>Not thread-safe; one simulation runs on one thread. Different simulations may run in parallel.
 */
public final class Simulation {
    private static final int ARRIVAL = 0;
    private static final int AT_SERVER = 1;
    private static final int SERVICE_DONE = 2;
    private static final int ANSWER = 3;
    private static final int FAILED_ANSWER = 4;
    private static final int TIMEOUT = 5;
    private static final int SERVER_DOWN = 6;
    private static final int SERVER_UP = 7;
    private static final int RETRY = 8;
    private static final int HEDGE = 9;
    private static final int TASK = 10;
    private static final int ABANDON = 11;

    private static final int STREAM_ROUTER = 1;
    private static final int STREAM_ARRIVALS = 2;
    private static final int STREAM_WORK = 3;
    /**
     * {@code -Dsim.routerStream=N}: the routers draw from another stream (kind {@code 16 N + 1}); the
     * arrivals and the work stay the same. Measures how far the routers' random picks alone move a result
     * (the noise against which a change that shifts the picks, such as one hedge, is judged).
     */
    private static final int ROUTER_STREAM_SHIFT = Integer.getInteger("sim.routerStream", 0);
    /** What a failed attempt reports to its call: the simulated failures have no stack to speak of. */
    private static final Exception REFUSED_OR_RESET = new java.io.IOException("connection refused or reset");
    private static final Exception TIMED_OUT = new java.net.SocketTimeoutException("timed out");

    private final Scenario scenario;
    private final SimPolicy policy;
    private final SimTrace trace;
    private final Server[] servers;
    private final Client[] clients;
    private final Recorder recorder;
    private final EventHeap events = new EventHeap();
    /** Where the health checks' probes run; null without a health check. */
    private final SimExecutor.Fibers fibers;
    /** Probes waiting for their answer, so the run can end them when it is over. */
    private final Set<PendingProbe> pendingProbes = new LinkedHashSet<>();
    private Thread simulationThread;
    private long now;
    private long sequence;
    private long processed;
    private int openCalls;
    private boolean ran;

    private Simulation(Scenario scenario, SimPolicy policy, SimTrace trace) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.trace = trace;
        List<ServerSpec> specs = scenario.servers();
        this.servers = new Server[specs.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new Server(i, specs.get(i), scenario.workers());
        }
        this.fibers = scenario.healthCheck() == null ? null : new SimExecutor.Fibers();
        this.recorder = new Recorder(servers.length, scenario.durationNanos());
        this.clients = new Client[scenario.clients()];
        double perClientPerNano = scenario.arrivalsPerSecond() / scenario.clients() / 1e9;
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Client(i, buildRouter(i), perClientPerNano, scenario.seed());
        }
    }

    /** Runs the scenario under the policy and returns what the callers saw. */
    public static RunResult run(Scenario scenario, SimPolicy policy) {
        return new Simulation(scenario, policy, null).run();
    }

    /** Runs like {@link #run(Scenario, SimPolicy)} and reports every routing step of every client to {@code trace}. */
    public static RunResult run(Scenario scenario, SimPolicy policy, SimTrace trace) {
        return new Simulation(scenario, policy, Objects.requireNonNull(trace, "trace")).run();
    }

    /** Returns the name of client {@code i}'s router. */
    public static String routerName(int client) {
        return "client-" + client;
    }

    /** Returns the nodes every client's router gets: node {@code s<i>} has the server index {@code i} as its endpoint. */
    public static List<Node<Integer>> nodes(Scenario scenario) {
        List<Node<Integer>> nodes = new ArrayList<>();
        for (int i = 0; i < scenario.servers().size(); i++) {
            nodes.add(Node.of(Scenario.nodeId(i), i));
        }
        return nodes;
    }

    /** Returns the random generator client {@code i}'s router is given under {@code seed}. */
    public static RandomGenerator routerRandom(long seed, int client) {
        return stream(seed, STREAM_ROUTER + 16 * ROUTER_STREAM_SHIFT, client);
    }

    private static RandomGenerator stream(long seed, int kind, int index) {
        // SplitMix64's finaliser over (seed, kind, index): independent, reproducible streams
        long z = seed * 0x9E3779B97F4A7C15L + kind * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    private Router<Integer> buildRouter(int client) {
        RouterBuilder<Integer> b = Router.<Integer>builder(routerName(client))
                .nodes(nodes(scenario))
                .policy(policy.factory().apply(this))
                .ticker(() -> now)
                .random(routerRandom(scenario.seed(), client))
                .outlierEjection(scenario.outlierEjection() ? OutlierEjection.defaults() : OutlierEjection.disabled());
        if (scenario.hedge() != null) {
            b.hedge(scenario.hedge());
        }
        if (scenario.concurrencyLimit() != null) {
            b.concurrencyLimit(scenario.concurrencyLimit());
        }
        Scenario.Probing probing = scenario.healthCheck();
        if (probing != null) {
            b.healthCheck(HealthCheck.of(new SimProbe()).interval(Duration.ofNanos(probing.intervalNanos()))
                            .timeout(Duration.ofNanos(probing.timeoutNanos())).fall(probing.fall()).rise(probing.rise())
                            .jitter(0))
                    .executor(new SimExecutor(() -> now, (at, task) -> schedule(at, TASK, null, task), fibers));
        }
        return b.build();
    }

    // ------------------------------------------------------------------ what the oracle reads

    /**
     * Returns when a request sent to {@code server} now is expected to be answered, from the
     * server's true state: infinite when it is gone; else any freeze left, plus the wait behind the
     * requests already there or on their way ((n - c + 1) x mean / c when all c workers are busy),
     * plus the mean service time at its current speed. The network is the same for every server.
     */
    double expectedCompletionNanos(int server) {
        Server s = servers[server];
        if (s.down) {
            return Double.POSITIVE_INFINITY;
        }
        double mean = scenario.serviceTime().meanNanos() / s.spec.speed() * s.spec.slowdown().at(now);
        int n = s.inTransit + s.queue.size() - s.abandonedQueued + s.busy;
        double wait = n < s.workers ? 0 : (n - s.workers + 1) * mean / s.workers;
        return (s.spec.frozenUntil(now) - now) + wait + mean;
    }

    // ------------------------------------------------------------------ the run

    private RunResult run() {
        if (ran) {
            throw new IllegalStateException("a simulation runs once");
        }
        ran = true;
        simulationThread = Thread.currentThread();
        long wallStart = System.nanoTime();
        for (Client c : clients) {
            schedule(c.nextArrival(0), ARRIVAL, null, c);
        }
        for (Server s : servers) {
            for (ServerSpec.Outage o : s.spec.outages()) {
                schedule(o.fromNanos(), SERVER_DOWN, null, s);
                schedule(o.toNanos(), SERVER_UP, null, s);
            }
        }
        long duration = scenario.durationNanos();
        while (!events.isEmpty()) {
            Event e = events.poll();
            now = e.time;
            processed++;
            handle(e);
            if (openCalls == 0 && now >= duration) {
                break;
            }
        }
        for (Client c : clients) {
            c.router.close();
        }
        if (fibers != null) {
            // the routers are closed: what the probes still waiting answer is dropped; let their threads end
            for (PendingProbe p : List.copyOf(pendingProbes)) {
                p.result = ProbeResult.failed("the simulation is over");
                fibers.resume(p.go);
            }
            fibers.close();
        }
        return recorder.result(scenario, policy.name(), processed, System.nanoTime() - wallStart, now);
    }

    private void handle(Event e) {
        switch (e.kind) {
            case ARRIVAL -> arrival((Client) e.subject);
            case AT_SERVER -> atServer(e.request);
            case SERVICE_DONE -> serviceDone(e.request);
            case ANSWER -> answered(e.request, Outcome.SUCCESS);
            case FAILED_ANSWER -> answered(e.request, Outcome.FAILURE);
            case TIMEOUT -> timedOut(e.request);
            case SERVER_DOWN -> serverDown((Server) e.subject);
            case SERVER_UP -> ((Server) e.subject).down = false;
            case RETRY -> retry(e.request);
            case HEDGE -> hedge(e.request);
            case TASK -> ((Runnable) e.subject).run();
            case ABANDON -> abandon(e.request);
            default -> throw new IllegalStateException("unknown event " + e.kind);
        }
    }

    private void arrival(Client client) {
        Call call = new Call(client, now, client.nextWork(scenario.serviceTime()), client.router.newCall());
        openCalls++;
        Attempt<Integer> attempt;
        try {
            attempt = call.routed.begin();
        } catch (ConcurrencyLimitExceededException e) {
            // shed by the client at once: a failed call that cost the servers nothing
            recorder.rejectedByLimit++;
            if (trace != null) {
                trace.rejected(client.index, call.id, now);
            }
            attempt = null;
            finish(call, true);
        }
        if (attempt != null) {
            if (trace != null) {
                trace.begun(client.index, call.id, now, attempt.node().id());
            }
            Request first = send(call, attempt);
            call.first = first;
            if (scenario.hedge() != null) {
                schedule(now + call.routed.hedgeDelayNanos(), HEDGE, first, null);
            }
        }
        long next = client.nextArrival(now);
        if (next < scenario.durationNanos()) {
            schedule(next, ARRIVAL, null, client);
        }
    }

    private Request send(Call call, Attempt<Integer> attempt) {
        Server server = servers[attempt.node().endpoint()];
        Request r = new Request(call, attempt, server, call.workNanos);
        call.open++;
        recorder.attemptSent(server.index, now);
        server.inTransit++;
        schedule(now + scenario.networkDelayNanos(), AT_SERVER, r, null);
        // the attempt's wait limit, as the OkHttp adapter applies it: shorter on a node the router believes down
        schedule(now + Math.min(scenario.timeoutNanos(), attempt.waitLimitNanos()), TIMEOUT, r, null);
        return r;
    }

    /** The hedge delay passed: if the call's first attempt is still out, send it to a second node as well. */
    private void hedge(Request first) {
        Call call = first.call;
        if (call.done || first.settled) {
            return;
        }
        Attempt<Integer> hedge = call.routed.hedge();
        if (hedge != null) {
            recorder.hedges++;
            if (trace != null) {
                trace.hedged(call.client.index, call.id, now, hedge.node().id());
            }
            call.hedged = send(call, hedge);
        }
    }

    private void atServer(Request r) {
        Server s = r.server;
        s.inTransit--;
        if (r.abandoned) {
            return; // its caller gave up while it travelled, and the server knows it
        }
        if (s.down) {
            // connection refused: the client hears it one network delay later
            schedule(now + scenario.networkDelayNanos(), FAILED_ANSWER, r, null);
            return;
        }
        r.epoch = s.epoch;
        if (s.busy < s.workers) {
            startService(s, r);
        } else {
            r.where = Request.QUEUED;
            s.queue.addLast(r);
        }
    }

    private void startService(Server s, Request r) {
        s.busy++;
        s.inService.add(r);
        r.where = Request.IN_SERVICE;
        double work = r.workNanos / s.spec.speed() * s.spec.slowdown().at(now);
        schedule(s.spec.finishTime(now, Math.max(1, Math.round(work))), SERVICE_DONE, r, null);
    }

    private void serviceDone(Request r) {
        Server s = r.server;
        if (r.epoch != s.epoch || r.where != Request.IN_SERVICE) {
            return; // the server crashed since (this request was reset), or it dropped the request
        }
        s.busy--;
        s.inService.remove(r);
        r.where = Request.ANSWERED;
        schedule(now + scenario.networkDelayNanos(), ANSWER, r, null);
        startNext(s);
    }

    /** A worker is free: it takes the next request in the queue that its caller has not given up. */
    private void startNext(Server s) {
        Request next;
        while ((next = s.queue.pollFirst()) != null && next.abandoned) {
            s.abandonedQueued--;
        }
        if (next != null) {
            startService(s, next);
        }
    }

    /**
     * With servers that drop work whose caller gave up: the server learns that {@code r}'s caller gave
     * up. Queued, it is skipped when its turn comes; in service, its worker is freed now.
     */
    private void abandon(Request r) {
        if (r.abandoned || r.where == Request.ANSWERED || r.epoch != r.server.epoch && r.where != Request.IN_TRANSIT) {
            return;
        }
        r.abandoned = true;
        Server s = r.server;
        if (r.where == Request.QUEUED) {
            s.abandonedQueued++;
        } else if (r.where == Request.IN_SERVICE) {
            s.busy--;
            s.inService.remove(r);
            r.where = Request.ANSWERED;
            startNext(s);
        }
    }

    private void serverDown(Server s) {
        s.down = true;
        s.epoch++;
        // every connection it held is reset; the clients hear it one network delay later
        for (Request r : s.inService) {
            schedule(now + scenario.networkDelayNanos(), FAILED_ANSWER, r, null);
        }
        for (Request r : s.queue) {
            schedule(now + scenario.networkDelayNanos(), FAILED_ANSWER, r, null);
        }
        s.inService.clear();
        s.queue.clear();
        s.abandonedQueued = 0;
        s.busy = 0;
    }

    private void answered(Request r, Outcome outcome) {
        if (r.settled) {
            if (trace != null && r.probe == null) {
                trace.lateAnswer(r.call.client.index, r.call.id, now, r.attempt.node().id());
            }
            return; // it timed out or lost to its hedge before: the answer comes too late
        }
        if (r.probe != null) {
            probeAnswered(r, outcome == Outcome.SUCCESS ? ProbeResult.ok() : ProbeResult.failed("refused or reset"));
            return;
        }
        settle(r, outcome);
        if (outcome == Outcome.SUCCESS) {
            r.call.routed.succeeded(r.attempt);
            finish(r.call, false);
            cancelOthers(r);
        } else {
            recorder.refusedOrReset++;
            failOver(r, REFUSED_OR_RESET);
        }
    }

    private void timedOut(Request r) {
        if (r.settled) {
            return;
        }
        if (scenario.dropAbandoned()) {
            abandon(r);
        }
        if (r.probe != null) {
            probeAnswered(r, ProbeResult.failed("no answer within the probe timeout"));
            return;
        }
        recorder.timeouts++;
        settle(r, Outcome.FAILURE);
        failOver(r, TIMED_OUT);
    }

    /** The first answer won: the call's other attempt still out is cancelled (its server still does the work). */
    private void cancelOthers(Request winner) {
        Call call = winner.call;
        for (Request other : new Request[] {call.first, call.hedged}) {
            if (other != null && other != winner && !other.settled) {
                settle(other, Outcome.CANCELLED);
                if (scenario.dropAbandoned()) {
                    schedule(now + scenario.networkDelayNanos(), ABANDON, other, null);
                }
            }
        }
    }

    private void settle(Request r, Outcome outcome) {
        r.settled = true;
        r.call.open--;
        r.attempt.complete(outcome);
        if (trace != null) {
            trace.completed(r.call.client.index, r.call.id, now, outcome);
            trace.settled(r.call.client.index, r.call.id, now, r.attempt.node().id(), outcome);
        }
    }

    /** Reports a failed attempt to the call, which decides: retry (after its backoff), wait for the hedge, or stop. */
    private void failOver(Request r, Exception failure) {
        RoutedCall.Decision decision = r.call.routed.failed(r.attempt, failure, null);
        switch (decision.action()) {
            case RETRY -> {
                if (decision.delayNanos() > 0) {
                    schedule(now + decision.delayNanos(), RETRY, r, null);
                } else {
                    retry(r);
                }
            }
            case STOP -> finish(r.call, true);
            case WAIT -> {
                // the call's hedge is still out: its answer decides
            }
        }
    }

    private void retry(Request failed) {
        Call call = failed.call;
        if (call.done) {
            return;
        }
        Attempt<Integer> next = call.routed.retry();
        if (trace != null) {
            trace.retried(call.client.index, call.id, now, next == null ? null : next.node().id());
        }
        if (next != null) {
            send(call, next);
        } else if (call.routed.isDone()) {
            finish(call, true);
        }
    }

    private void finish(Call call, boolean failed) {
        call.done = true;
        openCalls--;
        recorder.callEnded(call.startNanos, now, failed);
    }

    private void schedule(long time, int kind, Request request, Object subject) {
        events.add(new Event(time, sequence++, kind, request, subject));
    }

    // ------------------------------------------------------------------ health checking

    /** A probe waiting for its answer; its fiber is parked on {@code go}. */
    private static final class PendingProbe {
        final Semaphore go = new Semaphore(0);
        ProbeResult result;
    }

    /**
     * The routers' health probe: a request of the scenario's probe work to the node's server, through
     * the network and the server's queue like any call. It runs on a fiber of the {@link SimExecutor}
     * and parks until the simulation has its answer, a refusal or its timeout.
     */
    private final class SimProbe implements HealthProbe<Integer> {
        @Override
        public ProbeResult probe(Node<Integer> node, Duration timeout) throws InterruptedException {
            if (Thread.currentThread() == simulationThread) {
                throw new IllegalStateException("a simulated probe must run on the simulated executor's fibers");
            }
            Server server = servers[node.endpoint()];
            Request r = new Request(null, null, server, scenario.healthCheck().workNanos());
            PendingProbe p = new PendingProbe();
            r.probe = p;
            pendingProbes.add(p);
            recorder.probes++;
            server.inTransit++;
            schedule(now + scenario.networkDelayNanos(), AT_SERVER, r, null);
            schedule(now + timeout.toNanos(), TIMEOUT, r, null);
            fibers.park(p.go);
            return p.result;
        }
    }

    /** The probe {@code r} has its result: its fiber goes on, reports it to the checker and ends. */
    private void probeAnswered(Request r, ProbeResult result) {
        r.settled = true;
        PendingProbe p = r.probe;
        pendingProbes.remove(p);
        p.result = result;
        fibers.resume(p.go);
    }

    // ------------------------------------------------------------------ the world's parts

    private static final class Client {
        final int index;
        final Router<Integer> router;
        final double ratePerNano;
        final RandomGenerator arrivals;
        final RandomGenerator work;
        long calls;

        Client(int index, Router<Integer> router, double ratePerNano, long seed) {
            this.index = index;
            this.router = router;
            this.ratePerNano = ratePerNano;
            this.arrivals = stream(seed, STREAM_ARRIVALS, index);
            this.work = stream(seed, STREAM_WORK, index);
        }

        long nextArrival(long from) {
            return from + Math.max(1, Math.round(arrivals.nextExponential() / ratePerNano));
        }

        long nextWork(ServiceTime serviceTime) {
            return serviceTime.sampleNanos(work);
        }
    }

    private static final class Server {
        final int index;
        final ServerSpec spec;
        final int workers;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        final List<Request> inService = new ArrayList<>();
        int busy;
        int inTransit;
        /** Requests in {@code queue} whose caller gave up, skipped when their turn comes. */
        int abandonedQueued;
        int epoch;
        boolean down;

        Server(int index, ServerSpec spec, int workers) {
            this.index = index;
            this.spec = spec;
            this.workers = workers;
        }
    }

    private static final class Call {
        final Client client;
        final long id;
        final long startNanos;
        final long workNanos;
        /** Attempts sent and not yet settled. */
        int open;
        boolean done;
        Request first;
        Request hedged;
        /** Every decision of the call (retry, hedge, stop), as the adapters use it. */
        final RoutedCall<Integer> routed;

        Call(Client client, long startNanos, long workNanos, RoutedCall<Integer> routed) {
            this.client = client;
            this.routed = routed;
            this.id = client.calls++;
            this.startNanos = startNanos;
            this.workNanos = workNanos;
        }
    }

    /** One attempt of a call on one server, or one health-check probe (then {@code call} and {@code attempt} are null). */
    private static final class Request {
        static final int IN_TRANSIT = 0;
        static final int QUEUED = 1;
        static final int IN_SERVICE = 2;
        /** Served (its answer is on the way), or dropped. */
        static final int ANSWERED = 3;

        final Call call;
        final Attempt<Integer> attempt;
        final Server server;
        final long workNanos;
        PendingProbe probe;
        int epoch;
        int where = IN_TRANSIT;
        boolean settled;
        /** The server knows its caller gave up and will not do (more of) its work. */
        boolean abandoned;

        Request(Call call, Attempt<Integer> attempt, Server server, long workNanos) {
            this.call = call;
            this.attempt = attempt;
            this.server = server;
            this.workNanos = workNanos;
        }
    }

    private static final class Event {
        final long time;
        final long seq;
        final int kind;
        final Request request;
        final Object subject;

        Event(long time, long seq, int kind, Request request, Object subject) {
            this.time = time;
            this.seq = seq;
            this.kind = kind;
            this.request = request;
            this.subject = subject;
        }

        boolean before(Event o) {
            return time < o.time || time == o.time && seq < o.seq;
        }
    }

    /** A binary min-heap on (time, sequence): events at the same time run in the order they were scheduled. */
    private static final class EventHeap {
        private Event[] heap = new Event[1024];
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(Event e) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                Event p = heap[parent];
                if (!e.before(p)) {
                    break;
                }
                heap[i] = p;
                i = parent;
            }
            heap[i] = e;
        }

        Event poll() {
            Event top = heap[0];
            Event last = heap[--size];
            heap[size] = null;
            if (size > 0) {
                int i = 0;
                int half = size >>> 1;
                while (i < half) {
                    int child = 2 * i + 1;
                    Event c = heap[child];
                    int right = child + 1;
                    if (right < size && heap[right].before(c)) {
                        child = right;
                        c = heap[child];
                    }
                    if (!c.before(last)) {
                        break;
                    }
                    heap[i] = c;
                    i = child;
                }
                heap[i] = last;
            }
            return top;
        }
    }
}
