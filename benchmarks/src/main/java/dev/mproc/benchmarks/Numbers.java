package dev.mproc.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How the report prints numbers: three significant digits, whole numbers from 1000 up, never an
 * exponent, so that columns stay readable and comparable by eye.
 */
final class Numbers {
    private Numbers() {
    }

    static String format(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == 0) {
            return "0";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
