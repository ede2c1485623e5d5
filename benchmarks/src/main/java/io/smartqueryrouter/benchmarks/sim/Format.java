package io.smartqueryrouter.benchmarks.sim;

import java.util.Locale;

/** Number formatting shared by the reports: always a dot as decimal separator. */
final class Format {
    private Format() {
    }

    /** Nanoseconds as milliseconds: 3 significant digits below 10 ms, one decimal up to 1000 ms, none above. */
    static String millis(double nanos) {
        double ms = nanos / 1e6;
        if (Double.isNaN(ms)) {
            return "-";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    /** A share in [0, 1] as a percentage with the given decimals. */
    static String percent(double share, int decimals) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", share * 100);
    }

    /** A plain number with the given decimals. */
    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
