package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * The statistics every latency distribution is reported with (p50, p90, p99, p99.9, max), as
 * figures and as values read from an HdrHistogram of nanoseconds.
 * <p>
 * The names match the C limit programs' statistics ({@code p50=... p90=...}), so a workload can
 * point each statistic at the same statistic of its C peer.
 */
public final class LatencyFigures {
    /** The statistics, in report order. */
    public static final List<String> STATISTICS = List.of("p50", "p90", "p99", "p99.9", "max");

    /** Largest recordable latency: longer samples are clamped, which only a frozen VM produces. */
    public static final long HIGHEST_NANOS = 60_000_000_000L;

    private LatencyFigures() {
    }

    /**
     * @return a histogram for nanosecond latencies, allocated up front so that recording never
     *         allocates
     */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NANOS, 3);
    }

    /**
     * Records one sample, clamped to the histogram's range.
     *
     * @param histogram from {@link #newHistogram()}
     * @param nanos     the sample
     */
    public static void recordNanos(final Histogram histogram, final long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NANOS)));
    }

    /**
     * @param base    the distribution's name, e.g. "rtt"
     * @param unit    the unit to report in
     * @param better  usually {@link Better#LOWER}
     * @param targets the goal of a statistic, or null
     * @param peers   the peer figures of a statistic (may be empty)
     * @return one figure per statistic, named "{base} {statistic}"
     */
    public static List<Figure> figures(
        final String base,
        final String unit,
        final Better better,
        final Function<String, String> targets,
        final Function<String, List<PeerRef>> peers) {
        final List<Figure> figures = new ArrayList<>();
        for (final String statistic : STATISTICS) {
            final String target = targets.apply(statistic);
            figures.add(new Figure(base + " " + statistic, unit, better, target == null ? "" : target,
                peers.apply(statistic)));
        }
        return figures;
    }

    /**
     * Records every statistic of a run's histogram.
     *
     * @param context   the side's recorder
     * @param run       the measured run
     * @param base      the distribution's name, as given to {@link #figures}
     * @param unit      the unit the figures are in
     * @param histogram nanosecond samples
     */
    public static void record(
        final SideContext context, final int run, final String base, final String unit, final Histogram histogram) {
        for (final String statistic : STATISTICS) {
            final long nanos = statistic.equals("max")
                ? histogram.getMaxValue()
                : histogram.getValueAtPercentile(Double.parseDouble(statistic.substring(1)));
            context.record(run, base + " " + statistic, Units.convert(nanos, "ns", unit));
        }
    }
}
