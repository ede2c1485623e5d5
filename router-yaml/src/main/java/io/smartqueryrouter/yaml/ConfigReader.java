package io.smartqueryrouter.yaml;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.yaml.YamlTree.Loc;
import io.smartqueryrouter.yaml.YamlTree.ScalarKind;
import io.smartqueryrouter.yaml.YamlTree.YEntry;
import io.smartqueryrouter.yaml.YamlTree.YList;
import io.smartqueryrouter.yaml.YamlTree.YMap;
import io.smartqueryrouter.yaml.YamlTree.YNode;
import io.smartqueryrouter.yaml.YamlTree.YScalar;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@link YamlTree} against the format, by hand, and builds core's config objects. The
 * first mistake met, in file order, is thrown with its location; a key that is not known is
 * reported before the keys of the same map are read, so a misspelt key gives "did you mean",
 * not "missing".
 */
final class ConfigReader {
    static final List<String> TOP_KEYS = List.of("routers");
    static final List<String> ROUTER_KEYS = List.of("policy", "nodes", "health-check", "outlier-ejection", "retry", "hedge",
            "concurrency-limit", "pool");
    static final List<String> NODE_KEYS = List.of("id", "url", "weight", "zone", "labels", "user", "password", "pool");
    static final List<String> POOL_KEYS = List.of("maximum-pool-size", "minimum-idle", "connection-timeout",
            "idle-timeout", "max-lifetime", "validation-timeout");
    static final List<String> HEALTH_KEYS = List.of("probe", "path", "interval", "timeout", "fall", "rise");
    static final List<String> EJECTION_KEYS =
            List.of("consecutive-failures", "base-ejection", "max-ejection", "max-ejection-percent", "trial-interval",
                    "panic-threshold");
    static final List<String> RETRY_KEYS = List.of("max-attempts", "budget-percent", "min-retries-per-second",
            "budget-window", "backoff-base", "backoff-max");
    static final List<String> HEDGE_KEYS = List.of("delay", "min-delay", "max-extra-percent", "max-hedges");
    static final List<String> LIMIT_KEYS = List.of("enabled", "initial-limit", "min-limit", "max-limit", "window",
            "tolerance", "extra-attempts-percent");
    /** A decimal number as people write it: 2, 2.5. */
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?");

    /** The probe kind whose requests need a path. */
    static final String HTTP_PROBE = "http";

    private static final Pattern DURATION = Pattern.compile("(-?[0-9]+)(ms|s|m|h)");
    /**
     * A whole number as people write it. YAML 1.1 also reads 010 as octal 8, 0x10 as 16, 0b11 as 3
     * and 1_000 as 1000; those are refused rather than read in a way the writer may not have meant.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(0|[1-9][0-9]*)");
    /** A percentile of recent latencies as a hedge delay: p95, p99.9. */
    private static final Pattern PERCENTILE = Pattern.compile("p([0-9]+(?:\\.[0-9]+)?)");
    /** ConfigRules' range for the hedge percentile, written as a p-value. */
    private static final BigDecimal MIN_PERCENTILE = pValue(ConfigRules.MIN_HEDGE_PERCENTILE);
    private static final BigDecimal MAX_PERCENTILE = pValue(ConfigRules.MAX_HEDGE_PERCENTILE);
    private static final String PERCENTILE_RANGE = "from p" + MIN_PERCENTILE.toPlainString() + " to p"
            + MAX_PERCENTILE.toPlainString() + ", such as p95, p99 or p99.9";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String DURATION_FORM =
            "a duration: a whole number with the unit ms, s, m or h, such as 500ms, 2s, 1m or 1h";
    private static final Duration MAX_DURATION = ConfigRules.MAX_DURATION;
    private static final String NOT_SHOWN = " (from the environment; the value is not shown)";

    private final String source;
    private final Function<String, String> environment;
    private final Set<String> policies;
    private final Set<String> probeKinds;

    ConfigReader(String source, Function<String, String> environment, Set<String> policies, Set<String> probeKinds) {
        this.source = source;
        this.environment = environment;
        this.policies = policies;
        this.probeKinds = probeKinds;
    }

    RouterYamlConfig read(String text) {
        YNode root = YamlTree.parse(text, source);
        if (root == null) {
            throw fail(new Loc(1, 1), "", "the file holds no YAML document; it must hold a map with the key 'routers'");
        }
        if (!(root instanceof YMap top)) {
            throw fail(root.loc(), "", "the document must be a map with the key 'routers', but was " + describe(root, false));
        }
        checkKeys(top, "", TOP_KEYS);
        YEntry routersEntry = top.entries().get("routers");
        if (routersEntry == null) {
            throw fail(top.loc(), "routers", "routers is missing; the file must hold the key 'routers' with one map per router");
        }
        YNode routersNode = routersEntry.value();
        if (isNull(routersNode) || routersNode instanceof YMap m && m.entries().isEmpty()) {
            throw fail(isNull(routersNode) ? routersEntry.keyLoc() : routersNode.loc(), "routers",
                    "routers must hold at least one router, but was empty");
        }
        if (!(routersNode instanceof YMap routers)) {
            throw fail(routersNode.loc(), "routers",
                    "routers must be a map of routers by name, but was " + describe(routersNode, false));
        }
        Map<String, RouterConfig> result = new LinkedHashMap<>();
        for (YEntry e : routers.entries().values()) {
            result.put(e.key(), router(e));
        }
        return new RouterYamlConfig(source, result);
    }

    // ------------------------------------------------------------------ sections

    private RouterConfig router(YEntry entry) {
        String name = entry.key();
        String path = "routers." + name;
        if (!ConfigRules.isValidRouterName(name)) {
            throw fail(entry.keyLoc(), path, path + ": a router name must be " + ConfigRules.ROUTER_NAME_RULE
                    + ", but was '" + name + "'");
        }
        YMap m = map(entry, path, "a map with the keys " + String.join(", ", ROUTER_KEYS));
        checkKeys(m, path, ROUTER_KEYS);

        String policy = ConfigRules.DEFAULT_POLICY;
        YEntry policyEntry = m.entries().get("policy");
        if (policyEntry != null) {
            String p = path + ".policy";
            policy = string(policyEntry, p, "the name of a registered routing policy", false);
            if (!policies.contains(policy)) {
                throw fail(policyEntry.value().loc(), p, p + " " + shown(policyEntry, policy) + " is not a registered "
                        + "routing policy" + (fromEnvironment(policyEntry) ? "; " : didYouMean(policy, policies)) + "registered policies: " + String.join(", ", policies));
            }
        }

        Map<String, YEntry> nodePools = new LinkedHashMap<>();
        List<NodeConfig> nodes = nodes(m, path, nodePools);

        YEntry hc = m.entries().get("health-check");
        HealthCheckConfig healthCheck = hc == null ? null : healthCheck(hc, path + ".health-check");
        YEntry oe = m.entries().get("outlier-ejection");
        OutlierEjection ejection = oe == null ? OutlierEjection.defaults() : outlierEjection(oe, path + ".outlier-ejection");
        YEntry re = m.entries().get("retry");
        // no retry settings: the adapter's default (null), which may differ per kind of router
        RetryPolicy retry = re == null ? null : retry(re, path + ".retry");
        YEntry he = m.entries().get("hedge");
        // no hedge section: no hedging, as every router's default
        HedgePolicy hedge = he == null ? null : hedge(he, path + ".hedge");
        YEntry cl = m.entries().get("concurrency-limit");
        // no concurrency-limit section: the router's default (on, with the defaults)
        ConcurrencyLimit limit = cl == null ? null : concurrencyLimit(cl, path + ".concurrency-limit");

        YEntry po = m.entries().get("pool");
        // no pool section: null, the defaults (only a routing DataSource has pools)
        PoolConfig pool = po == null ? null : pool(po, path + ".pool", PoolConfig.defaults());
        if (!nodePools.isEmpty()) {
            // a node's pool section starts from its router's
            List<NodeConfig> withPools = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                NodeConfig n = nodes.get(i);
                YEntry own = nodePools.get(n.id());
                withPools.add(own == null ? n : new NodeConfig(n.id(), n.url(), n.weight(), n.zone(), n.labels(),
                        n.properties(), pool(own, path + ".nodes[" + i + "].pool", pool == null ? PoolConfig.defaults() : pool)));
            }
            nodes = withPools;
        }

        try {
            return new RouterConfig(name, policy, nodes, healthCheck, ejection, retry, hedge, limit, pool);
        } catch (IllegalArgumentException e) {
            // every rule of RouterConfig is checked above; this keeps a new one located too
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private List<NodeConfig> nodes(YMap router, String routerPath, Map<String, YEntry> nodePools) {
        String path = routerPath + ".nodes";
        YEntry entry = router.entries().get("nodes");
        if (entry == null) {
            throw fail(router.loc(), path, path + " is missing; a router needs at least one node, "
                    + "such as nodes: [{id: a, url: \"http://10.0.0.1:8080\"}]");
        }
        YNode value = entry.value();
        if (isNull(value) || value instanceof YList l && l.items().isEmpty()) {
            throw fail(isNull(value) ? entry.keyLoc() : value.loc(), path, path + " must list at least one node, but was empty");
        }
        if (!(value instanceof YList list)) {
            throw fail(value.loc(), path, path + " must be a list of nodes (each item starting with '- '), but was "
                    + describe(value, false));
        }
        List<NodeConfig> nodes = new ArrayList<>();
        Map<String, String> pathOfId = new HashMap<>();
        for (YNode item : list.items()) {
            NodeConfig n = node(item, path + "[" + nodes.size() + "]", pathOfId);
            YEntry pool = ((YMap) item).entries().get("pool");
            if (pool != null) {
                // its values are checked here, in file order; merged with the router's pool once that is read
                pool(pool, path + "[" + nodes.size() + "].pool", PoolConfig.defaults(), false);
                nodePools.put(n.id(), pool);
            }
            nodes.add(n);
        }
        return nodes;
    }

    /** Reads one node; {@code pathOfId} holds the ids of the nodes before it, with their path and line. */
    private NodeConfig node(YNode item, String path, Map<String, String> pathOfId) {
        if (!(item instanceof YMap m)) {
            throw fail(item.loc(), path, path + " must be a node: a map with the keys " + String.join(", ", NODE_KEYS)
                    + ", but was " + describe(item, false));
        }
        checkKeys(m, path, NODE_KEYS);
        String id = required(m, path, "id", "every node needs an id and a url", "a node id", false);
        YEntry idEntry = m.entries().get("id");
        if (id.isBlank()) {
            throw fail(idEntry.value().loc(), path + ".id", path + ".id must not be blank, but was " + shown(idEntry, id));
        }
        String first = pathOfId.putIfAbsent(id, path + " (line " + idEntry.value().loc().line() + ")");
        if (first != null) {
            throw fail(idEntry.value().loc(), path + ".id", path + ".id " + shown(idEntry, id) + " is already the id of " + first
                    + "; node ids must be unique in a router");
        }

        String url = required(m, path, "url", "every node needs an id and a url", "the node's address", false);
        if (url.isBlank()) {
            YEntry urlEntry = m.entries().get("url");
            throw fail(urlEntry.value().loc(), path + ".url", path + ".url must not be blank, but was " + shown(urlEntry, url));
        }
        YEntry w = m.entries().get("weight");
        int weight = w == null ? ConfigRules.DEFAULT_WEIGHT : integer(w, path + ".weight", ConfigRules.MIN_WEIGHT, Integer.MAX_VALUE);
        YEntry z = m.entries().get("zone");
        String zone = z == null ? "" : string(z, path + ".zone", "a zone name", false);

        Map<String, String> labels = new LinkedHashMap<>();
        YEntry l = m.entries().get("labels");
        if (l != null) {
            String labelsPath = path + ".labels";
            YMap lm = map(l, labelsPath, "a map of label names to values, such as {role: replica}");
            for (YEntry label : lm.entries().values()) {
                String labelPath = labelsPath + "." + label.key();
                if (label.key().isBlank()) {
                    throw fail(label.keyLoc(), labelPath, labelPath + ": a label name must not be blank");
                }
                labels.put(label.key(), string(label, labelPath, "a label value (a string)", false));
            }
        }

        Map<String, String> properties = new LinkedHashMap<>();
        YEntry user = m.entries().get("user");
        if (user != null) {
            properties.put("user", string(user, path + ".user", "a user name", false));
        }
        YEntry password = m.entries().get("password");
        if (password != null) {
            properties.put("password", string(password, path + ".password", "a password (a string)", true));
        }
        try {
            return new NodeConfig(id, url, weight, zone, labels, properties);
        } catch (IllegalArgumentException e) {
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private PoolConfig pool(YEntry entry, String path, PoolConfig base) {
        return pool(entry, path, base, true);
    }

    /**
     * Reads a pool section over {@code base}: each value checked against ConfigRules where it stands;
     * with {@code whole}, the settings together too (minimum idle within the size, and so on).
     */
    private PoolConfig pool(YEntry entry, String path, PoolConfig base, boolean whole) {
        YMap m = map(entry, path, "a map with the keys " + String.join(", ", POOL_KEYS));
        checkKeys(m, path, POOL_KEYS);
        PoolConfig.Builder b = PoolConfig.builder(base);
        YEntry e = m.entries().get("maximum-pool-size");
        if (e != null) {
            b.maximumPoolSize(integer(e, path + ".maximum-pool-size", ConfigRules.MIN_POOL_SIZE, ConfigRules.MAX_POOL_SIZE));
        }
        e = m.entries().get("minimum-idle");
        if (e != null) {
            b.minimumIdle(integer(e, path + ".minimum-idle", 0, ConfigRules.MAX_POOL_SIZE));
        }
        e = m.entries().get("connection-timeout");
        if (e != null) {
            b.connectionTimeout(duration(e, path + ".connection-timeout", ConfigRules.MIN_POOL_TIMEOUT));
        }
        e = m.entries().get("idle-timeout");
        if (e != null) {
            b.idleTimeout(duration(e, path + ".idle-timeout", ConfigRules.MIN_POOL_IDLE_TIMEOUT));
        }
        e = m.entries().get("max-lifetime");
        if (e != null) {
            b.maxLifetime(duration(e, path + ".max-lifetime", ConfigRules.MIN_POOL_MAX_LIFETIME));
        }
        e = m.entries().get("validation-timeout");
        if (e != null) {
            b.validationTimeout(duration(e, path + ".validation-timeout", ConfigRules.MIN_POOL_TIMEOUT));
        }
        if (!whole) {
            return null;
        }
        try {
            return b.build();
        } catch (IllegalArgumentException problem) {
            // the settings disagree with each other (or with the router's, for a node): located at the section
            String message = problem.getMessage();
            for (String key : POOL_KEYS) {
                message = message.replace("pool." + camel(key), key);
            }
            throw fail(m.loc(), path, path + ": " + message
                    + (base == PoolConfig.defaults() ? "" : " (a node's pool starts from its router's)"));
        }
    }

    /** maximum-pool-size: maximumPoolSize, as PoolConfig names it. */
    private static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    /** Returns a duration of at least {@code min}, written as the format does. */
    private Duration duration(YEntry e, String path, Duration min) {
        Duration d = duration(e, path);
        if (d.compareTo(min) < 0) {
            throw fail(e.value().loc(), path, path + " must be at least " + written(min) + ", but was " + text(e));
        }
        return d;
    }

    private HealthCheckConfig healthCheck(YEntry entry, String path) {
        YMap m = map(entry, path, "a map with the keys " + String.join(", ", HEALTH_KEYS));
        checkKeys(m, path, HEALTH_KEYS);
        String kinds = String.join(", ", probeKinds);
        String probe = required(m, path, "probe", "name the probe kind: " + kinds, "a probe kind", false);
        YEntry probeEntry = m.entries().get("probe");
        if (!probeKinds.contains(probe)) {
            throw fail(probeEntry.value().loc(), path + ".probe", path + ".probe " + shown(probeEntry, probe)
                    + " is not a known probe kind" + (fromEnvironment(probeEntry) ? "; " : didYouMean(probe, probeKinds)) + "known kinds: " + kinds);
        }
        String probePath = null;
        YEntry pathEntry = m.entries().get("path");
        if (HTTP_PROBE.equals(probe)) {
            probePath = required(m, path, "path", "probe '" + HTTP_PROBE + "' needs the path it requests, such as /health",
                    "the path the probe requests", false);
            if (!probePath.startsWith("/")) {
                throw fail(pathEntry.value().loc(), path + ".path", path + ".path must be a path starting with '/', "
                        + "such as /health, but was " + shown(pathEntry, probePath));
            }
        } else if (pathEntry != null) {
            throw fail(pathEntry.keyLoc(), path + ".path", path + ".path is only used by probe '" + HTTP_PROBE
                    + "', not by probe '" + probe + "'; remove it");
        }

        YEntry i = m.entries().get("interval");
        Duration interval = i == null ? ConfigRules.DEFAULT_HEALTH_INTERVAL : duration(i, path + ".interval");
        YEntry t = m.entries().get("timeout");
        Duration timeout;
        if (t == null) {
            timeout = ConfigRules.defaultHealthTimeout(interval);
        } else {
            timeout = duration(t, path + ".timeout");
            if (timeout.compareTo(interval) > 0) {
                throw fail(t.value().loc(), path + ".timeout", path + ".timeout must be <= interval ("
                        + (i == null ? written(ConfigRules.DEFAULT_HEALTH_INTERVAL) + ", the default" : text(i))
                        + "), but was " + text(t));
            }
        }
        YEntry f = m.entries().get("fall");
        int fall = f == null ? ConfigRules.DEFAULT_HEALTH_FALL : integer(f, path + ".fall", 1, Integer.MAX_VALUE);
        YEntry r = m.entries().get("rise");
        int rise = r == null ? ConfigRules.DEFAULT_HEALTH_RISE : integer(r, path + ".rise", 1, Integer.MAX_VALUE);
        try {
            return new HealthCheckConfig(probe, probePath, interval, timeout, fall, rise);
        } catch (IllegalArgumentException e) {
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private OutlierEjection outlierEjection(YEntry entry, String path) {
        YMap m = map(entry, path, "a map with the keys " + String.join(", ", EJECTION_KEYS));
        checkKeys(m, path, EJECTION_KEYS);
        if (m.entries().isEmpty()) {
            return OutlierEjection.defaults();
        }
        OutlierEjection defaults = OutlierEjection.defaults();
        YEntry n = m.entries().get("consecutive-failures");
        int failures = n == null ? defaults.consecutiveFailures() : integer(n, path + ".consecutive-failures",
                ConfigRules.MIN_CONSECUTIVE_FAILURES, ConfigRules.MAX_CONSECUTIVE_FAILURES);
        YEntry b = m.entries().get("base-ejection");
        Duration base = b == null ? defaults.baseEjection() : duration(b, path + ".base-ejection");
        YEntry x = m.entries().get("max-ejection");
        Duration max = x == null ? defaults.maxEjection() : duration(x, path + ".max-ejection");
        if (base.compareTo(max) > 0) {
            if (b != null) {
                throw fail(b.value().loc(), path + ".base-ejection", path + ".base-ejection must be <= max-ejection ("
                        + (x == null ? written(defaults.maxEjection()) + ", the default" : text(x)) + "), but was " + text(b));
            }
            throw fail(x.value().loc(), path + ".max-ejection", path + ".max-ejection must be >= base-ejection "
                    + "(" + written(defaults.baseEjection()) + ", the default), but was " + text(x));
        }
        YEntry p = m.entries().get("max-ejection-percent");
        int percent = p == null ? defaults.maxEjectionPercent() : integer(p, path + ".max-ejection-percent",
                ConfigRules.MIN_EJECTION_PERCENT, ConfigRules.MAX_EJECTION_PERCENT);
        YEntry t = m.entries().get("trial-interval");
        Duration trial = t == null ? defaults.trialInterval() : duration(t, path + ".trial-interval");
        YEntry pt = m.entries().get("panic-threshold");
        int panic = pt == null ? defaults.panicThreshold() : integer(pt, path + ".panic-threshold",
                ConfigRules.MIN_PANIC_THRESHOLD, ConfigRules.MAX_PANIC_THRESHOLD);
        try {
            return OutlierEjection.builder().consecutiveFailures(failures).maxEjectionPercent(percent)
                    .baseEjection(base).maxEjection(max).trialInterval(trial).panicThreshold(panic).build();
        } catch (IllegalArgumentException e) {
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private RetryPolicy retry(YEntry entry, String path) {
        YMap m = map(entry, path, "a map with the keys " + String.join(", ", RETRY_KEYS));
        checkKeys(m, path, RETRY_KEYS);
        if (m.entries().isEmpty()) {
            return null;
        }
        RetryBudget defaults = RetryBudget.defaults();
        YEntry a = m.entries().get("max-attempts");
        int attempts = a == null ? RetryPolicy.defaults().maxAttempts() : integer(a, path + ".max-attempts",
                ConfigRules.MIN_ATTEMPTS, ConfigRules.MAX_ATTEMPTS);
        YEntry bp = m.entries().get("budget-percent");
        YEntry mr = m.entries().get("min-retries-per-second");
        YEntry bw = m.entries().get("budget-window");
        int percent = bp == null ? defaults.percent()
                : integer(bp, path + ".budget-percent", ConfigRules.MIN_BUDGET_PERCENT, ConfigRules.MAX_BUDGET_PERCENT);
        int minRetries = mr == null ? defaults.minRetriesPerSecond() : integer(mr, path + ".min-retries-per-second",
                ConfigRules.MIN_RETRIES_PER_SECOND, ConfigRules.MAX_RETRIES_PER_SECOND);
        Duration window = defaults.window();
        if (bw != null) {
            window = duration(bw, path + ".budget-window");
            if (window.toNanosPart() != 0 || window.compareTo(ConfigRules.MAX_BUDGET_WINDOW) > 0) {
                throw fail(bw.value().loc(), path + ".budget-window", path + ".budget-window must be whole seconds in [1s, "
                        + written(ConfigRules.MAX_BUDGET_WINDOW) + "], but was " + text(bw));
            }
        }
        YEntry bb = m.entries().get("backoff-base");
        YEntry bm = m.entries().get("backoff-max");
        if (bb != null && bm == null) {
            throw fail(bb.keyLoc(), path + ".backoff-max", path + ".backoff-max is missing; backoff-base needs "
                    + "backoff-max, the longest pause between attempts");
        }
        if (bm != null && bb == null) {
            throw fail(bm.keyLoc(), path + ".backoff-base", path + ".backoff-base is missing; backoff-max needs "
                    + "backoff-base, the pause before the first retry");
        }
        try {
            RetryPolicy.Builder builder = RetryPolicy.builder().maxAttempts(attempts);
            if (bp != null || mr != null || bw != null) {
                builder.budget(RetryBudget.of(percent, minRetries, window));
            }
            if (bb != null) {
                Duration base = duration(bb, path + ".backoff-base");
                Duration max = duration(bm, path + ".backoff-max");
                if (max.compareTo(base) < 0) {
                    throw fail(bm.value().loc(), path + ".backoff-max", path + ".backoff-max must be >= backoff-base ("
                            + text(bb) + "), but was " + text(bm));
                }
                builder.backoff(base, max);
            }
            return builder.build();
        } catch (RouterConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private HedgePolicy hedge(YEntry entry, String path) {
        if (!(entry.value() instanceof YMap)) {
            // hedge: off, hedge: false, hedge: (empty) all mean to turn it off: say how
            throw fail(isNull(entry.value()) ? entry.keyLoc() : entry.value().loc(), path, path + " must be a map with "
                    + "the keys " + String.join(", ", HEDGE_KEYS) + ", but was " + describe(entry.value(), false)
                    + "; to turn hedging off, leave the hedge section out");
        }
        YMap m = (YMap) entry.value();
        checkKeys(m, path, HEDGE_KEYS);
        YEntry d = m.entries().get("delay");
        if (d == null) {
            throw fail(m.loc(), path + ".delay", path + ".delay is missing; hedging needs the delay after which a "
                    + "call still unanswered is sent to another node: a duration such as 50ms, or a percentile of the "
                    + "router's recent latencies such as p95");
        }
        try {
            HedgePolicy.Builder builder = HedgePolicy.builder();
            Duration fixed = null;
            YNode v = d.value();
            String dpath = path + ".delay";
            String text = v instanceof YScalar s && s.kind() == ScalarKind.STRING ? substitute(s, dpath, false) : null;
            Matcher pm = text == null ? null : PERCENTILE.matcher(text);
            if (pm != null && pm.matches()) {
                BigDecimal p = new BigDecimal(pm.group(1));
                if (p.compareTo(MIN_PERCENTILE) < 0 || p.compareTo(MAX_PERCENTILE) > 0) {
                    throw fail(v.loc(), dpath, dpath + " must be a percentile " + PERCENTILE_RANGE + ", but was "
                            + describe(v, false));
                }
                builder.afterPercentile(p.movePointLeft(2).doubleValue());
            } else if (text != null && DURATION.matcher(text).matches()) {
                fixed = duration(d, dpath);
                builder.afterDelay(fixed);
            } else {
                String was = describe(v, false);
                if (v instanceof YScalar s && (s.kind() == ScalarKind.INT || s.kind() == ScalarKind.FLOAT)) {
                    was += ", a number without a unit";
                }
                throw fail(isNull(v) ? d.keyLoc() : v.loc(), dpath, dpath + " must be a duration (a whole number with the "
                        + "unit ms, s, m or h, such as 50ms) or a percentile of the router's recent latencies ("
                        + PERCENTILE_RANGE + "), but was " + was);
            }
            YEntry md = m.entries().get("min-delay");
            if (md != null) {
                Duration min = duration(md, path + ".min-delay");
                if (fixed != null) {
                    throw fail(md.keyLoc(), path + ".min-delay", path + ".min-delay applies to a percentile delay "
                            + "(such as p95) only, not to the fixed delay " + text(d) + "; remove it");
                }
                builder.minDelay(min);
            }
            YEntry xp = m.entries().get("max-extra-percent");
            if (xp != null) {
                builder.maxExtraPercent(integer(xp, path + ".max-extra-percent",
                        ConfigRules.MIN_HEDGE_EXTRA_PERCENT, ConfigRules.MAX_HEDGE_EXTRA_PERCENT));
            }
            YEntry mh = m.entries().get("max-hedges");
            if (mh != null) {
                builder.maxHedges(integer(mh, path + ".max-hedges", ConfigRules.MIN_HEDGES, ConfigRules.MAX_HEDGES));
            }
            return builder.build();
        } catch (RouterConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // every rule of HedgePolicy is checked above; this keeps a new one located too
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    private ConcurrencyLimit concurrencyLimit(YEntry entry, String path) {
        if (!(entry.value() instanceof YMap)) {
            throw fail(isNull(entry.value()) ? entry.keyLoc() : entry.value().loc(), path, path + " must be a map with "
                    + "the keys " + String.join(", ", LIMIT_KEYS) + " (an empty map {} for the defaults), but was "
                    + describe(entry.value(), false) + "; to turn the limit off, write { enabled: false }");
        }
        YMap m = (YMap) entry.value();
        checkKeys(m, path, LIMIT_KEYS);
        YEntry on = m.entries().get("enabled");
        if (on != null && !bool(on, path + ".enabled")) {
            if (m.entries().size() > 1) {
                throw fail(on.value().loc(), path, path + " is off (enabled: false), so it takes no other key, but "
                        + "has " + String.join(", ", m.entries().keySet().stream().filter(k -> !k.equals("enabled")).toList()));
            }
            return ConcurrencyLimit.disabled();
        }
        ConcurrencyLimit defaults = ConcurrencyLimit.defaults();
        YEntry mn = m.entries().get("min-limit");
        int min = mn == null ? defaults.minLimit() : integer(mn, path + ".min-limit",
                ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT);
        YEntry mx = m.entries().get("max-limit");
        int max = mx == null ? defaults.maxLimit() : integer(mx, path + ".max-limit",
                ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT);
        YEntry i = m.entries().get("initial-limit");
        // the default initial limit starts as high as the bounds allow
        int initial = i == null ? Math.max(min, Math.min(max, defaults.initialLimit())) : integer(i, path + ".initial-limit",
                ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT);
        if (min > max) {
            YEntry at = mx != null ? mx : mn;
            throw fail(at.value().loc(), path + (mx != null ? ".max-limit" : ".min-limit"), path
                    + ".max-limit must be >= min-limit (" + min + "), but was " + max);
        }
        if (initial < min || initial > max) {
            // only a written initial limit can be out of the bounds: the default keeps within them
            throw fail(i.value().loc(), path + ".initial-limit", path + ".initial-limit must be in [min-limit, "
                    + "max-limit] = [" + min + ", " + max + "], but was " + initial);
        }
        ConcurrencyLimit.Builder builder = ConcurrencyLimit.builder().minLimit(min).maxLimit(max);
        if (i != null) {
            builder.initialLimit(initial);
        }
        YEntry w = m.entries().get("window");
        if (w != null) {
            Duration window = duration(w, path + ".window");
            if (window.compareTo(ConfigRules.MIN_CONCURRENCY_WINDOW) < 0
                    || window.compareTo(ConfigRules.MAX_CONCURRENCY_WINDOW) > 0) {
                throw fail(w.value().loc(), path + ".window", path + ".window must be from "
                        + written(ConfigRules.MIN_CONCURRENCY_WINDOW) + " to " + written(ConfigRules.MAX_CONCURRENCY_WINDOW)
                        + ", but was " + text(w));
            }
            builder.window(window);
        }
        YEntry t = m.entries().get("tolerance");
        if (t != null) {
            builder.tolerance(decimal(t, path + ".tolerance", ConfigRules.MIN_CONCURRENCY_TOLERANCE,
                    ConfigRules.MAX_CONCURRENCY_TOLERANCE));
        }
        YEntry x = m.entries().get("extra-attempts-percent");
        if (x != null) {
            builder.extraAttemptsPercent(integer(x, path + ".extra-attempts-percent",
                    ConfigRules.MIN_EXTRA_ATTEMPTS_PERCENT, ConfigRules.MAX_EXTRA_ATTEMPTS_PERCENT));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // every rule of ConcurrencyLimit is checked above; this keeps a new one located too
            throw fail(m.loc(), path, path + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ values

    /** Returns a decimal number in [min, max], written as 2 or 2.5. */
    private double decimal(YEntry e, String path, double min, double max) {
        YNode v = e.value();
        String text = null;
        if (v instanceof YScalar s && (s.kind() == ScalarKind.INT || s.kind() == ScalarKind.FLOAT)) {
            text = s.text();
        } else if (v instanceof YScalar s && s.kind() == ScalarKind.STRING) {
            text = substitute(s, path, false);
        }
        if (text != null && DECIMAL_NUMBER.matcher(text).matches()) {
            BigDecimal n = new BigDecimal(text);
            if (n.compareTo(BigDecimal.valueOf(min)) >= 0 && n.compareTo(BigDecimal.valueOf(max)) <= 0) {
                return n.doubleValue();
            }
        }
        throw fail(isNull(v) ? e.keyLoc() : v.loc(), path, path + " must be a number from " + min + " to " + max
                + ", such as 2 or 2.5, but was " + describe(v, false));
    }

    /** Returns the map under the entry, or fails saying what was expected. */
    private YMap map(YEntry entry, String path, String expected) {
        YNode v = entry.value();
        if (v instanceof YMap m) {
            return m;
        }
        throw fail(isNull(v) ? entry.keyLoc() : v.loc(), path, path + " must be " + expected + ", but was " + describe(v, false));
    }

    /** Fails with "did you mean" and the allowed keys when the map has a key not in {@code allowed}. */
    private void checkKeys(YMap m, String path, List<String> allowed) {
        for (YEntry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                String keyPath = path.isEmpty() ? e.key() : path + "." + e.key();
                String where = path.isEmpty() ? "at the top level" : "in " + path;
                throw fail(e.keyLoc(), keyPath, keyPath + " is not a known key" + didYouMean(e.key(), allowed)
                        + "allowed keys " + where + ": " + String.join(", ", allowed));
            }
        }
    }

    private String required(YMap m, String path, String key, String why, String expected, boolean secret) {
        YEntry e = m.entries().get(key);
        if (e == null) {
            throw fail(m.loc(), path + "." + key, path + "." + key + " is missing; " + why);
        }
        return string(e, path + "." + key, expected, secret);
    }

    /** Returns a scalar's text, variables substituted; numbers and booleans as written. */
    private String string(YEntry e, String path, String expected, boolean secret) {
        YNode v = e.value();
        if (v instanceof YScalar s && s.kind() != ScalarKind.NULL) {
            return substitute(s, path, secret);
        }
        throw fail(isNull(v) ? e.keyLoc() : v.loc(), path, path + " must be " + expected + ", but was " + describe(v, secret));
    }

    /** Returns {@code true} or {@code false}, as YAML writes them. */
    private boolean bool(YEntry e, String path) {
        YNode v = e.value();
        if (v instanceof YScalar s && s.kind() == ScalarKind.BOOLEAN && (s.text().equals("true") || s.text().equals("false"))) {
            return s.text().equals("true");
        }
        if (v instanceof YScalar s && s.kind() == ScalarKind.STRING) {
            String text = substitute(s, path, false);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        throw fail(isNull(v) ? e.keyLoc() : v.loc(), path, path + " must be true or false, but was " + describe(v, false));
    }

    private int integer(YEntry e, String path, int min, int max) {
        String expected = "a whole number " + (max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]");
        YNode v = e.value();
        BigInteger n = null;
        if (v instanceof YScalar s && s.kind() == ScalarKind.INT) {
            if (!DECIMAL.matcher(s.text()).matches()) {
                throw fail(v.loc(), path, path + " must be " + expected + " written in decimal, but was " + s.text()
                        + "; YAML would read a leading 0 as octal, 0x as hexadecimal, 0b as binary and drop '_': "
                        + "write the number in plain decimal digits");
            }
            n = s.integer();
        } else if (v instanceof YScalar s && s.kind() == ScalarKind.STRING) {
            String text = substitute(s, path, false);
            n = DECIMAL.matcher(text).matches() ? new BigInteger(text) : null;
        }
        if (n == null || n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw fail(isNull(v) ? e.keyLoc() : v.loc(), path, path + " must be " + expected + ", but was " + describe(v, false));
        }
        return n.intValue();
    }

    /** Returns a positive duration no longer than a year. */
    private Duration duration(YEntry e, String path) {
        YNode v = e.value();
        if (v instanceof YScalar s && s.kind() == ScalarKind.STRING) {
            String text = substitute(s, path, false);
            Matcher m = DURATION.matcher(text);
            if (m.matches()) {
                BigInteger amount = new BigInteger(m.group(1));
                BigInteger millis = amount.multiply(BigInteger.valueOf(switch (m.group(2)) {
                    case "ms" -> 1L;
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    default -> 3_600_000L;
                }));
                if (millis.signum() <= 0) {
                    throw fail(v.loc(), path, path + " must be > 0, but was " + text(e));
                }
                if (millis.compareTo(BigInteger.valueOf(MAX_DURATION.toMillis())) > 0) {
                    throw fail(v.loc(), path, path + " must be at most " + MAX_DURATION.toHours() + "h ("
                            + MAX_DURATION.toDays() + " days), but was " + text(e));
                }
                return Duration.ofMillis(millis.longValueExact());
            }
        }
        String was = describe(v, false);
        if (v instanceof YScalar s && (s.kind() == ScalarKind.INT || s.kind() == ScalarKind.FLOAT)) {
            was += ", a number without a unit";
        }
        throw fail(isNull(v) ? e.keyLoc() : v.loc(), path, path + " must be " + DURATION_FORM + ", but was " + was);
    }

    /**
     * Returns a duration's text for messages comparing two settings: as written with its variables
     * substituted, or, when it comes from the environment, the reference only.
     */
    private String text(YEntry e) {
        YScalar s = (YScalar) e.value();
        return fromEnvironment(s) ? "'" + s.text() + "'" + NOT_SHOWN : substitute(s, "", false);
    }

    /** Writes a duration as the format does: 5s, 300s, 10m. */
    private static String written(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /**
     * Returns a string value for a message, quoted: as read, or when it comes from the environment the
     * reference as written and not its value, which may be a secret put in the wrong key.
     */
    private static String shown(YEntry e, String value) {
        return fromEnvironment(e) ? "'" + ((YScalar) e.value()).text() + "'" + NOT_SHOWN : "'" + value + "'";
    }

    private static boolean fromEnvironment(YEntry e) {
        return e.value() instanceof YScalar s && fromEnvironment(s);
    }

    /** Whether the scalar refers to an environment variable: a <code>${</code> that is not <code>$${</code>. */
    private static boolean fromEnvironment(YScalar s) {
        if (s.kind() != ScalarKind.STRING) {
            return false;
        }
        // the same walk as substitute: $${ is a literal '${'
        String text = s.text();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                i += 3;
            } else if (text.startsWith("${", i)) {
                return true;
            } else {
                i++;
            }
        }
        return false;
    }

    private static BigDecimal pValue(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros();
    }

    /**
     * Replaces {@code ${NAME}} and {@code ${NAME:default}} by the environment's value ({@code
     * default} when NAME is unset or empty); <code>$${</code> writes a literal <code>${</code>. Never puts a
     * secret's text in a message.
     */
    private String substitute(YScalar s, String path, boolean secret) {
        String text = s.text();
        if (s.kind() != ScalarKind.STRING || text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw fail(s.loc(), path, path + " has a '${' without its closing '}'; write ${NAME} or ${NAME:default}, "
                            + "or $${ for a literal '${'");
                }
                String ref = text.substring(i + 2, end);
                int colon = ref.indexOf(':');
                String name = colon < 0 ? ref : ref.substring(0, colon);
                if (!VARIABLE.matcher(name).matches()) {
                    throw fail(s.loc(), path, path + " has " + (secret ? "a '${'" : "'${" + ref + "}'")
                            + " that does not name an environment variable (letters, digits and '_', not starting "
                            + "with a digit); write $${ for a literal '${'");
                }
                String value = environment.apply(name);
                if ((value == null || value.isEmpty()) && colon >= 0) {
                    value = ref.substring(colon + 1);
                }
                if (value == null) {
                    throw fail(s.loc(), path, path + " refers to ${" + name + "}, but the environment variable " + name
                            + " is not set; set it, or give a default: ${" + name + ":default}");
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** Describes a value for "but was ...": a scalar as written (quoted if a string), else its kind. */
    private String describe(YNode v, boolean secret) {
        if (v instanceof YMap) {
            return "a map";
        }
        if (v instanceof YList) {
            return "a list";
        }
        YScalar s = (YScalar) v;
        if (s.kind() == ScalarKind.NULL) {
            return "empty";
        }
        if (secret) {
            return "a " + s.kind().name().toLowerCase(Locale.ROOT);
        }
        if (s.kind() == ScalarKind.STRING) {
            // the value of a variable is never shown: a secret may have been put in the wrong key
            return fromEnvironment(s) ? "'" + s.text() + "'" + NOT_SHOWN : "'" + substitute(s, "", false) + "'";
        }
        return s.text();
    }

    private static boolean isNull(YNode v) {
        return v instanceof YScalar s && s.kind() == ScalarKind.NULL;
    }

    private RouterConfigException fail(Loc loc, String path, String problem) {
        return new RouterConfigException(source, loc.line(), loc.column(), path, problem);
    }

    // ------------------------------------------------------------------ suggestions

    /** Returns "; did you mean 'x'? " for a near miss, else "; ", ready to go before a list. */
    static String didYouMean(String given, Collection<String> options) {
        String s = suggest(given, options);
        return s == null ? "; " : "; did you mean '" + s + "'? ";
    }

    /** The option closest to what was given, if near enough: see {@link ConfigRules#suggest}. */
    static String suggest(String given, Collection<String> options) {
        return ConfigRules.suggest(given, options);
    }
}
