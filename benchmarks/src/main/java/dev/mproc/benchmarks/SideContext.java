package dev.mproc.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

/**
 * What one side of a workload sees in its child JVM: the shared region, the harness's namespace
 * (for workloads that measure mproc objects with files of their own, such as a
 * {@code dev.mproc.sync.Lock}), the run settings, and a recorder for its figures.
 * <p>
 * Figures are buffered and printed only when the side has finished ({@link SideMain} does it), so
 * that no side writes to stdout, a system call, while its peer is still measuring.
 */
public final class SideContext {
    /** Prefix of a figure line on a side's stdout: {@code @fig <run> <value> <figure name>}. */
    static final String FIGURE_LINE = "@fig";
    /** Prefix of a note line on a side's stdout: {@code @note <text>}. */
    static final String NOTE_LINE = "@note";

    private final int side;
    private final int sides;
    private final int warmups;
    private final int runs;
    private final long iterations;
    private final boolean smoke;
    private final MappedRegion region;
    private final Namespace namespace;
    private final List<String> lines = new ArrayList<>();

    SideContext(
        final int side,
        final int sides,
        final int warmups,
        final int runs,
        final long iterations,
        final boolean smoke,
        final MappedRegion region,
        final Namespace namespace) {
        this.side = side;
        this.sides = sides;
        this.warmups = warmups;
        this.runs = runs;
        this.iterations = iterations;
        this.smoke = smoke;
        this.region = Objects.requireNonNull(region, "region");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** @return 0 for side A, 1 for side B */
    public int side() {
        return side;
    }

    /** @return how many sides take part */
    public int sides() {
        return sides;
    }

    /** @return "A", "B", ... for notes */
    public String sideName() {
        return String.valueOf((char) ('A' + side));
    }

    /** @return warm-up runs before the measured ones (same length, nothing recorded) */
    public int warmups() {
        return warmups;
    }

    /** @return measured runs */
    public int runs() {
        return runs;
    }

    /** @return iterations in every run, warm-up or measured */
    public long iterations() {
        return iterations;
    }

    /** @return warm-up plus measured runs times iterations: what a side that only answers must do */
    public long totalIterations() {
        return (long) (warmups + runs) * iterations;
    }

    /** @return true in smoke mode */
    public boolean smoke() {
        return smoke;
    }

    /** @return the workload's shared region, zeroed at creation */
    public MappedRegion region() {
        return region;
    }

    /**
     * The namespace the harness made for this workload (attached, not owned, in the sides). Objects
     * both sides open under the same name, e.g. {@code Lock.create(namespace(), "lock")}, are the
     * same object; the harness deletes them with the namespace when the workload ends.
     *
     * @return the workload's private namespace
     */
    public Namespace namespace() {
        return namespace;
    }

    /**
     * Records one figure of one measured run.
     *
     * @param run    0 ... runs-1 (warm-up runs record nothing)
     * @param figure a name from the workload's {@link Workload#figures()}
     * @param value  the value in the figure's unit
     */
    public void record(final int run, final String figure, final double value) {
        if (run < 0 || run >= runs) {
            throw new IllegalArgumentException("run out of range: run=" + run + " runs=" + runs);
        }
        if (figure.contains("\n")) {
            throw new IllegalArgumentException("figure name must be one line: " + figure);
        }
        lines.add(FIGURE_LINE + " " + run + " " + value + " " + figure);
    }

    /**
     * Adds a line to the workload's notes in the report (a spin budget, a count).
     *
     * @param text one line
     */
    public void note(final String text) {
        lines.add(NOTE_LINE + " side " + sideName() + ": " + text.replace('\n', ' '));
    }

    void flush(final PrintStream out) {
        for (final String line : lines) {
            out.println(line);
        }
        out.flush();
        lines.clear();
    }
}
