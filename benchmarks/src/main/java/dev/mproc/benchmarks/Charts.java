package dev.mproc.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the report's charts as PNG files beside it, from the same results the markdown shows:
 * <ul>
 * <li>{@value #THROUGHPUT_VS_MESSAGE_SIZE}: MB/s against message size, one line per transport, from
 *     the {@code size-sweep-<transport>} workloads, with CPython's {@code Pipe.send_bytes} points
 *     when its baseline ran;</li>
 * <li>{@value #LATENCY_UNDER_LOAD}: round-trip percentiles at fixed offered rates, one panel per
 *     rate, from the {@code latency-under-load-<transport>} workloads;</li>
 * <li>{@value #SCALING}: rate against producer processes ({@code producers-<transport>}) and against
 *     pool workers ({@code pool-workers}), two panels side by side;</li>
 * <li>{@value #RATIO_TO_CPYTHON}: every figure that has a CPython peer, as "times better than
 *     CPython" (see {@link Ratios}).</li>
 * </ul>
 * A chart whose workloads are absent (a run of a few workloads) or failed is not written. Each
 * point is the median over the measured runs; a lighter bar through it spans the runs' minimum to
 * maximum.
 */
final class Charts {
    /** File name of the throughput against message size chart. */
    static final String THROUGHPUT_VS_MESSAGE_SIZE = "throughput-vs-message-size.png";
    /** File name of the latency under offered load chart. */
    static final String LATENCY_UNDER_LOAD = "latency-under-load.png";
    /** File name of the scaling chart (producers and pool workers). */
    static final String SCALING = "scaling.png";
    /** File name of the ratio to CPython chart. */
    static final String RATIO_TO_CPYTHON = "ratio-to-cpython.png";

    /** Width of a one-panel chart, in pixels. */
    static final int WIDTH = 900;
    /** Height of every chart but the ratio chart, which grows with its bars. */
    static final int HEIGHT = 540;
    /** Width of one panel of the scaling chart when it has both panels. */
    static final int SCALING_PANEL_WIDTH = 600;
    /** Width of one panel of the latency chart when it shows several rates. */
    static final int LATENCY_PANEL_WIDTH = 480;

    /** CPython baseline: {@code Pipe.send_bytes} of 64 bytes, printed in msgs/s. */
    static final String CPYTHON_PIPE_64B = "pipe_64B_send_bytes_throughput";
    /** CPython baseline: {@code Pipe.send_bytes} of 1 MiB, printed in MB/s. */
    static final String CPYTHON_PIPE_1MIB = "pipe_1MiB_send_bytes_throughput";

    /** Workloads {@code size-sweep-<transport>}: figures {@code "<size> throughput"} in MB/s. */
    static final String SIZE_SWEEP = "size-sweep-";
    /** Workloads {@code latency-under-load-<transport>}: figures {@code "<rate> <p50|...|max>"} in us. */
    static final String LATENCY_UNDER_LOAD_PREFIX = "latency-under-load-";
    /** Workloads {@code producers-<transport>}: figures {@code "<n> producers"} in M msg/s. */
    static final String PRODUCERS = "producers-";
    /** The workload whose figures {@code "<n> workers"} in M tasks/s make the pool panel. */
    static final String POOL_WORKERS = "pool-workers";

    static {
        // Before anything here touches AWT (fonts, colours, images): the suite runs on machines
        // without a display, and AWT reads this property once, when it starts.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KiB|MiB|GiB)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMG]?)\\s*/\\s*s");
    private static final Pattern THROUGHPUT_FIGURE = Pattern.compile("(.+?)\\s+throughput");
    private static final Pattern PRODUCERS_FIGURE = Pattern.compile("(\\d+)\\s+producers?");
    private static final Pattern WORKERS_FIGURE = Pattern.compile("(\\d+)\\s+workers?");

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** How each known transport is named and drawn, in legend order (Okabe-Ito colours). */
    private static final Map<String, Look> TRANSPORTS = new LinkedHashMap<>();

    static {
        TRANSPORTS.put("pipe", new Look("mproc Pipe", new Color(0x0072B2), SeriesMarkers.CIRCLE));
        TRANSPORTS.put("queue", new Look("mproc Queue", new Color(0x009E73), SeriesMarkers.SQUARE));
        TRANSPORTS.put("journal", new Look("mproc DurableQueue (journal)", new Color(0x56B4E9), SeriesMarkers.CROSS));
        TRANSPORTS.put("uds", new Look("Unix-domain SocketChannel", new Color(0xD55E00), SeriesMarkers.DIAMOND));
        TRANSPORTS.put("agrona", new Look("Agrona OneToOneRingBuffer", new Color(0xCC79A7), SeriesMarkers.TRIANGLE_UP));
        TRANSPORTS.put("agrona-m2o", new Look("Agrona ManyToOneRingBuffer", new Color(0x7B3294), SeriesMarkers.DIAMOND));
        TRANSPORTS.put("chronicle", new Look("Chronicle Queue", new Color(0xE69F00), SeriesMarkers.TRIANGLE_DOWN));
    }

    /** Colours for other transports, picked by the id's hash: a transport keeps its colour across charts. */
    private static final Color[] OTHER_COLOURS = {
        new Color(0x56B4E9), new Color(0x000000), new Color(0x8C564B), new Color(0x6A3D9A)};
    private static final Look CPYTHON = new Look("CPython Pipe send_bytes", new Color(0x707070), SeriesMarkers.CROSS);

    /** How a series is named and drawn. */
    private record Look(String label, Color colour, Marker marker) {
    }

    /** One point of a series: x, and the median, minimum and maximum over the runs. */
    private record Point(double x, double median, double min, double max) {
    }

    /** One line of a chart; a secondary line (a peer's points) is dashed. */
    private record Line(Look look, List<Point> points, boolean secondary) {
    }

    private Charts() {
    }

    /**
     * Writes every chart whose data is in {@code results}, replacing files of the same name.
     *
     * @param directory where to write them (created if missing): beside the report
     * @param results   the workloads' results; failed ones are left out
     * @param peers     the peers of this session; CPython's figures are used when it ran
     * @return the files written, in the order of the class description
     * @throws IOException if a file cannot be written
     */
    static List<Path> render(final Path directory, final List<WorkloadResult> results, final List<PeerRun> peers)
        throws IOException {
        final Optional<PeerRun> cpython = peers.stream()
            .filter(p -> p.source().equals(PeerRef.CPYTHON) && p.available())
            .findFirst();
        final List<Path> written = new ArrayList<>();
        write(directory, THROUGHPUT_VS_MESSAGE_SIZE, throughputVsMessageSize(results, cpython), written);
        write(directory, LATENCY_UNDER_LOAD, latencyUnderLoad(results), written);
        write(directory, SCALING, scaling(results), written);
        write(directory, RATIO_TO_CPYTHON, ratioToCpython(results, cpython), written);
        return written;
    }

    private static void write(
        final Path directory, final String name, final Optional<BufferedImage> image, final List<Path> written)
        throws IOException {
        if (image.isEmpty()) {
            return;
        }
        Files.createDirectories(directory);
        final Path file = directory.resolve(name);
        if (!ImageIO.write(image.get(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK: cannot write " + file);
        }
        written.add(file);
    }

    // ---------------------------------------------------------------- throughput against message size

    /**
     * @param results the workloads' results
     * @param cpython the CPython baseline's run, if it ran
     * @return the chart, or empty when no size sweep produced a figure
     */
    static Optional<BufferedImage> throughputVsMessageSize(
        final List<WorkloadResult> results, final Optional<PeerRun> cpython) {
        final List<Line> lines = new ArrayList<>();
        for (final Map.Entry<String, WorkloadResult> entry : byTransport(results, SIZE_SWEEP).entrySet()) {
            final WorkloadResult result = entry.getValue();
            final List<Point> points = new ArrayList<>();
            for (final Figure figure : result.workload().figures()) {
                final Matcher m = THROUGHPUT_FIGURE.matcher(figure.name());
                if (!m.matches() || !Units.convertible(figure.unit(), "MB/s")) {
                    continue;
                }
                final OptionalDouble bytes = bytes(m.group(1));
                final RunStats stats = result.stats(figure.name());
                if (bytes.isPresent() && bytes.getAsDouble() > 0 && stats != null) {
                    point(log2(bytes.getAsDouble()), stats, v -> Units.convert(v, figure.unit(), "MB/s"))
                        .ifPresent(points::add);
                }
            }
            if (!points.isEmpty()) {
                lines.add(new Line(look(entry.getKey()), sorted(points), false));
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        cpython.ifPresent(peer -> {
            final List<Point> points = new ArrayList<>();
            peerThroughput(peer, CPYTHON_PIPE_64B, 64).ifPresent(points::add);
            peerThroughput(peer, CPYTHON_PIPE_1MIB, 1 << 20).ifPresent(points::add);
            if (!points.isEmpty()) {
                lines.add(new Line(CPYTHON, sorted(points), true));
            }
        });
        final XYChart chart = chart(WIDTH, "Throughput against message size (one producer, one consumer)",
            "message size (log scale)", "MB/s (1e6 bytes per second, log scale)");
        final XYStyler styler = chart.getStyler();
        logarithmicY(styler,
            lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::min).min().orElseThrow(),
            lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::max).max().orElseThrow());
        // outside: a transport's line may pass anywhere in the plot, and a legend inside would hide it
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        // x is log2(bytes) on a linear axis: XChart's own log axis only labels decades, and its
        // tick formatter cannot be replaced on a log axis, so the sizes would read 10, 100, 1000
        xRange(styler, lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).min().orElseThrow(),
            lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).max().orElseThrow());
        chart.setCustomXAxisTickLabelsFormatter(x -> sizeLabel(Math.rint(x)));
        for (final Line line : lines) {
            add(chart, line, 0);
        }
        return Optional.of(compose(List.of(chart), WIDTH));
    }

    private static Optional<Point> peerThroughput(final PeerRun peer, final String key, final long bytes) {
        final Optional<PeerValue> value = peer.figure(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        final String unit = value.get().unit();
        final DoubleUnaryOperator toMegabytesPerSecond;
        if (Units.convertible(unit, "MB/s")) {
            toMegabytesPerSecond = v -> Units.convert(v, unit, "MB/s");
        } else if (Units.convertible(unit, "msgs/s")) {
            // CPython prints the 64-byte figure as messages per second
            toMegabytesPerSecond = v -> Units.convert(v, unit, "msgs/s") * bytes / 1e6;
        } else {
            return Optional.empty();
        }
        final double[] values = value.get().values().stream().mapToDouble(Double::doubleValue).toArray();
        return point(log2(bytes), RunStats.of(values), toMegabytesPerSecond);
    }

    // ---------------------------------------------------------------- latency under load

    /**
     * @param results the workloads' results
     * @return the chart, one panel per offered rate, or empty when no latency-under-load workload
     *         produced a figure
     */
    static Optional<BufferedImage> latencyUnderLoad(final List<WorkloadResult> results) {
        // rate (per second) -> its label and, per transport, statistic -> value in us (x unused)
        final TreeMap<Double, String> rateLabels = new TreeMap<>();
        final Map<Double, Map<String, Map<String, Point>>> byRate = new TreeMap<>();
        final TreeMap<Double, String> statistics = new TreeMap<>();
        for (final Map.Entry<String, WorkloadResult> entry
            : byTransport(results, LATENCY_UNDER_LOAD_PREFIX).entrySet()) {
            final WorkloadResult result = entry.getValue();
            for (final Figure figure : result.workload().figures()) {
                final int space = figure.name().lastIndexOf(' ');
                if (space <= 0 || !Units.convertible(figure.unit(), "us")) {
                    continue;
                }
                final String rateLabel = figure.name().substring(0, space).strip();
                final String statistic = figure.name().substring(space + 1);
                final OptionalDouble rate = perSecond(rateLabel);
                final OptionalDouble order = statisticOrder(statistic);
                final RunStats stats = result.stats(figure.name());
                if (rate.isEmpty() || order.isEmpty() || stats == null) {
                    continue;
                }
                final Optional<Point> inMicros = point(0, stats, v -> Units.convert(v, figure.unit(), "us"));
                if (inMicros.isEmpty()) {
                    continue;
                }
                rateLabels.putIfAbsent(rate.getAsDouble(), rateLabel);
                statistics.putIfAbsent(order.getAsDouble(), statistic);
                byRate.computeIfAbsent(rate.getAsDouble(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(entry.getKey(), t -> new LinkedHashMap<>())
                    .put(statistic, inMicros.get());
            }
        }
        if (byRate.isEmpty()) {
            return Optional.empty();
        }
        final List<String> categories = List.copyOf(statistics.values());
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (final Map<String, Map<String, Point>> transports : byRate.values()) {
            for (final Map<String, Point> stats : transports.values()) {
                for (final Point s : stats.values()) {
                    lowest = Math.min(lowest, s.min());
                    highest = Math.max(highest, s.max());
                }
            }
        }
        final int panels = byRate.size();
        final int panelWidth = panels == 1 ? WIDTH : LATENCY_PANEL_WIDTH;
        final boolean sameTransportsEverywhere = byRate.values().stream().map(Map::keySet).distinct().count() == 1;
        final List<XYChart> charts = new ArrayList<>();
        for (final Map.Entry<Double, Map<String, Map<String, Point>>> rate : byRate.entrySet()) {
            final XYChart chart = chart(panelWidth, "Round trip at " + rateLabels.get(rate.getKey()) + " offered",
                "percentile", "us (corrected for coordinated omission, log)");
            final XYStyler styler = chart.getStyler();
            // one y range for every panel, so that the panels compare by eye
            logarithmicY(styler, lowest, highest);
            xRange(styler, 0, categories.size() - 1);
            styler.setLegendPosition(Styler.LegendPosition.InsideNW);
            styler.setLegendVisible(charts.isEmpty() || !sameTransportsEverywhere);
            chart.setCustomXAxisTickLabelsFormatter(x -> category(categories, x));
            final int count = rate.getValue().size();
            int index = 0;
            for (final Map.Entry<String, Map<String, Point>> transport : rate.getValue().entrySet()) {
                final List<Point> points = new ArrayList<>();
                for (int c = 0; c < categories.size(); c++) {
                    final Point s = transport.getValue().get(categories.get(c));
                    if (s != null) {
                        points.add(new Point(c, s.median(), s.min(), s.max()));
                    }
                }
                // transports side by side around each percentile, so that their ranges do not overlap
                final double dodge = (index - (count - 1) / 2.0) * 0.07;
                add(chart, new Line(look(transport.getKey()), points, false), dodge);
                index++;
            }
            charts.add(chart);
        }
        return Optional.of(compose(charts, panelWidth));
    }

    // ---------------------------------------------------------------- scaling

    /**
     * @param results the workloads' results
     * @return the chart: producers on the left, pool workers on the right, either alone when the
     *         other did not run; empty when neither did
     */
    static Optional<BufferedImage> scaling(final List<WorkloadResult> results) {
        final List<Line> producers = new ArrayList<>();
        for (final Map.Entry<String, WorkloadResult> entry : byTransport(results, PRODUCERS).entrySet()) {
            final List<Point> points = counted(entry.getValue(), PRODUCERS_FIGURE, "M msg/s");
            if (!points.isEmpty()) {
                producers.add(new Line(look(entry.getKey()), points, false));
            }
        }
        final List<Line> workers = new ArrayList<>();
        results.stream()
            .filter(r -> !r.failed() && r.workload().name().equals(POOL_WORKERS))
            .findFirst()
            .map(r -> counted(r, WORKERS_FIGURE, "M tasks/s"))
            .filter(points -> !points.isEmpty())
            .ifPresent(points -> workers.add(new Line(new Look("mproc Pool", TRANSPORTS.get("pipe").colour(),
                SeriesMarkers.CIRCLE), points, false)));
        final int panels = (producers.isEmpty() ? 0 : 1) + (workers.isEmpty() ? 0 : 1);
        if (panels == 0) {
            return Optional.empty();
        }
        final int panelWidth = panels == 1 ? WIDTH : SCALING_PANEL_WIDTH;
        final List<XYChart> charts = new ArrayList<>();
        if (!producers.isEmpty()) {
            charts.add(countChart(panelWidth, "Producer processes into one consumer", "producers", "M msg/s",
                producers));
        }
        if (!workers.isEmpty()) {
            charts.add(countChart(panelWidth, "Pool workers, trivial tasks", "workers", "M tasks/s", workers));
        }
        return Optional.of(compose(charts, panelWidth));
    }

    /** The points of figures named "N producers" (or "N workers"), x = N, in {@code unit}. */
    private static List<Point> counted(final WorkloadResult result, final Pattern name, final String unit) {
        final List<Point> points = new ArrayList<>();
        for (final Figure figure : result.workload().figures()) {
            final Matcher m = name.matcher(figure.name());
            final RunStats stats = result.stats(figure.name());
            if (m.matches() && stats != null && Units.convertible(figure.unit(), unit)) {
                point(Double.parseDouble(m.group(1)), stats, v -> Units.convert(v, figure.unit(), unit))
                    .ifPresent(points::add);
            }
        }
        return sorted(points);
    }

    private static XYChart countChart(
        final int width, final String title, final String xTitle, final String unit, final List<Line> lines) {
        final XYChart chart = chart(width, title, xTitle, unit);
        final XYStyler styler = chart.getStyler();
        final double minX = lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).min().orElse(1);
        final double maxX = lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).max().orElse(1);
        final double maxY = lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::max).max().orElse(1);
        // from zero: how far from linear the scaling is only reads on an axis that starts at zero
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(maxY * 1.15);
        xRange(styler, minX, maxX);
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.setCustomXAxisTickLabelsFormatter(x -> Long.toString(Math.round(x)));
        for (final Line line : lines) {
            add(chart, line, 0);
        }
        return chart;
    }

    // ---------------------------------------------------------------- ratio to CPython

    /**
     * @param results the workloads' results
     * @param cpython the CPython baseline's run, if it ran
     * @return one bar per figure with a CPython peer and a ratio (see {@link Ratios}), or empty
     *         when there is none
     */
    static Optional<BufferedImage> ratioToCpython(final List<WorkloadResult> results, final Optional<PeerRun> cpython) {
        if (cpython.isEmpty()) {
            return Optional.empty();
        }
        final List<RatioChart.Bar> bars = new ArrayList<>();
        for (final WorkloadResult result : results) {
            if (result.failed()) {
                continue;
            }
            for (final Figure figure : result.workload().figures()) {
                if (figure.peer(PeerRef.CPYTHON).isEmpty()) {
                    continue;
                }
                Ratios.ratio(figure, result.stats(figure.name()), cpython.get()).ifPresent(
                    r -> bars.add(new RatioChart.Bar(result.workload().name() + " " + figure.name(), r)));
            }
        }
        if (bars.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(RatioChart.draw("mproc against CPython multiprocessing, same session",
            "times better than CPython: peer / ours for times, ours / peer for rates (log scale)",
            "CPython", bars, WIDTH, HEIGHT));
    }

    // ---------------------------------------------------------------- parsing labels

    /**
     * @param label a size as the workloads name it: {@code "8 B"}, {@code "4 KiB"}, {@code "1 MiB"}
     * @return the bytes, or empty if the label is not a size
     */
    static OptionalDouble bytes(final String label) {
        final Matcher m = SIZE.matcher(label.strip());
        if (!m.matches()) {
            return OptionalDouble.empty();
        }
        final double scale = switch (m.group(2)) {
            case "KiB" -> 1024.0;
            case "MiB" -> 1024.0 * 1024;
            case "GiB" -> 1024.0 * 1024 * 1024;
            default -> 1.0;
        };
        return OptionalDouble.of(Double.parseDouble(m.group(1)) * scale);
    }

    /**
     * @param label an offered rate as the workloads name it: {@code "10 K/s"}, {@code "1 M/s"}
     * @return the rate per second, or empty if the label is not a rate
     */
    static OptionalDouble perSecond(final String label) {
        final Matcher m = RATE.matcher(label.strip());
        if (!m.matches()) {
            return OptionalDouble.empty();
        }
        final double scale = switch (m.group(2)) {
            case "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            default -> 1.0;
        };
        return OptionalDouble.of(Double.parseDouble(m.group(1)) * scale);
    }

    /** Where a statistic goes on the percentile axis: min, p50, p90, p99, p99.9, max. */
    private static OptionalDouble statisticOrder(final String statistic) {
        if (statistic.equals("min")) {
            return OptionalDouble.of(0);
        }
        if (statistic.equals("max")) {
            return OptionalDouble.of(100);
        }
        if (statistic.startsWith("p")) {
            try {
                final double p = Double.parseDouble(statistic.substring(1));
                return p > 0 && p < 100 ? OptionalDouble.of(p) : OptionalDouble.empty();
            } catch (final NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** A size of 2^exponent bytes, the way the workloads write it. */
    private static String sizeLabel(final double exponent) {
        final double bytes = Math.pow(2, exponent);
        final String[] units = {"B", "KiB", "MiB", "GiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return Numbers.format(value) + " " + units[unit];
    }

    // ---------------------------------------------------------------- drawing

    /** The results of workloads named {@code prefix + transport}, by transport, known transports first. */
    private static Map<String, WorkloadResult> byTransport(final List<WorkloadResult> results, final String prefix) {
        final List<String> known = List.copyOf(TRANSPORTS.keySet());
        final TreeMap<String, WorkloadResult> found = new TreeMap<>(
            Comparator.comparingInt((String id) -> known.contains(id) ? known.indexOf(id) : known.size())
                .thenComparing(Comparator.naturalOrder()));
        for (final WorkloadResult result : results) {
            final String name = result.workload().name();
            if (!result.failed() && name.startsWith(prefix) && name.length() > prefix.length()) {
                found.putIfAbsent(name.substring(prefix.length()), result);
            }
        }
        return found;
    }

    private static Look look(final String transport) {
        final Look known = TRANSPORTS.get(transport);
        if (known != null) {
            return known;
        }
        return new Look(transport, OTHER_COLOURS[Math.floorMod(transport.hashCode(), OTHER_COLOURS.length)],
            SeriesMarkers.OVAL);
    }

    /** A point from a figure's statistics converted by {@code unit}; empty unless all three are positive numbers. */
    private static Optional<Point> point(final double x, final RunStats stats, final DoubleUnaryOperator unit) {
        if (stats == null) {
            return Optional.empty();
        }
        final double median = unit.applyAsDouble(stats.median());
        final double a = unit.applyAsDouble(stats.min());
        final double b = unit.applyAsDouble(stats.max());
        // a reciprocal conversion (a time into a rate) swaps the ends of the range
        final double min = Math.min(a, b);
        final double max = Math.max(a, b);
        if (!(median > 0) || !(min > 0) || Double.isInfinite(max)) {
            return Optional.empty();
        }
        return Optional.of(new Point(x, median, min, max));
    }

    private static List<Point> sorted(final List<Point> points) {
        return points.stream().sorted(Comparator.comparingDouble(Point::x)).toList();
    }

    /*
     * About the x tick labels. XChart (3.8) places ticks at multiples of a step it picks, from one
     * step below the axis to two above it, and grows the step until every tick label is distinct.
     * The formatters below round x to a whole number, so a step below 1 gives repeated labels and
     * is refused: ticks fall on whole numbers only (sizes of 2^n bytes, categories, counts). Ticks
     * outside the axis are not drawn but must be distinct too, hence the blanks of different
     * lengths for them in category(); an empty label for every one of them would make XChart refuse
     * every step and draw no label at all.
     */

    /**
     * An x axis from half a unit below the first whole-number x to half a unit above the last.
     * With one x only, a whole unit either side: XChart puts the ticks at the data's x values when
     * those and the axis ends are equally spaced, which {x - 0.5, x, x + 0.5} are, and the rounded
     * labels of the ends would then repeat and push the one label to the axis' end.
     */
    private static void xRange(final XYStyler styler, final double minX, final double maxX) {
        final double margin = maxX - minX < 0.5 ? 1 : 0.5;
        styler.setXAxisMin(Math.floor(minX) - margin);
        styler.setXAxisMax(Math.ceil(maxX) + margin);
    }

    /** The category at the whole number nearest {@code x}, or a distinct blank outside them. */
    private static String category(final List<String> categories, final double x) {
        final long i = Math.round(x);
        if (i < 0) {
            return " ".repeat((int) Math.min(2 * -i, 64));
        }
        if (i >= categories.size()) {
            return " ".repeat((int) Math.min(2 * (i - categories.size()) + 1, 63));
        }
        return categories.get((int) i);
    }

    private static double log2(final double bytes) {
        final double x = Math.log(bytes) / Math.log(2);
        // 8 B gives 2.9999999999999996: snap to the power of two it is, or the axis starts at 2 - 0.5
        return Math.abs(x - Math.rint(x)) < 1e-9 ? Math.rint(x) : x;
    }

    /**
     * A log y axis. XChart labels only the decades by default, which leaves data within one or two
     * decades with one label or none: then every 1-9 step is labelled.
     */
    private static void logarithmicY(final XYStyler styler, final double lowest, final double highest) {
        styler.setYAxisLogarithmic(true);
        styler.setYAxisLogarithmicDecadeOnly(highest / lowest >= 30);
        // a margin above and below, which also keeps the axis from being a single value
        styler.setYAxisMin(lowest / 1.25);
        styler.setYAxisMax(highest * 1.25);
    }

    private static XYChart chart(final int width, final String title, final String xTitle, final String yTitle) {
        final XYChart chart = new XYChartBuilder().width(width).height(HEIGHT)
            .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        final XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setAxisTitleFont(AXIS_TITLE_FONT);
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setLegendFont(LEGEND_FONT);
        styler.setMarkerSize(9);
        // 10,000 rather than XChart's 1E4
        styler.setYAxisDecimalPattern("#,##0.###");
        styler.setAntiAlias(true);
        styler.setChartPadding(12);
        return chart;
    }

    /**
     * Adds a line of medians and, where the runs differ, a vertical bar from their minimum to their
     * maximum at each point, in the line's colour made lighter. The bars are one more series whose
     * segments are separated by NaN, which XChart draws as gaps.
     */
    private static void add(final XYChart chart, final Line line, final double dodge) {
        final List<Point> points = line.points();
        final double[] x = new double[points.size()];
        final double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i).x() + dodge;
            y[i] = points.get(i).median();
        }
        final Look look = line.look();
        final XYSeries medians = chart.addSeries(look.label(), x, y);
        medians.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        medians.setLineColor(look.colour());
        medians.setMarkerColor(look.colour());
        medians.setMarker(look.marker());
        medians.setLineStyle(line.secondary()
            ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 6f}, 0f)
            : new BasicStroke(2.5f));
        final List<Point> ranged = points.stream().filter(p -> p.max() > p.min()).toList();
        if (ranged.isEmpty()) {
            return;
        }
        final double[] rx = new double[ranged.size() * 3];
        final double[] ry = new double[ranged.size() * 3];
        for (int i = 0; i < ranged.size(); i++) {
            final Point p = ranged.get(i);
            rx[3 * i] = p.x() + dodge;
            ry[3 * i] = p.min();
            rx[3 * i + 1] = p.x() + dodge;
            ry[3 * i + 1] = p.max();
            rx[3 * i + 2] = p.x() + dodge;
            ry[3 * i + 2] = Double.NaN;
        }
        final XYSeries range = chart.addSeries(look.label() + " (min - max)", rx, ry);
        range.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        range.setShowInLegend(false);
        range.setMarker(SeriesMarkers.NONE);
        final Color c = look.colour();
        range.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
        range.setLineStyle(new BasicStroke(5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    }

    /** Paints the charts side by side on one white image. */
    private static BufferedImage compose(final List<XYChart> charts, final int panelWidth) {
        final BufferedImage image = new BufferedImage(panelWidth * charts.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                final Graphics2D panel = (Graphics2D) g.create(i * panelWidth, 0, panelWidth, HEIGHT);
                try {
                    charts.get(i).paint(panel, panelWidth, HEIGHT);
                } finally {
                    panel.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
