package io.smartqueryrouter.core;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the field and the value. */
final class Checks {
    private Checks() {
    }

    static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, but was " + value);
        }
        return value;
    }

    static Duration notNegative(String field, Duration value) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, but was " + value);
        }
        return value;
    }

    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }
}
