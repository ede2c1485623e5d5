package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.ProbeKinds;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.ConcurrencyLimitProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.HealthCheckProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.HedgeProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.NodeProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.OutlierEjectionProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.PoolProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.RetryProperties;
import io.smartqueryrouter.spring.boot.SmartQueryRouterProperties.RouterProperties;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;

/**
 * Reads {@code smartqueryrouter.*} from a Spring {@link Environment} into core's {@link RouterConfig}
 * records, with Boot's relaxed binding and conversions, and checks them by {@link ConfigRules} with
 * {@code router-yaml}'s message style: the first mistake found (an unknown key first, then a value
 * Boot cannot convert, then a value out of range) is thrown as a {@link RouterPropertiesException}
 * naming the property, where it was set, the value as written (never a password) and what is allowed.
 */
final class RouterSettings {
    static final String PREFIX = "smartqueryrouter";

    static final List<String> TOP_KEYS = List.of("enabled", "routers");
    static final List<String> ROUTER_KEYS = List.of("policy", "nodes", "health-check", "outlier-ejection", "retry", "hedge",
            "concurrency-limit", "pool");
    static final List<String> NODE_KEYS = List.of("id", "url", "weight", "zone", "labels", "user", "password", "pool");
    static final List<String> HEALTH_KEYS = List.of("probe", "path", "interval", "timeout", "fall", "rise");
    static final List<String> EJECTION_KEYS = List.of("consecutive-failures", "base-ejection", "max-ejection",
            "max-ejection-percent", "trial-interval", "panic-threshold");
    static final List<String> RETRY_KEYS = List.of("max-attempts", "budget-percent", "min-retries-per-second",
            "budget-window", "backoff-base", "backoff-max");
    static final List<String> HEDGE_KEYS = List.of("delay", "min-delay", "max-extra-percent", "max-hedges");
    static final List<String> LIMIT_KEYS = List.of("enabled", "initial-limit", "min-limit", "max-limit", "window",
            "tolerance", "extra-attempts-percent");
    static final List<String> POOL_KEYS = List.of("maximum-pool-size", "minimum-idle", "connection-timeout",
            "idle-timeout", "max-lifetime", "validation-timeout");
    private static final Map<String, List<String>> SECTIONS = Map.of("health-check", HEALTH_KEYS,
            "outlier-ejection", EJECTION_KEYS, "retry", RETRY_KEYS, "hedge", HEDGE_KEYS, "concurrency-limit", LIMIT_KEYS,
            "pool", POOL_KEYS);
    /** Every key of the format, in its documented form, for messages. */
    private static final List<List<String>> ALL_KEYS = List.of(TOP_KEYS, ROUTER_KEYS, NODE_KEYS, HEALTH_KEYS,
            EJECTION_KEYS, RETRY_KEYS, HEDGE_KEYS, LIMIT_KEYS, POOL_KEYS);
    private static final Set<String> DURATION_KEYS = Set.of("interval", "timeout", "base-ejection", "max-ejection",
            "trial-interval", "budget-window", "backoff-base", "backoff-max", "min-delay", "window", "connection-timeout",
            "idle-timeout", "max-lifetime", "validation-timeout");
    private static final String LIMIT = "concurrency-limit";
    private static final Pattern POOL_SETTING = Pattern.compile("pool\\.([A-Za-z]+)");

    static final String DURATION_FORM = "a duration such as 500ms, 2s, 1m, PT2S or 1500 (milliseconds)";
    static final String DECIMAL_FORM = "a number such as 2 or 2.5";
    private static final Pattern PERCENTILE = Pattern.compile("p([0-9]+(?:\\.[0-9]+)?)");
    private static final BigDecimal MIN_PERCENTILE = pValue(ConfigRules.MIN_HEDGE_PERCENTILE);
    private static final BigDecimal MAX_PERCENTILE = pValue(ConfigRules.MAX_HEDGE_PERCENTILE);
    private static final String PERCENTILE_RANGE = "from p" + MIN_PERCENTILE.toPlainString() + " to p"
            + MAX_PERCENTILE.toPlainString() + ", such as p95, p99 or p99.9";

    /** What kind of router a configuration makes, by its nodes' URLs. */
    enum Kind {
        /** {@code http://} or {@code https://} base URLs. */
        HTTP,
        /** {@code jdbc:} URLs: a routing {@code DataSource}. */
        JDBC
    }

    /**
     * One configured router.
     *
     * @param config core's configuration
     * @param kind HTTP or JDBC
     */
    record Configured(RouterConfig config, Kind kind) {
    }

    private final Iterable<ConfigurationPropertySource> sources;
    private final boolean okHttp;
    private final boolean jdbc;

    private RouterSettings(Environment environment, boolean okHttp, boolean jdbc) {
        this.sources = ConfigurationPropertySources.get(environment);
        this.okHttp = okHttp;
        this.jdbc = jdbc;
    }

    /**
     * Reads and checks every router.
     *
     * @param environment the application's environment
     * @param okHttp whether router-okhttp and OkHttp are on the class path (an HTTP router may then use the http probe)
     * @param jdbc whether router-jdbc is on the class path (needed by a JDBC router)
     * @return the routers by name, in the order configured
     * @throws RouterPropertiesException at the first mistake
     */
    static Map<String, Configured> read(Environment environment, boolean okHttp, boolean jdbc) {
        return new RouterSettings(environment, okHttp, jdbc).read(environment);
    }

    private Map<String, Configured> read(Environment environment) {
        checkKeys();
        SmartQueryRouterProperties properties;
        try {
            properties = binder(environment).bind(PREFIX, Bindable.of(SmartQueryRouterProperties.class)).orElse(null);
        } catch (BindException e) {
            throw conversionFailed(e);
        }
        Map<String, Configured> result = new LinkedHashMap<>();
        if (properties == null || properties.routers() == null) {
            return result;
        }
        for (Map.Entry<String, RouterProperties> e : properties.routers().entrySet()) {
            result.put(e.getKey(), router(e.getKey(), e.getValue()));
        }
        return result;
    }

    /**
     * Boot's binder over the environment's sources, less an empty {@code concurrency-limit} section's own
     * property ({@code checkKeys} let only an empty value through): no type could take it, and its
     * presence is read from the sources ({@link #present}).
     */
    private Binder binder(Environment environment) {
        List<ConfigurationPropertySource> filtered = new ArrayList<>();
        for (ConfigurationPropertySource source : sources) {
            filtered.add(source.filter(name -> !isLimitSection(name)));
        }
        return new Binder(filtered, new PropertySourcesPlaceholdersResolver(environment));
    }

    private static boolean isLimitSection(ConfigurationPropertyName name) {
        return name.getNumberOfElements() == 4 && name.getElement(0, Form.UNIFORM).equals(PREFIX)
                && name.getElement(1, Form.UNIFORM).equals("routers") && name.getElement(3, Form.UNIFORM).equals(uniform(LIMIT));
    }

    // ------------------------------------------------------------------ keys

    /** Fails at the first property under {@code smartqueryrouter} that is not a known key. */
    private void checkKeys() {
        ConfigurationPropertyName root = ConfigurationPropertyName.of(PREFIX);
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            for (ConfigurationPropertyName name : iterable) {
                if (root.isAncestorOf(name)) {
                    checkKey(name, source);
                }
            }
        }
    }

    private void checkKey(ConfigurationPropertyName name, ConfigurationPropertySource source) {
        int n = name.getNumberOfElements();
        String top = known(name, 1, TOP_KEYS, PREFIX, source);
        if (top.equals("enabled")) {
            tooDeep(name, 2, PREFIX + ".enabled", "a boolean: true or false", source);
            return;
        }
        if (n < 3) {
            throw fail(name, source, PREFIX + ".routers must be a map of routers by name, such as "
                    + PREFIX + ".routers.orders.nodes[0].url");
        }
        String router = PREFIX + ".routers." + name.getElement(2, Form.ORIGINAL);
        if (n < 4) {
            throw fail(name, source, router + " must be a router: a map with the keys " + String.join(", ", ROUTER_KEYS));
        }
        String key = known(name, 3, ROUTER_KEYS, router, source);
        String path = router + "." + key;
        if (key.equals("policy")) {
            tooDeep(name, 4, path, "the name of a registered routing policy", source);
        } else if (key.equals("nodes")) {
            if (n < 5 || !name.isNumericIndex(4)) {
                throw fail(name, source, path + " must be a list of nodes, such as " + path + "[0].id and " + path
                        + "[0].url (in YAML, items starting with '- ')");
            }
            String node = path + "[" + name.getElement(4, Form.ORIGINAL) + "]";
            if (n < 6) {
                throw fail(name, source, node + " must be a node: a map with the keys " + String.join(", ", NODE_KEYS));
            }
            String nodeKey = known(name, 5, NODE_KEYS, node, source);
            if (nodeKey.equals("labels")) {
                if (n != 7) {
                    throw fail(name, source, node + ".labels must be a map of label names to values, such as "
                            + node + ".labels.role=replica");
                }
            } else if (nodeKey.equals("pool")) {
                checkSectionKey(name, 6, node + ".pool", POOL_KEYS, source);
            } else {
                tooDeep(name, 6, node + "." + nodeKey, "a value", source);
            }
        } else if (key.equals(LIMIT) && n == 4) {
            // the section's own property: empty turns the limit on with the defaults, as "concurrency-limit: {}" in router-yaml
            ConfigurationProperty p = source.getConfigurationProperty(name);
            Object value = p == null ? null : p.getValue();
            if (value != null && !value.toString().isBlank()) {
                throw fail(name, source, path + " must be a map with the keys " + String.join(", ", LIMIT_KEYS)
                        + " (empty for the defaults, such as " + path + "= in properties), but was '" + value
                        + "'; to turn the limit off, set " + path + ".enabled=false");
            }
        } else {
            checkSectionKey(name, 4, path, SECTIONS.get(key), source);
        }
    }

    /** Checks a section's key at element {@code i}: a known key, with nothing under it. */
    private void checkSectionKey(ConfigurationPropertyName name, int i, String path, List<String> keys,
            ConfigurationPropertySource source) {
        if (name.getNumberOfElements() <= i) {
            throw fail(name, source, path + " must be a map with the keys " + String.join(", ", keys));
        }
        String sectionKey = known(name, i, keys, path, source);
        tooDeep(name, i + 1, path + "." + sectionKey, "a value", source);
    }

    /** Returns the known key at element {@code i}, or fails saying which keys are allowed there. */
    private String known(ConfigurationPropertyName name, int i, List<String> allowed, String parent,
            ConfigurationPropertySource source) {
        String given = name.getElement(i, Form.UNIFORM);
        for (String key : allowed) {
            if (uniform(key).equals(given)) {
                return key;
            }
        }
        String original = name.getElement(i, Form.ORIGINAL);
        String key = parent + "." + original;
        throw new RouterPropertiesException(key, origin(source.getConfigurationProperty(name)), key
                + " is not a known key" + didYouMean(original, allowed) + "allowed keys in " + parent + ": "
                + String.join(", ", allowed));
    }

    /** Returns "; did you mean 'x'? " for a near miss ({@link ConfigRules#suggest}), else "; ". */
    private static String didYouMean(String given, java.util.Collection<String> options) {
        String s = ConfigRules.suggest(given, options);
        return s == null ? "; " : "; did you mean '" + s + "'? ";
    }

    private void tooDeep(ConfigurationPropertyName name, int elements, String path, String expected,
            ConfigurationPropertySource source) {
        if (name.getNumberOfElements() > elements) {
            throw fail(name, source, path + " must be " + expected + ", but has the key '"
                    + name.getElement(elements, Form.ORIGINAL) + "' under it");
        }
    }

    private static String uniform(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ conversion

    /** A value Boot could not convert to its property's type (a duration, a whole number). */
    private RouterPropertiesException conversionFailed(BindException e) {
        ConfigurationProperty property = e.getProperty();
        ConfigurationPropertyName name = property != null ? property.getName() : e.getName();
        String path = display(name);
        String leaf = name.getNumberOfElements() == 0 ? "" : canonicalLeaf(name);
        String expected = DURATION_KEYS.contains(leaf) ? DURATION_FORM
                : leaf.equals("enabled") ? "true or false" : leaf.equals("tolerance") ? DECIMAL_FORM
                : WHOLE_NUMBERS.containsKey(leaf) ? WHOLE_NUMBERS.get(leaf).rule() : "a whole number";
        String origin = origin(property);
        if (origin.isEmpty()) {
            origin = origin(find(path));
        }
        String was = property == null || leaf.equals("password") ? "" : ", but was '" + property.getValue() + "'";
        return new RouterPropertiesException(path, origin, path + " must be " + expected + was);
    }

    private static String canonicalLeaf(ConfigurationPropertyName name) {
        String uniform = name.getLastElement(Form.UNIFORM);
        for (List<String> keys : ALL_KEYS) {
            for (String key : keys) {
                if (uniform(key).equals(uniform)) {
                    return key;
                }
            }
        }
        return uniform;
    }

    /** Writes a property name with the known keys in their documented form. */
    private static String display(ConfigurationPropertyName name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String original = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i)) {
                out.append('[').append(original).append(']');
                continue;
            }
            String shown = original;
            if (i != 2) {
                String uniform = name.getElement(i, Form.UNIFORM);
                for (List<String> keys : ALL_KEYS) {
                    for (String key : keys) {
                        if (uniform(key).equals(uniform)) {
                            shown = key;
                        }
                    }
                }
            }
            out.append(out.length() == 0 ? "" : ".").append(shown);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ routers

    private Configured router(String name, RouterProperties r) {
        String path = PREFIX + ".routers." + name;
        if (!ConfigRules.isValidRouterName(name)) {
            throw fail(path, path + ": a router name must be " + ConfigRules.ROUTER_NAME_RULE + ", but was '" + name + "'");
        }
        String policy = ConfigRules.DEFAULT_POLICY;
        if (r.policy() != null) {
            policy = r.policy();
            Set<String> registered = RoutingPolicies.providers().keySet();
            if (!registered.contains(policy)) {
                throw fail(path + ".policy", path + ".policy '" + policy + "' is not a registered routing policy"
                        + didYouMean(policy, registered) + "registered policies: " + String.join(", ", registered));
            }
        }
        List<NodeProperties> given = r.nodes();
        if (given == null || given.isEmpty()) {
            throw fail(path + ".nodes", path + ".nodes is missing; a router needs at least one node, such as "
                    + path + ".nodes[0].id=a and " + path + ".nodes[0].url=http://10.0.0.1:8080");
        }
        Kind kind = null;
        String firstUrlPath = null;
        List<NodeConfig> nodes = new ArrayList<>();
        Map<String, String> pathOfId = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            String nodePath = path + ".nodes[" + i + "]";
            NodeProperties n = given.get(i);
            if (n == null) {
                throw fail(nodePath, nodePath + " is missing; every node needs an id and a url");
            }
            Kind nodeKind = kindOf(nodePath, n.url());
            if (kind == null) {
                kind = nodeKind;
                firstUrlPath = nodePath + ".url";
            } else if (kind != nodeKind) {
                throw fail(nodePath + ".url", nodePath + ".url is " + describe(nodeKind) + ", but " + firstUrlPath + " is "
                        + describe(kind) + "; the nodes of one router are all HTTP or all JDBC");
            }
            nodes.add(node(nodePath, n, nodeKind, pathOfId));
        }
        PoolConfig pool = null;
        if (kind == Kind.HTTP) {
            String pooled = r.pool() != null ? path + ".pool" : null;
            for (int i = 0; i < given.size() && pooled == null; i++) {
                pooled = given.get(i).pool() != null ? path + ".nodes[" + i + "].pool" : null;
            }
            if (pooled != null) {
                throw fail(pooled, pooled + " applies to JDBC routers only; an HTTP router's connections are its "
                        + "HTTP client's (OkHttp's ConnectionPool), not configured here: remove it");
            }
        } else {
            pool = r.pool() == null ? null : pool(path + ".pool", r.pool(), PoolConfig.defaults());
            for (int i = 0; i < nodes.size(); i++) {
                PoolProperties own = given.get(i).pool();
                if (own != null) {
                    NodeConfig n = nodes.get(i);
                    nodes.set(i, new NodeConfig(n.id(), n.url(), n.weight(), n.zone(), n.labels(), n.properties(),
                            pool(path + ".nodes[" + i + "].pool", own, pool == null ? PoolConfig.defaults() : pool)));
                }
            }
        }
        if (kind == Kind.JDBC && !jdbc) {
            throw fail(firstUrlPath, path + " has JDBC nodes, but router-jdbc is not on the class path; add the "
                    + "dependency io.smartqueryrouter:router-jdbc (and HikariCP for pooled connections)");
        }
        HealthCheckConfig health = r.healthCheck() == null ? null : healthCheck(path + ".health-check", r.healthCheck(), kind);
        OutlierEjection ejection = r.outlierEjection() == null ? OutlierEjection.defaults()
                : outlierEjection(path + ".outlier-ejection", r.outlierEjection());
        RetryPolicy retry = r.retry() == null ? null : retry(path + ".retry", r.retry());
        HedgePolicy hedge = null;
        if (r.hedge() != null) {
            if (kind == Kind.JDBC) {
                throw fail(path + ".hedge.delay", path + ".hedge applies to HTTP routers only; a routing DataSource never "
                        + "hedges, since a JDBC statement is not safe to run twice in general: remove it");
            }
            hedge = hedge(path + ".hedge", r.hedge());
        }
        // the section given, even empty, is the limit with the defaults for what it leaves out; left out, the
        // router's default (on), as in router-yaml
        ConcurrencyLimit limit = r.concurrencyLimit() != null
                ? concurrencyLimit(path + "." + LIMIT, r.concurrencyLimit())
                : present(path + "." + LIMIT) ? ConcurrencyLimit.defaults() : null;
        try {
            return new Configured(new RouterConfig(name, policy, nodes, health, ejection, retry, hedge, limit, pool), kind);
        } catch (IllegalArgumentException e) {
            // every rule of RouterConfig is checked above; this keeps a new one named too
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private Kind kindOf(String nodePath, String url) {
        if (url == null || url.isBlank()) {
            throw fail(nodePath + ".url", nodePath + ".url is missing; every node needs an id and a url: an http:// or "
                    + "https:// base URL, or a jdbc: URL");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            return Kind.JDBC;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            if (!hasHost(url)) {
                throw fail(nodePath + ".url", nodePath + ".url must be an http:// or https:// base URL with a host, such as "
                        + "http://10.0.0.1:8080, but was '" + redacted(url) + "'");
            }
            return Kind.HTTP;
        }
        throw fail(nodePath + ".url", nodePath + ".url must be an http:// or https:// base URL or a jdbc: URL, but was '"
                + redacted(url) + "'");
    }

    private static boolean hasHost(String url) {
        try {
            return new URI(url).getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String describe(Kind kind) {
        return kind == Kind.JDBC ? "a JDBC URL" : "an HTTP URL";
    }

    private NodeConfig node(String path, NodeProperties n, Kind kind, Map<String, String> pathOfId) {
        if (n.id() == null) {
            throw fail(path + ".id", path + ".id is missing; every node needs an id and a url");
        }
        if (n.id().isBlank()) {
            throw fail(path + ".id", path + ".id must not be blank, but was '" + n.id() + "'");
        }
        String first = pathOfId.putIfAbsent(n.id(), path);
        if (first != null) {
            throw fail(path + ".id", path + ".id '" + n.id() + "' is already the id of " + first
                    + "; node ids must be unique in a router");
        }
        int weight = within(path + ".weight", n.weight(), ConfigRules.DEFAULT_WEIGHT);
        Map<String, String> labels = n.labels() == null ? Map.of() : n.labels();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isBlank()) {
                throw fail(path + ".labels", path + ".labels: a label name must not be blank");
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (kind == Kind.HTTP) {
            for (String key : List.of("user", "password")) {
                if ((key.equals("user") ? n.user() : n.password()) != null) {
                    throw fail(path + "." + key, path + "." + key + " applies to JDBC nodes only; an HTTP node carries "
                            + "no credentials here: remove it");
                }
            }
        } else {
            String role = labels.get("role");
            if (!"primary".equals(role) && !"replica".equals(role)) {
                throw fail(path + ".labels.role", path + ".labels.role must be primary or replica, but was "
                        + (role == null ? "missing" : "'" + role + "'"));
            }
            if (n.user() != null) {
                properties.put("user", n.user());
            }
            if (n.password() != null) {
                properties.put("password", n.password());
            }
        }
        try {
            return new NodeConfig(n.id(), n.url(), weight, n.zone(), labels, properties);
        } catch (IllegalArgumentException e) {
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private HealthCheckConfig healthCheck(String path, HealthCheckProperties h, Kind kind) {
        List<String> kinds = kind == Kind.JDBC ? List.of(ProbeKinds.POSTGRES, ProbeKinds.JDBC)
                : okHttp ? List.of(ProbeKinds.HTTP, ProbeKinds.TCP) : List.of(ProbeKinds.TCP);
        String supported = String.join(", ", kinds);
        String routerKind = kind == Kind.JDBC ? "a JDBC router" : okHttp ? "an HTTP router"
                : "an HTTP router without router-okhttp on the class path";
        if (h.probe() == null) {
            throw fail(path + ".probe", path + ".probe is missing; name the probe kind: " + supported);
        }
        if (!kinds.contains(h.probe())) {
            throw fail(path + ".probe", path + ".probe '" + h.probe() + "' is not a probe kind " + routerKind + " supports"
                    + didYouMean(h.probe(), kinds) + "supported: " + supported);
        }
        if (ProbeKinds.HTTP.equals(h.probe())) {
            if (h.path() == null) {
                throw fail(path + ".path", path + ".path is missing; probe 'http' needs the path it requests, such as /health");
            }
            if (!h.path().startsWith("/")) {
                throw fail(path + ".path", path + ".path must be a path starting with '/', such as /health, but was '"
                        + h.path() + "'");
            }
        } else if (h.path() != null) {
            throw fail(path + ".path", path + ".path is only used by probe 'http', not by probe '" + h.probe() + "'; remove it");
        }
        Duration interval = h.interval() == null ? ConfigRules.DEFAULT_HEALTH_INTERVAL : duration(path + ".interval", h.interval());
        Duration timeout;
        if (h.timeout() == null) {
            timeout = ConfigRules.defaultHealthTimeout(interval);
        } else {
            timeout = duration(path + ".timeout", h.timeout());
            if (timeout.compareTo(interval) > 0) {
                throw fail(path + ".timeout", path + ".timeout must be <= interval ("
                        + (h.interval() == null ? written(interval) + ", the default" : written(path + ".interval", interval))
                        + "), but was " + written(path + ".timeout", timeout));
            }
        }
        int fall = within(path + ".fall", h.fall(), ConfigRules.DEFAULT_HEALTH_FALL);
        int rise = within(path + ".rise", h.rise(), ConfigRules.DEFAULT_HEALTH_RISE);
        try {
            return new HealthCheckConfig(h.probe(), h.path(), interval, timeout, fall, rise);
        } catch (IllegalArgumentException e) {
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private OutlierEjection outlierEjection(String path, OutlierEjectionProperties o) {
        OutlierEjection defaults = OutlierEjection.defaults();
        int failures = within(path + ".consecutive-failures", o.consecutiveFailures(), defaults.consecutiveFailures());
        Duration base = o.baseEjection() == null ? defaults.baseEjection() : duration(path + ".base-ejection", o.baseEjection());
        Duration max = o.maxEjection() == null ? defaults.maxEjection() : duration(path + ".max-ejection", o.maxEjection());
        if (base.compareTo(max) > 0) {
            if (o.baseEjection() != null) {
                throw fail(path + ".base-ejection", path + ".base-ejection must be <= max-ejection ("
                        + (o.maxEjection() == null ? written(max) + ", the default" : written(path + ".max-ejection", max))
                        + "), but was " + written(path + ".base-ejection", base));
            }
            throw fail(path + ".max-ejection", path + ".max-ejection must be >= base-ejection (" + written(base)
                    + ", the default), but was " + written(path + ".max-ejection", max));
        }
        int percent = within(path + ".max-ejection-percent", o.maxEjectionPercent(), defaults.maxEjectionPercent());
        Duration trial = o.trialInterval() == null ? defaults.trialInterval()
                : duration(path + ".trial-interval", o.trialInterval());
        int panic = within(path + ".panic-threshold", o.panicThreshold(), defaults.panicThreshold());
        try {
            return OutlierEjection.builder().consecutiveFailures(failures).maxEjectionPercent(percent)
                    .baseEjection(base).maxEjection(max).trialInterval(trial).panicThreshold(panic).build();
        } catch (IllegalArgumentException e) {
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private RetryPolicy retry(String path, RetryProperties r) {
        RetryBudget defaults = RetryBudget.defaults();
        int attempts = within(path + ".max-attempts", r.maxAttempts(), RetryPolicy.defaults().maxAttempts());
        int percent = within(path + ".budget-percent", r.budgetPercent(), defaults.percent());
        int minRetries = within(path + ".min-retries-per-second", r.minRetriesPerSecond(), defaults.minRetriesPerSecond());
        Duration window = defaults.window();
        if (r.budgetWindow() != null) {
            window = duration(path + ".budget-window", r.budgetWindow());
            if (window.toNanosPart() != 0 || window.compareTo(ConfigRules.MAX_BUDGET_WINDOW) > 0) {
                throw fail(path + ".budget-window", path + ".budget-window must be whole seconds in [1s, "
                        + written(ConfigRules.MAX_BUDGET_WINDOW) + "], but was " + written(path + ".budget-window", window));
            }
        }
        if (r.backoffBase() != null && r.backoffMax() == null) {
            throw fail(path + ".backoff-base", path + ".backoff-max is missing; backoff-base needs backoff-max, the "
                    + "longest pause between attempts");
        }
        if (r.backoffMax() != null && r.backoffBase() == null) {
            throw fail(path + ".backoff-max", path + ".backoff-base is missing; backoff-max needs backoff-base, the pause "
                    + "before the first retry");
        }
        try {
            RetryPolicy.Builder builder = RetryPolicy.builder().maxAttempts(attempts);
            if (r.budgetPercent() != null || r.minRetriesPerSecond() != null || r.budgetWindow() != null) {
                builder.budget(RetryBudget.of(percent, minRetries, window));
            }
            if (r.backoffBase() != null) {
                Duration base = duration(path + ".backoff-base", r.backoffBase());
                Duration max = duration(path + ".backoff-max", r.backoffMax());
                if (max.compareTo(base) < 0) {
                    throw fail(path + ".backoff-max", path + ".backoff-max must be >= backoff-base ("
                            + written(path + ".backoff-base", base) + "), but was " + written(path + ".backoff-max", max));
                }
                builder.backoff(base, max);
            }
            return builder.build();
        } catch (RouterPropertiesException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private HedgePolicy hedge(String path, HedgeProperties h) {
        String dpath = path + ".delay";
        if (h.delay() == null || h.delay().isBlank()) {
            throw fail(dpath, dpath + " is missing; hedging needs the delay after which a call still unanswered is sent "
                    + "to another node: a duration such as 50ms, or a percentile of the router's recent latencies such as p95");
        }
        try {
            HedgePolicy.Builder builder = HedgePolicy.builder();
            String text = h.delay().trim();
            Matcher pm = PERCENTILE.matcher(text);
            boolean fixed;
            if (pm.matches()) {
                BigDecimal p = new BigDecimal(pm.group(1));
                if (p.compareTo(MIN_PERCENTILE) < 0 || p.compareTo(MAX_PERCENTILE) > 0) {
                    throw fail(dpath, dpath + " must be a percentile " + PERCENTILE_RANGE + ", but was '" + h.delay() + "'");
                }
                builder.afterPercentile(p.movePointLeft(2).doubleValue());
                fixed = false;
            } else {
                Duration delay;
                try {
                    delay = DurationStyle.detectAndParse(text);
                } catch (IllegalArgumentException notADuration) {
                    throw fail(dpath, dpath + " must be " + DURATION_FORM + ", or a percentile of the router's recent "
                            + "latencies (" + PERCENTILE_RANGE + "), but was '" + h.delay() + "'");
                }
                builder.afterDelay(duration(dpath, delay));
                fixed = true;
            }
            if (h.minDelay() != null) {
                Duration min = duration(path + ".min-delay", h.minDelay());
                if (fixed) {
                    throw fail(path + ".min-delay", path + ".min-delay applies to a percentile delay (such as p95) "
                            + "only, not to the fixed delay '" + h.delay() + "'; remove it");
                }
                builder.minDelay(min);
            }
            if (h.maxExtraPercent() != null) {
                builder.maxExtraPercent(within(path + ".max-extra-percent", h.maxExtraPercent(), 0));
            }
            if (h.maxHedges() != null) {
                builder.maxHedges(within(path + ".max-hedges", h.maxHedges(), 0));
            }
            return builder.build();
        } catch (RouterPropertiesException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    private ConcurrencyLimit concurrencyLimit(String path, ConcurrencyLimitProperties c) {
        if (Boolean.FALSE.equals(c.enabled())) {
            List<String> others = new ArrayList<>();
            addIf(others, "initial-limit", c.initialLimit());
            addIf(others, "min-limit", c.minLimit());
            addIf(others, "max-limit", c.maxLimit());
            addIf(others, "window", c.window());
            addIf(others, "tolerance", c.tolerance());
            addIf(others, "extra-attempts-percent", c.extraAttemptsPercent());
            if (!others.isEmpty()) {
                throw fail(path + ".enabled", path + " is off (enabled=false), so it takes no other key, but has "
                        + String.join(", ", others));
            }
            return ConcurrencyLimit.disabled();
        }
        ConcurrencyLimit defaults = ConcurrencyLimit.defaults();
        int min = within(path + ".min-limit", c.minLimit(), defaults.minLimit());
        int max = within(path + ".max-limit", c.maxLimit(), defaults.maxLimit());
        // the default initial limit starts as high as the bounds allow
        int initial = within(path + ".initial-limit", c.initialLimit(), Math.max(min, Math.min(max, defaults.initialLimit())));
        if (min > max) {
            String at = path + (c.maxLimit() != null ? ".max-limit" : ".min-limit");
            throw fail(at, path + ".max-limit must be >= min-limit (" + min + "), but was " + max);
        }
        if (initial < min || initial > max) {
            // only a given initial limit can be out of the bounds: the default keeps within them
            throw fail(path + ".initial-limit", path + ".initial-limit must be in [min-limit, max-limit] = [" + min + ", "
                    + max + "], but was " + initial);
        }
        try {
            ConcurrencyLimit.Builder builder = ConcurrencyLimit.builder().minLimit(min).maxLimit(max);
            if (c.initialLimit() != null) {
                builder.initialLimit(initial);
            }
            if (c.window() != null) {
                Duration window = c.window();
                if (window.compareTo(ConfigRules.MIN_CONCURRENCY_WINDOW) < 0
                        || window.compareTo(ConfigRules.MAX_CONCURRENCY_WINDOW) > 0) {
                    throw fail(path + ".window", path + ".window must be from " + written(ConfigRules.MIN_CONCURRENCY_WINDOW)
                            + " to " + written(ConfigRules.MAX_CONCURRENCY_WINDOW) + ", but was " + written(path + ".window", window));
                }
                builder.window(window);
            }
            if (c.tolerance() != null) {
                double t = c.tolerance();
                if (!(t >= ConfigRules.MIN_CONCURRENCY_TOLERANCE && t <= ConfigRules.MAX_CONCURRENCY_TOLERANCE)) {
                    throw outOfRange(path + ".tolerance", "a number from " + ConfigRules.MIN_CONCURRENCY_TOLERANCE + " to "
                            + ConfigRules.MAX_CONCURRENCY_TOLERANCE + ", such as 2 or 2.5", t);
                }
                builder.tolerance(t);
            }
            if (c.extraAttemptsPercent() != null) {
                builder.extraAttemptsPercent(within(path + ".extra-attempts-percent", c.extraAttemptsPercent(), 0));
            }
            return builder.build();
        } catch (RouterPropertiesException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // every rule of ConcurrencyLimit is checked above; this keeps a new one named too
            throw fail(path, path + ": " + e.getMessage());
        }
    }

    /**
     * A pool section over {@code base} (the defaults for a router's, the router's for a node's): each
     * value checked against {@link ConfigRules} where it is set, then the settings together.
     */
    private PoolConfig pool(String path, PoolProperties p, PoolConfig base) {
        PoolConfig.Builder b = PoolConfig.builder(base);
        if (p.maximumPoolSize() != null) {
            b.maximumPoolSize(within(path + ".maximum-pool-size", p.maximumPoolSize(), 0));
        }
        if (p.minimumIdle() != null) {
            b.minimumIdle(within(path + ".minimum-idle", p.minimumIdle(), 0));
        }
        if (p.connectionTimeout() != null) {
            b.connectionTimeout(atLeast(path + ".connection-timeout", p.connectionTimeout(), ConfigRules.MIN_POOL_TIMEOUT));
        }
        if (p.idleTimeout() != null) {
            b.idleTimeout(atLeast(path + ".idle-timeout", p.idleTimeout(), ConfigRules.MIN_POOL_IDLE_TIMEOUT));
        }
        if (p.maxLifetime() != null) {
            b.maxLifetime(atLeast(path + ".max-lifetime", p.maxLifetime(), ConfigRules.MIN_POOL_MAX_LIFETIME));
        }
        if (p.validationTimeout() != null) {
            b.validationTimeout(atLeast(path + ".validation-timeout", p.validationTimeout(), ConfigRules.MIN_POOL_TIMEOUT));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException problem) {
            // the settings disagree with each other (or with the router's, for a node): named at the section
            // PoolConfig names its settings pool.minimumIdle: here they are minimum-idle, as in the keys
            String message = POOL_SETTING.matcher(problem.getMessage())
                    .replaceAll(m -> DataObjectPropertyName.toDashedForm(m.group(1)));
            throw fail(path, path + ": " + message + (base == PoolConfig.defaults() ? "" : " (a node's pool starts from its router's)"));
        }
    }

    // ------------------------------------------------------------------ values

    /** Returns a duration of at least {@code min}, no longer than {@link ConfigRules#MAX_DURATION}. */
    private Duration atLeast(String path, Duration value, Duration min) {
        duration(path, value);
        if (value.compareTo(min) < 0) {
            throw fail(path, path + " must be at least " + written(min) + ", but was " + written(path, value));
        }
        return value;
    }

    /** The whole number at {@code path}, within the range {@link #WHOLE_NUMBERS} gives its key, or {@code otherwise} if unset. */
    private int within(String path, Integer value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        String key = path.substring(path.lastIndexOf('.') + 1);
        WholeNumber range = WHOLE_NUMBERS.get(key);
        if (range == null) {
            throw new IllegalStateException("no range for the whole-number key '" + key + "' (RouterSettings.WHOLE_NUMBERS)");
        }
        if (value < range.min() || value > range.max()) {
            throw outOfRange(path, range.rule(), value);
        }
        return value;
    }

    /** The range of a whole-number key, and how a message says it (an int: at most 2147483647 whatever the key). */
    record WholeNumber(int min, int max) {
        String rule() {
            return "a whole number " + (max == Integer.MAX_VALUE ? "from " + min + " to " + max : "in [" + min + ", " + max + "]");
        }
    }

    /**
     * Every whole-number key by its name: its range, for the value checks and for a value that is no number (a test
     * keeps it equal to the {@code Integer} properties of {@link SmartQueryRouterProperties}).
     */
    static final Map<String, WholeNumber> WHOLE_NUMBERS = Map.ofEntries(
            Map.entry("weight", new WholeNumber(ConfigRules.MIN_WEIGHT, Integer.MAX_VALUE)),
            Map.entry("fall", new WholeNumber(1, Integer.MAX_VALUE)),
            Map.entry("rise", new WholeNumber(1, Integer.MAX_VALUE)),
            Map.entry("consecutive-failures",
                    new WholeNumber(ConfigRules.MIN_CONSECUTIVE_FAILURES, ConfigRules.MAX_CONSECUTIVE_FAILURES)),
            Map.entry("max-ejection-percent", new WholeNumber(ConfigRules.MIN_EJECTION_PERCENT, ConfigRules.MAX_EJECTION_PERCENT)),
            Map.entry("panic-threshold", new WholeNumber(ConfigRules.MIN_PANIC_THRESHOLD, ConfigRules.MAX_PANIC_THRESHOLD)),
            Map.entry("max-attempts", new WholeNumber(ConfigRules.MIN_ATTEMPTS, ConfigRules.MAX_ATTEMPTS)),
            Map.entry("budget-percent", new WholeNumber(ConfigRules.MIN_BUDGET_PERCENT, ConfigRules.MAX_BUDGET_PERCENT)),
            Map.entry("min-retries-per-second",
                    new WholeNumber(ConfigRules.MIN_RETRIES_PER_SECOND, ConfigRules.MAX_RETRIES_PER_SECOND)),
            Map.entry("max-extra-percent", new WholeNumber(ConfigRules.MIN_HEDGE_EXTRA_PERCENT, ConfigRules.MAX_HEDGE_EXTRA_PERCENT)),
            Map.entry("max-hedges", new WholeNumber(ConfigRules.MIN_HEDGES, ConfigRules.MAX_HEDGES)),
            Map.entry("min-limit", new WholeNumber(ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT)),
            Map.entry("max-limit", new WholeNumber(ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT)),
            Map.entry("initial-limit", new WholeNumber(ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT)),
            Map.entry("extra-attempts-percent",
                    new WholeNumber(ConfigRules.MIN_EXTRA_ATTEMPTS_PERCENT, ConfigRules.MAX_EXTRA_ATTEMPTS_PERCENT)),
            Map.entry("maximum-pool-size", new WholeNumber(ConfigRules.MIN_POOL_SIZE, ConfigRules.MAX_POOL_SIZE)),
            Map.entry("minimum-idle", new WholeNumber(0, ConfigRules.MAX_POOL_SIZE)));

    /** Returns a positive duration no longer than {@link ConfigRules#MAX_DURATION}. */
    private Duration duration(String path, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw fail(path, path + " must be > 0, but was " + written(path, value));
        }
        if (value.compareTo(ConfigRules.MAX_DURATION) > 0) {
            throw fail(path, path + " must be at most " + ConfigRules.MAX_DURATION.toDays() + "d, but was "
                    + written(path, value));
        }
        return value;
    }

    private static void addIf(List<String> keys, String key, Object value) {
        if (value != null) {
            keys.add(key);
        }
    }

    private RouterPropertiesException outOfRange(String path, String expected, Object value) {
        return fail(path, path + " must be " + expected + ", but was " + written(path, value));
    }

    /** The value as written in its property source ('2s'), else as bound. */
    private String written(String path, Object value) {
        ConfigurationProperty p = find(path);
        return p != null && p.getValue() != null ? "'" + p.getValue() + "'"
                : value instanceof Duration d ? written(d) : String.valueOf(value);
    }

    private static String written(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Finds the property as its sources hold it, for its value as written and its origin. */
    private ConfigurationProperty find(String path) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(path, '.');
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty p = source.getConfigurationProperty(name);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private RouterPropertiesException fail(String path, String problem) {
        return new RouterPropertiesException(path, origin(locate(path)), problem);
    }

    /** The property itself, or for a missing one the first property set under its nearest parent. */
    private ConfigurationProperty locate(String path) {
        ConfigurationProperty p = find(path);
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(path, '.');
        while (p == null && name.getNumberOfElements() > 1) {
            name = name.getParent();
            p = firstUnder(name);
        }
        return p;
    }

    /** Whether the property or any property under it is set. */
    private boolean present(String path) {
        return find(path) != null || firstUnder(ConfigurationPropertyName.adapt(path, '.')) != null;
    }

    /** The first property set under {@code name}, or null. */
    private ConfigurationProperty firstUnder(ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                for (ConfigurationPropertyName candidate : iterable) {
                    if (name.isAncestorOf(candidate)) {
                        return source.getConfigurationProperty(candidate);
                    }
                }
            }
        }
        return null;
    }

    private static RouterPropertiesException fail(ConfigurationPropertyName name, ConfigurationPropertySource source,
            String problem) {
        return new RouterPropertiesException(display(name), origin(source.getConfigurationProperty(name)), problem);
    }

    /**
     * Where a property was set: a file's line and column ({@code class path resource [application.yml] - 9:19}),
     * else the property source's name, else the empty string.
     */
    private static String origin(ConfigurationProperty p) {
        Origin origin = p == null ? null : p.getOrigin();
        if (origin instanceof PropertySourceOrigin pso) {
            return pso.getOrigin() != null ? pso.getOrigin().toString()
                    : "property source '" + pso.getPropertySource().getName() + "'";
        }
        return origin == null ? "" : origin.toString();
    }

    /** A URL for a message: no user information, no query. */
    private static String redacted(String url) {
        return url.replaceAll("(?<=://)[^/@?#]*@", "").replaceAll("[?;].*", "?...");
    }

    private static BigDecimal pValue(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros();
    }
}
