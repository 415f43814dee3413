package dev.mproc.benchmarks;

import java.util.List;
import java.util.Objects;

/**
 * One figure of a peer program: every value it printed under that key (the C limits print some
 * figures once per repetition) and their unit.
 *
 * @param values the values in output order, at least one
 * @param unit   their unit as printed
 */
public record PeerValue(List<Double> values, String unit) {

    /**
     * Checks and copies.
     *
     * @param values the values
     * @param unit   their unit
     */
    public PeerValue {
        values = List.copyOf(values);
        Objects.requireNonNull(unit, "unit");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a peer figure needs a value");
        }
    }

    /**
     * @return the median of the values: the figure set beside ours
     */
    public double median() {
        final double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return RunStats.of(v).median();
    }
}
