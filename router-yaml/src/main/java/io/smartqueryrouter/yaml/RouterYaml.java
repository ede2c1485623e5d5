package io.smartqueryrouter.yaml;

import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.config.ProbeKinds;
import io.smartqueryrouter.core.config.RouterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads routers from YAML into core's {@link RouterConfig}, strictly: every mistake is a
 * {@link RouterConfigException} naming the file, line, column, key path, the bad value and what is
 * allowed. Adapters turn a {@code RouterConfig} into a working router.
 *
 * <pre>{@code
 * RouterYamlConfig config = RouterYaml.load(Path.of("routers.yaml"));
 * RouterConfig orders = config.router("orders");
 * }</pre>
 *
 * <p>The format (all durations are a whole number with the unit {@code ms}, {@code s}, {@code m}
 * or {@code h}):
 *
 * <pre>
 * routers:
 *   orders:                              # the router's name
 *     policy: pool-ewma                  # a registered policy name; default pool-ewma
 *     nodes:                             # required, at least one
 *       - { id: a, url: "http://10.0.0.1:8080", weight: 1, zone: eu-1, labels: {role: primary} }
 *       - { id: b, url: "jdbc:postgresql://db-b/orders", user: app, password: "${DB_PASSWORD}" }
 *     health-check: { probe: http, path: /health, interval: 2s, timeout: 500ms, fall: 3, rise: 2 }
 *     outlier-ejection: { consecutive-failures: 5, base-ejection: 30s, max-ejection: 300s, max-ejection-percent: 50 }
 *     retry: { max-attempts: 3, budget-percent: 20, min-retries-per-second: 10, budget-window: 10s,
 *              backoff-base: 50ms, backoff-max: 1s }
 *     hedge: { delay: p95, min-delay: 1ms, max-extra-percent: 5, max-hedges: 1 }
 *     concurrency-limit: { enabled: true, initial-limit: 1000, min-limit: 1, max-limit: 1000, window: 100ms,
 *                          tolerance: 2.0, extra-attempts-percent: 80 }
 *     pool: { maximum-pool-size: 10, minimum-idle: 2, connection-timeout: 3s, idle-timeout: 10m,
 *             max-lifetime: 30m, validation-timeout: 1s }
 * </pre>
 *
 * <p>{@code concurrency-limit} is optional: left out or {@code {}}, the router's default (on, see
 * {@link io.smartqueryrouter.core.ConcurrencyLimit}); {@code concurrency-limit: { enabled: false }}
 * turns it off.
 *
 * <p>{@code pool} (optional, for database routers: what a routing {@code DataSource} built from the
 * configuration gives each node's pool) may also stand in a node, for a node whose pool differs: what it
 * leaves out is the router's. Its ranges and defaults are {@code PoolConfig}'s and {@code ConfigRules}'.
 *
 * <p>{@code hedge} is optional and off when left out; its {@code delay} (required) is a duration
 * ({@code 50ms}) or a percentile of the router's recent latencies ({@code p50} to {@code p99.9});
 * {@code min-delay} only goes with a percentile. A routing {@code DataSource} refuses a hedge.
 *
 * <p>{@code ${NAME}} and {@code ${NAME:default}} in any value are replaced by the environment
 * variable NAME (the default when it is unset or empty; without a default an unset variable is an
 * error); <code>$${</code> writes a literal <code>${</code>. Keys are never substituted. The text is read as
 * UTF-8; one YAML document per file; aliases are refused.
 *
 * <p>The static methods read the process environment ({@link System#getenv(String)}) and know the
 * probe kinds http, jdbc, postgres and tcp; {@link #builder()} changes either.
 */
public final class RouterYaml {
    private static final Set<String> DEFAULT_PROBE_KINDS = ProbeKinds.BUILT_IN;
    private static final Pattern PROBE_KIND = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String STRING_SOURCE = "<string>";

    private RouterYaml() {
    }

    /**
     * Reads the file as UTF-8 YAML, with the process environment.
     *
     * @param file the file to read; messages name it as {@code file.toString()}
     * @return the routers it describes
     * @throws RouterConfigException if the configuration has a mistake; the message says where and what
     * @throws UncheckedIOException if the file cannot be read
     */
    public static RouterYamlConfig load(Path file) {
        return Loader.DEFAULT.load(file);
    }

    /**
     * Reads the stream to its end as UTF-8 YAML, with the process environment; does not close it.
     *
     * @param in the stream to read
     * @param sourceName how messages name the stream, such as {@code classpath:routers.yaml}
     * @return the routers it describes
     * @throws RouterConfigException if the configuration has a mistake
     * @throws UncheckedIOException if the stream cannot be read
     */
    public static RouterYamlConfig load(InputStream in, String sourceName) {
        return Loader.DEFAULT.load(in, sourceName);
    }

    /**
     * Reads YAML text, with the process environment; messages name the source {@code <string>}.
     *
     * @param yaml the YAML text
     * @return the routers it describes
     * @throws RouterConfigException if the configuration has a mistake
     */
    public static RouterYamlConfig parse(String yaml) {
        return Loader.DEFAULT.parse(yaml);
    }

    /**
     * Returns a builder for a loader with another environment or more probe kinds.
     *
     * @return a new builder, with the process environment and the default probe kinds
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link Loader}.
     *
     * <pre>{@code
     * RouterYamlConfig config = RouterYaml.builder()
     *     .environment(Map.of("DB_PASSWORD", "s3cret"))
     *     .build()
     *     .load(Path.of("routers.yaml"));
     * }</pre>
     */
    public static final class Builder {
        private Function<String, String> environment = System::getenv;
        private final SortedSet<String> probeKinds = new TreeSet<>(DEFAULT_PROBE_KINDS);

        private Builder() {
        }

        /**
         * Takes {@code ${NAME}} values from this map instead of the process environment (tests, or a
         * secret store read beforehand). The map is copied.
         *
         * @param environment the variables by name
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            Map<String, String> copy = Map.copyOf(Objects.requireNonNull(environment, "environment must not be null"));
            this.environment = copy::get;
            return this;
        }

        /**
         * Takes {@code ${NAME}} values from this function, which returns {@code null} for a variable
         * that is not set (default {@link System#getenv(String)}).
         *
         * @param environment gives a variable's value by its name, or {@code null}
         * @return this builder
         */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment must not be null");
            return this;
        }

        /**
         * Accepts another {@code health-check.probe} kind, for an adapter of your own (the defaults are
         * http, jdbc, postgres and tcp). Only {@code http} takes a {@code path}.
         *
         * @param kind the probe kind, such as {@code grpc}
         * @return this builder
         * @throws IllegalArgumentException if the kind is not lowercase words joined by '-'
         */
        public Builder probeKind(String kind) {
            Objects.requireNonNull(kind, "probeKind must not be null");
            if (!PROBE_KIND.matcher(kind).matches()) {
                throw new IllegalArgumentException("probeKind must be lowercase letters and digits joined by '-', "
                        + "but was '" + kind + "'");
            }
            probeKinds.add(kind);
            return this;
        }

        /**
         * Returns the loader.
         *
         * @return an immutable loader with this builder's environment and probe kinds
         */
        public Loader build() {
            return new Loader(environment, Set.copyOf(probeKinds));
        }
    }

    /**
     * Reads YAML with a given environment and probe kinds; immutable and thread-safe. The routing
     * policies accepted are those registered when a file is read ({@link RoutingPolicies#providers()}).
     */
    public static final class Loader {
        static final Loader DEFAULT = new Loader(System::getenv, DEFAULT_PROBE_KINDS);

        private final Function<String, String> environment;
        private final Set<String> probeKinds;

        private Loader(Function<String, String> environment, Set<String> probeKinds) {
            this.environment = environment;
            this.probeKinds = probeKinds;
        }

        /**
         * Reads the file as UTF-8 YAML; messages name it as {@code file.toString()}.
         *
         * @param file the file to read
         * @return the routers it describes
         * @throws RouterConfigException if the configuration has a mistake
         * @throws UncheckedIOException if the file cannot be read
         */
        public RouterYamlConfig load(Path file) {
            Objects.requireNonNull(file, "file must not be null");
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read router configuration " + file + ": " + e, e);
            }
            return read(bytes, file.toString());
        }

        /**
         * Reads the stream to its end as UTF-8 YAML; does not close it.
         *
         * @param in the stream to read
         * @param sourceName how messages name the stream
         * @return the routers it describes
         * @throws RouterConfigException if the configuration has a mistake
         * @throws UncheckedIOException if the stream cannot be read
         */
        public RouterYamlConfig load(InputStream in, String sourceName) {
            Objects.requireNonNull(in, "in must not be null");
            Objects.requireNonNull(sourceName, "sourceName must not be null");
            byte[] bytes;
            try {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read router configuration " + sourceName + ": " + e, e);
            }
            return read(bytes, sourceName);
        }

        /**
         * Reads YAML text; messages name the source {@code <string>}.
         *
         * @param yaml the YAML text
         * @return the routers it describes
         * @throws RouterConfigException if the configuration has a mistake
         */
        public RouterYamlConfig parse(String yaml) {
            Objects.requireNonNull(yaml, "yaml must not be null");
            return read(yaml, STRING_SOURCE);
        }

        private RouterYamlConfig read(byte[] bytes, String source) {
            return read(utf8(bytes, source), source);
        }

        private RouterYamlConfig read(String text, String source) {
            if (text.startsWith("\uFEFF")) {
                // a byte order mark is not content; keep columns those an editor shows
                text = text.substring(1);
            }
            Set<String> policies = new TreeSet<>(RoutingPolicies.providers().keySet());
            return new ConfigReader(source, environment, policies, new TreeSet<>(probeKinds)).read(text);
        }

        /** Decodes strictly: a file that is not UTF-8 is refused, with where its first bad byte is. */
        private static String utf8(byte[] bytes, String source) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer out = CharBuffer.allocate(bytes.length);
            CoderResult result = decoder.decode(ByteBuffer.wrap(bytes), out, true);
            if (!result.isError()) {
                result = decoder.flush(out);
            }
            if (result.isError()) {
                int line = 1;
                int column = 1;
                for (int i = 0; i < out.position(); i++) {
                    if (out.get(i) == '\n') {
                        line++;
                        column = 1;
                    } else {
                        column++;
                    }
                }
                throw new RouterConfigException(source, line, column, "", "the file is not UTF-8 text: "
                        + "an invalid byte sequence starts here");
            }
            return out.flip().toString();
        }

        @Override
        public String toString() {
            return "RouterYaml.Loader[probeKinds=" + new TreeSet<>(probeKinds) + "]";
        }
    }
}
