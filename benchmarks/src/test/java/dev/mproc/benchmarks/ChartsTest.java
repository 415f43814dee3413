package dev.mproc.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

// a separate thread: a charting library looping on odd data would not notice an interrupt
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<String> SIZES = List.of("8 B", "64 B", "512 B", "4 KiB", "32 KiB", "256 KiB", "1 MiB");
    private static final List<String> RATES = List.of("10 K/s", "100 K/s", "1 M/s");
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

    @TempDir
    Path directory;

    /** Three runs per figure: 0.9, 1.0 and 1.1 times the median, so every point has a range. */
    private static WorkloadResult result(final String name, final Map<Figure, Double> medians) {
        final Map<String, double[]> values = new LinkedHashMap<>();
        medians.forEach((figure, median) -> values.put(figure.name(), new double[] {median * 0.9, median, median * 1.1}));
        return new WorkloadResult(new ReportOnlyWorkload(name, null, List.copyOf(medians.keySet())), 3, 100, values, List.of(), null,
            "unpinned", Duration.ofSeconds(1));
    }

    private static WorkloadResult sizeSweep(final String transport, final double peakMegabytesPerSecond) {
        final Map<Figure, Double> medians = new LinkedHashMap<>();
        for (int i = 0; i < SIZES.size(); i++) {
            // rises with the size and levels off, as a copy-bound transport does
            final double megabytesPerSecond = peakMegabytesPerSecond * (1 - Math.pow(0.3, i + 1));
            medians.put(Figure.of(SIZES.get(i) + " throughput", "MB/s", Better.HIGHER, ""), megabytesPerSecond);
            medians.put(Figure.info(SIZES.get(i) + " rate", "M msg/s"), megabytesPerSecond / 100);
        }
        return result("size-sweep-" + transport, medians);
    }

    private static WorkloadResult latencyUnderLoad(final String transport) {
        final Map<Figure, Double> medians = new LinkedHashMap<>();
        for (int r = 0; r < RATES.size(); r++) {
            for (int p = 0; p < PERCENTILES.size(); p++) {
                medians.put(Figure.of(RATES.get(r) + " " + PERCENTILES.get(p), "us", Better.LOWER, ""),
                    0.5 * Math.pow(3, p) * (r + 1));
            }
        }
        return result("latency-under-load-" + transport, medians);
    }

    private static WorkloadResult counted(final String name, final String noun, final String unit, final double first) {
        final Map<Figure, Double> medians = new LinkedHashMap<>();
        for (int n = 1; n <= 4; n++) {
            medians.put(Figure.of(n + " " + noun + (n == 1 ? "" : "s"), unit, Better.HIGHER, ""), first * (1 + 0.6 * (n - 1)));
        }
        return result(name, medians);
    }

    private static final Figure PEERED_RATE = Figure.of("throughput", "M msg/s", Better.HIGHER, "",
        PeerRef.cpython("pipe_64B_send_bytes_throughput", "Pipe send_bytes 64 B"));
    private static final Figure PEERED_TIME = Figure.of("rtt p50", "us", Better.LOWER, "",
        PeerRef.cpython("pipe_pingpong_rtt_median", "Pipe ping-pong median"));
    private static final Figure PEERED_NANOS = Figure.of("rtt p99", "ns", Better.LOWER, "",
        PeerRef.cpython("pipe_pingpong_rtt_p99", "Pipe ping-pong p99"));
    private static final Figure PEERED_SLOWER = Figure.of("start + join", "ms", Better.LOWER, "",
        PeerRef.cpython("process_start_join_spawn_median", "Process start+join, spawn"));

    private static WorkloadResult peered() {
        final Map<Figure, Double> medians = new LinkedHashMap<>();
        medians.put(PEERED_RATE, 16.0);
        medians.put(PEERED_TIME, 2.0);
        medians.put(PEERED_NANOS, 500.0);
        medians.put(PEERED_SLOWER, 100.0);
        medians.put(Figure.info("share asleep", "%"), 50.0);
        return result("pipe-bytes-64b", medians);
    }

    private static PeerRun cpython() {
        return new PeerRun(PeerRef.CPYTHON, "CPython", "python3 baseline.py 1", null, "", Duration.ofSeconds(50), Map.of(
            "pipe_64B_send_bytes_throughput", new PeerValue(List.of(800000.0), "msgs/s"),
            "pipe_1MiB_send_bytes_throughput", new PeerValue(List.of(480.0), "MB/s"),
            "pipe_pingpong_rtt_median", new PeerValue(List.of(80.0), "us"),
            "pipe_pingpong_rtt_p99", new PeerValue(List.of(270.0, 250.0, 260.0), "us"),
            "process_start_join_spawn_median", new PeerValue(List.of(50.0), "ms")));
    }

    private static List<WorkloadResult> everything() {
        return List.of(
            sizeSweep("pipe", 9000), sizeSweep("uds", 2500),
            latencyUnderLoad("pipe"),
            counted("producers-queue", "producer", "M msg/s", 10),
            counted("pool-workers", "worker", "M tasks/s", 2),
            peered());
    }

    private static BufferedImage readPng(final Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        try (InputStream in = Files.newInputStream(file)) {
            assertArrayEquals(PNG_SIGNATURE, in.readNBytes(PNG_SIGNATURE.length), "not a PNG: " + file);
        }
        final BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, "ImageIO cannot decode " + file);
        return image;
    }

    /** Share of the pixels that differ from the top-left one (the background). */
    private static double inked(final BufferedImage image) {
        final int background = image.getRGB(0, 0);
        long differ = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != background) {
                    differ++;
                }
            }
        }
        return (double) differ / ((long) image.getWidth() * image.getHeight());
    }

    private static void assertDrawn(final BufferedImage image, final String name) {
        final double inked = inked(image);
        assertTrue(inked > 0.01, name + " looks blank: only " + inked + " of its pixels differ from the background");
    }

    @Test
    void shouldWriteEveryChartAsADecodablePngOfItsSize() throws IOException {
        final List<Path> written = Charts.render(directory, everything(), List.of(cpython()));

        assertEquals(List.of(
            directory.resolve(Charts.THROUGHPUT_VS_MESSAGE_SIZE),
            directory.resolve(Charts.LATENCY_UNDER_LOAD),
            directory.resolve(Charts.SCALING),
            directory.resolve(Charts.RATIO_TO_CPYTHON)), written);

        final BufferedImage throughput = readPng(directory.resolve(Charts.THROUGHPUT_VS_MESSAGE_SIZE));
        assertEquals(Charts.WIDTH, throughput.getWidth());
        assertEquals(Charts.HEIGHT, throughput.getHeight());
        assertDrawn(throughput, Charts.THROUGHPUT_VS_MESSAGE_SIZE);

        final BufferedImage latency = readPng(directory.resolve(Charts.LATENCY_UNDER_LOAD));
        assertEquals(RATES.size() * Charts.LATENCY_PANEL_WIDTH, latency.getWidth(), "one panel per offered rate");
        assertEquals(Charts.HEIGHT, latency.getHeight());
        assertDrawn(latency, Charts.LATENCY_UNDER_LOAD);

        final BufferedImage scaling = readPng(directory.resolve(Charts.SCALING));
        assertEquals(2 * Charts.SCALING_PANEL_WIDTH, scaling.getWidth(), "producers and pool workers side by side");
        assertEquals(Charts.HEIGHT, scaling.getHeight());
        assertDrawn(scaling, Charts.SCALING);

        final BufferedImage ratio = readPng(directory.resolve(Charts.RATIO_TO_CPYTHON));
        // as wide as the others or wider (long labels); four bars make a short image
        assertTrue(ratio.getWidth() >= Charts.WIDTH && ratio.getHeight() >= 4 * 22 && ratio.getHeight() <= Charts.HEIGHT,
            "ratio chart of four bars: " + ratio.getWidth() + "x" + ratio.getHeight());
        assertDrawn(ratio, Charts.RATIO_TO_CPYTHON);
    }

    @Test
    void shouldDrawOnlyTheChartsWhoseWorkloadsRan() throws IOException {
        final List<Path> written = Charts.render(directory,
            List.of(counted("pool-workers", "worker", "M tasks/s", 2)), List.of(cpython()));

        assertEquals(List.of(directory.resolve(Charts.SCALING)), written);
        final BufferedImage scaling = readPng(written.get(0));
        assertEquals(Charts.WIDTH, scaling.getWidth(), "one panel only: no producers workload ran");
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(directory.resolve(Charts.SCALING)), files.toList());
        }
    }

    @Test
    void shouldWriteNothingForAnUnrelatedWorkload() throws IOException {
        final WorkloadResult unrelated = result("pingpong-spin",
            Map.of(Figure.of("rtt p50", "ns", Better.LOWER, ""), 312.0));

        assertEquals(List.of(), Charts.render(directory, List.of(unrelated), List.of(cpython())));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void shouldLeaveOutFailedWorkloadsAndAnAbsentPeer() throws IOException {
        final WorkloadResult failed = WorkloadResult.failed(new ReportOnlyWorkload("size-sweep-pipe", null,
                List.of(Figure.of("8 B throughput", "MB/s", Better.HIGHER, ""))), 3, 100, "side A exited with 1",
            "unpinned", Duration.ofSeconds(1));
        final PeerRun absent = PeerRun.unavailable(PeerRef.CPYTHON, "CPython", "python3 baseline.py 1",
            "python3 not found on PATH", "", Duration.ZERO);

        assertEquals(List.of(), Charts.render(directory, List.of(failed, peered()), List.of(absent)));
    }

    @Test
    void shouldDrawSinglePointsAndRunsThatAllAgree() throws IOException {
        // one size, one rate and statistic, one producer count; every run the same value
        final Map<String, double[]> same = Map.of(
            "4 KiB throughput", new double[] {700, 700, 700},
            "10 K/s p99", new double[] {3, 3, 3},
            "1 producer", new double[] {5, 5, 5});
        final List<WorkloadResult> results = new ArrayList<>();
        for (final String name : List.of("size-sweep-pipe", "latency-under-load-pipe", "producers-pipe")) {
            final List<Figure> figures = List.of(
                Figure.of("4 KiB throughput", "MB/s", Better.HIGHER, ""),
                Figure.of("10 K/s p99", "us", Better.LOWER, ""),
                Figure.of("1 producer", "M msg/s", Better.HIGHER, ""));
            results.add(new WorkloadResult(new ReportOnlyWorkload(name, null, figures), 3, 100, same, List.of(), null, "unpinned",
                Duration.ofSeconds(1)));
        }

        final List<Path> written = Charts.render(directory, results, List.of());

        assertEquals(3, written.size(), written.toString());
        for (final Path file : written) {
            assertDrawn(readPng(file), file.getFileName().toString());
        }
    }

    @Test
    void shouldDrawCpythonsPipePointsBesideTheSizeSweepWhenItRan() {
        final List<WorkloadResult> results = List.of(sizeSweep("pipe", 9000));

        final BufferedImage without = Charts.throughputVsMessageSize(results, Optional.empty()).orElseThrow();
        final BufferedImage with = Charts.throughputVsMessageSize(results, Optional.of(cpython())).orElseThrow();

        final int[] a = without.getRGB(0, 0, without.getWidth(), without.getHeight(), null, 0, without.getWidth());
        final int[] b = with.getRGB(0, 0, with.getWidth(), with.getHeight(), null, 0, with.getWidth());
        assertFalse(Arrays.equals(a, b), "the CPython series changes nothing in the chart");
    }

    @Test
    void shouldStateRatiosAsTheReportDoes() {
        final PeerRun cpython = cpython();

        // higher is better: ours / peer, the peer's 800000 msgs/s being 0.8 M msg/s
        assertEquals(20.0, Ratios.ratio(PEERED_RATE, stats(16.0), cpython).orElseThrow(), 1e-9);
        // lower is better: peer / ours
        assertEquals(40.0, Ratios.ratio(PEERED_TIME, stats(2.0), cpython).orElseThrow(), 1e-9);
        // the peer's median of its three values (260 us) converted to the figure's ns
        assertEquals(520.0, Ratios.ratio(PEERED_NANOS, stats(500.0), cpython).orElseThrow(), 1e-9);
        assertEquals(260_000.0, Ratios.peerValue(PEERED_NANOS, cpython).orElseThrow(), 1e-6);
        // below 1: the peer is better
        assertEquals(0.5, Ratios.ratio(PEERED_SLOWER, stats(100.0), cpython).orElseThrow(), 1e-9);
    }

    @Test
    void shouldGiveNoRatioWhereThereIsNothingToCompare() {
        final PeerRun cpython = cpython();
        final Figure neither = new Figure("count", "us", Better.NEITHER, "",
            List.of(PeerRef.cpython("pipe_pingpong_rtt_median", "median")));
        final Figure absentKey = Figure.of("rtt", "us", Better.LOWER, "", PeerRef.cpython("no_such_key", "none"));
        final Figure otherUnit = Figure.of("rtt", "MB/s", Better.HIGHER, "",
            PeerRef.cpython("pipe_pingpong_rtt_median", "median"));
        final PeerRun absent = PeerRun.unavailable(PeerRef.CPYTHON, "CPython", "python3", "not run", "", Duration.ZERO);

        assertEquals(OptionalDouble.empty(), Ratios.ratio(neither, stats(1.0), cpython));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(absentKey, stats(1.0), cpython));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(otherUnit, stats(1.0), cpython));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(PEERED_TIME, stats(1.0), absent));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(PEERED_TIME, null, cpython));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(PEERED_TIME, stats(0.0), cpython));
        assertEquals(OptionalDouble.empty(), Ratios.ratio(Figure.info("x", "us"), stats(1.0), cpython));
    }

    @Test
    void shouldReadTheWorkloadsSizeAndRateLabels() {
        assertEquals(8.0, Charts.bytes("8 B").orElseThrow());
        assertEquals(4096.0, Charts.bytes("4 KiB").orElseThrow());
        assertEquals(1048576.0, Charts.bytes("1 MiB").orElseThrow());
        assertEquals(1536.0, Charts.bytes("1.5 KiB").orElseThrow());
        assertEquals(OptionalDouble.empty(), Charts.bytes("8 bytes"));
        assertEquals(1e4, Charts.perSecond("10 K/s").orElseThrow());
        assertEquals(1e6, Charts.perSecond("1 M/s").orElseThrow());
        assertEquals(500.0, Charts.perSecond("500/s").orElseThrow());
        assertEquals(OptionalDouble.empty(), Charts.perSecond("fast"));
    }

    private static RunStats stats(final double median) {
        return RunStats.of(new double[] {median});
    }

    /** Writes fuller charts where a person can look at them: {@code -Dcharts.sample=/some/dir}. */
    @Test
    @EnabledIfSystemProperty(named = "charts.sample", matches = ".+")
    void shouldWriteSampleChartsForAPersonToLookAt() throws IOException {
        final List<WorkloadResult> results = new ArrayList<>(everything());
        results.add(sizeSweep("agrona", 12000));
        results.add(sizeSweep("chronicle", 1500));
        results.add(sizeSweep("queue", 5000));
        results.add(latencyUnderLoad("uds"));
        results.add(counted("producers-pipe", "producer", "M msg/s", 14));
        final Map<Figure, Double> many = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            many.put(Figure.of("start + first task + shutdown + join, figure " + i, "us", Better.LOWER, "",
                PeerRef.cpython("pipe_pingpong_rtt_median", "median")), 80.0 / Math.pow(1.35, i - 4));
        }
        results.add(result("pool-startup", many));
        assertEquals(4, Charts.render(Path.of(System.getProperty("charts.sample")), results, List.of(cpython())).size());
    }
}
