package io.smartqueryrouter.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples' command lines: {@code --name value} options, {@code --help}, and a refused
 * argument as one line on standard error (exit status 2) instead of a stack trace.
 */
final class CommandLine {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private final Map<String, List<String>> values;

    private CommandLine(Map<String, List<String>> values) {
        this.values = values;
    }

    /** A command line that cannot be run; its message is one line that says what to change. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** The body of an example's {@code main}, given its parsed options. */
    interface Body {
        void run(CommandLine options) throws Exception;
    }

    /**
     * Parses {@code args} and runs {@code body}; prints {@code help} for {@code --help} or {@code -h},
     * and exits with status 2 after one line on standard error when an argument is refused.
     */
    static void main(String program, String help, Set<String> options, String[] args, Body body) throws Exception {
        CommandLine parsed;
        try {
            parsed = parse(options, args);
        } catch (UsageException e) {
            System.exit(refuse(program, e, System.err));
            return;
        }
        if (parsed == null) {
            System.out.print(help);
            return;
        }
        try {
            body.run(parsed);
        } catch (UsageException e) {
            System.exit(refuse(program, e, System.err));
        }
    }

    static int refuse(String program, UsageException e, PrintStream err) {
        err.println(program + ": " + e.getMessage() + " (--help lists the options)");
        return 2;
    }

    /**
     * Returns the options given, or {@code null} when help was asked for.
     *
     * @throws UsageException for an unknown option or one without its value
     */
    static CommandLine parse(Set<String> options, String[] args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            if (!options.contains(name)) {
                throw new UsageException("unknown option '" + name + "'; "
                        + (options.isEmpty() ? "it takes no options" : "options: " + String.join(", ", options)));
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new UsageException(name + " needs a value");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
        }
        return new CommandLine(values);
    }

    /** Returns the last value given for the option, or the default. */
    String string(String name, String defaultValue) {
        List<String> v = values.get(name);
        return v == null ? defaultValue : v.get(v.size() - 1);
    }

    /** Returns every value given for a repeatable option, in order. */
    List<String> strings(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Returns a whole number in [min, max]. */
    int integer(String name, int defaultValue, int min, int max) throws UsageException {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw new UsageException(name + " must be a whole number from " + min + " to " + max + ", but was '" + text + "'");
    }

    /** Returns a duration written as 500ms, 30s, 2m or 1h, in [min, max]. */
    Duration duration(String name, Duration defaultValue, Duration min, Duration max) throws UsageException {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(text);
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new UsageException(name + " must be a duration from " + written(min) + " to " + written(max)
                    + ", such as 30s, 2m or 1h, but was '" + text + "'");
        }
        return d;
    }

    private static String written(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() % 3600 == 0 ? d.toHours() + "h" : d.toSeconds() + "s";
    }
}
