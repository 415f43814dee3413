package dev.mproc.benchmarks;

import java.util.Arrays;

/**
 * Median and range of one figure over the measured runs.
 *
 * @param median the median (mean of the middle two for an even count)
 * @param min    the smallest run
 * @param max    the largest run
 * @param count  how many runs produced the figure
 */
public record RunStats(double median, double min, double max, int count) {

    /**
     * @param values one value per run; NaN marks a run that did not produce the figure
     * @return the statistics of the values present, or null if there are none
     */
    public static RunStats of(final double[] values) {
        final double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (present.length == 0) {
            return null;
        }
        final int n = present.length;
        final double median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2.0;
        return new RunStats(median, present[0], present[n - 1], n);
    }
}
