package dev.mproc.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one workload produced: each figure's value in each measured run, the sides' notes, or why
 * it failed.
 */
final class WorkloadResult {
    private final Workload workload;
    private final int runs;
    private final long iterations;
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final List<String> notes;
    private final String failure;
    private final String placement;
    private final Duration took;

    WorkloadResult(
        final Workload workload,
        final int runs,
        final long iterations,
        final Map<String, double[]> values,
        final List<String> notes,
        final String failure,
        final String placement,
        final Duration took) {
        this.workload = Objects.requireNonNull(workload, "workload");
        this.runs = runs;
        this.iterations = iterations;
        values.forEach((name, perRun) -> this.values.put(name, perRun.clone()));
        this.notes = List.copyOf(notes);
        this.failure = failure;
        this.placement = placement;
        this.took = took;
    }

    static WorkloadResult failed(
        final Workload workload, final int runs, final long iterations, final String failure,
        final String placement, final Duration took) {
        return new WorkloadResult(workload, runs, iterations, Map.of(), List.of(), failure, placement, took);
    }

    Workload workload() {
        return workload;
    }

    int runs() {
        return runs;
    }

    long iterations() {
        return iterations;
    }

    boolean failed() {
        return failure != null;
    }

    String failure() {
        return failure;
    }

    String placement() {
        return placement;
    }

    Duration took() {
        return took;
    }

    List<String> notes() {
        return notes;
    }

    /**
     * @param figure a figure name
     * @return its value in each run (NaN where missing); all NaN if never recorded
     */
    double[] values(final String figure) {
        final double[] v = values.get(figure);
        if (v != null) {
            return v.clone();
        }
        final double[] none = new double[runs];
        Arrays.fill(none, Double.NaN);
        return none;
    }

    /**
     * @param figure a figure name
     * @return its median and range over the runs, or null if no run recorded it
     */
    RunStats stats(final String figure) {
        return RunStats.of(values(figure));
    }
}
