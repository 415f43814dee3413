package dev.mproc.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

/**
 * Runs one workload in the parent: a private namespace with the control and data regions, one
 * child JVM per side (same java binary and class path, pinned per {@link Placement}), a bounded
 * wait for all of them, and the figures they printed.
 * <p>
 * Each side's stdout and stderr go to files rather than pipes, so that a side never blocks on a
 * full pipe and the parent needs no reader threads waking up while the sides measure. The sides'
 * stdin stays a pipe from here: closing it ends them (see {@link SideMain}).
 */
final class WorkloadRunner {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final SuiteOptions options;
    private final Placement placement;
    private final String classPath;
    private final String startupCacheOption;

    /**
     * @param options            the suite's settings
     * @param placement          where the sides run
     * @param classPath          the sides' class path (see {@link ClassPathSnapshot})
     * @param startupCacheOption the option that says where the sides' children keep their start-up caches
     */
    WorkloadRunner(final SuiteOptions options, final Placement placement, final String classPath,
                   final String startupCacheOption) {
        this.options = options;
        this.placement = placement;
        this.classPath = classPath;
        this.startupCacheOption = startupCacheOption;
    }

    /**
     * @param workload the workload
     * @return its iterations per run in this suite (smoke or full, times the scale factor)
     */
    long iterationsOf(final Workload workload) {
        return Math.max(1, Math.round(workload.iterations(options.smoke()) * options.scale()));
    }

    /**
     * @return the JVM options every side gets, after the java binary
     */
    List<String> jvmOptions() {
        final List<String> jvm = new ArrayList<>();
        jvm.add("--enable-native-access=ALL-UNNAMED");
        jvm.add("-Xshare:auto");
        // No allocation happens in measured loops; a small serial heap keeps the sides' JVMs lean
        // and is what a JVM pinned to one CPU picks anyway.
        jvm.add("-XX:+UseSerialGC");
        jvm.add("-Xmx256m");
        jvm.add("-XX:-UsePerfData");
        jvm.add(startupCacheOption);
        // Off unless a workload turns it on (those that time start-ups, see StartupCache): a cache
        // built in the background would share the CPUs with whatever is being measured.
        jvm.add("-Dmproc.process.aotCache=false");
        final String root = System.getProperty("mproc.dir");
        if (root != null && !root.isBlank()) {
            jvm.add("-Dmproc.dir=" + root);
        }
        jvm.addAll(options.jvmArgs());
        return jvm;
    }

    WorkloadResult run(final Workload workload) {
        final long start = System.nanoTime();
        final long iterations = iterationsOf(workload);
        final String where = placement.describe(workload);
        Path work = null;
        try (Namespace namespace = Namespace.createPrivate()) {
            work = Files.createTempDirectory("mproc-bench-");
            final List<Process> sides = new ArrayList<>();
            try (MappedRegion control = namespace.createRegion(SideMain.CONTROL_REGION, SideMain.KIND,
                     SideMain.LAYOUT_VERSION, SideMain.CONTROL_BYTES, r -> { });
                 MappedRegion data = namespace.createRegion(SideMain.DATA_REGION, SideMain.KIND,
                     SideMain.LAYOUT_VERSION, workload.regionBytes(), r -> { })) {
                for (int side = 0; side < workload.sides(); side++) {
                    sides.add(launch(workload, side, namespace.directory(), iterations, work));
                }
                final String failure = awaitAll(sides, options.workloadTimeout(), work);
                if (failure != null) {
                    return WorkloadResult.failed(workload, options.runs(), iterations, failure, where, since(start));
                }
                return collect(workload, iterations, work, where, since(start));
            } finally {
                for (final Process side : sides) {
                    stop(side);
                }
            }
        } catch (final IOException | UncheckedIOException e) {
            return WorkloadResult.failed(workload, options.runs(), iterations, "harness error: " + e, where,
                since(start));
        } catch (final RuntimeException e) {
            return WorkloadResult.failed(workload, options.runs(), iterations, "harness error: " + e, where,
                since(start));
        } finally {
            deleteRecursively(work);
        }
    }

    private Process launch(
        final Workload workload, final int side, final Path namespace, final long iterations, final Path work)
        throws IOException {
        final List<String> command = new ArrayList<>(placement.commandPrefix(workload, side));
        command.add(javaBinary());
        command.addAll(jvmOptions());
        command.addAll(workload.jvmOptions());
        command.add("-cp");
        command.add(classPath);
        command.add(SideMain.class.getName());
        command.add("workload=" + workload.name());
        command.add("side=" + side);
        command.add("sides=" + workload.sides());
        command.add("namespace=" + namespace);
        command.add("warmups=" + options.warmups());
        command.add("runs=" + options.runs());
        command.add("iterations=" + iterations);
        command.add("smoke=" + options.smoke());
        return new ProcessBuilder(command)
            .redirectOutput(work.resolve("side-" + side + ".out").toFile())
            .redirectError(work.resolve("side-" + side + ".err").toFile())
            .start();
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this JVM"));
    }

    /**
     * Waits for every side to exit, returning early when one fails.
     *
     * @return null when all exited 0, otherwise what went wrong, with the failing side's stderr
     */
    private static String awaitAll(final List<Process> sides, final Duration timeout, final Path work) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<CompletableFuture<Process>> exits = sides.stream().map(Process::onExit).toList();
        while (true) {
            final List<CompletableFuture<Process>> running = exits.stream().filter(f -> !f.isDone()).toList();
            for (int side = 0; side < sides.size(); side++) {
                final Process p = sides.get(side);
                if (exits.get(side).isDone() && p.exitValue() != 0) {
                    return "side " + (char) ('A' + side) + " exited with status " + p.exitValue()
                        + stderrTail(work, side);
                }
            }
            if (running.isEmpty()) {
                return null;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                final StringBuilder sb = new StringBuilder("timed out after " + timeout.toSeconds() + " s");
                for (int side = 0; side < sides.size(); side++) {
                    sb.append(sides.get(side).isAlive() ? "; side " + (char) ('A' + side) + " still running" : "");
                }
                return sb.toString();
            }
            try {
                CompletableFuture.anyOf(running.toArray(new CompletableFuture<?>[0]))
                    .get(remaining, TimeUnit.NANOSECONDS);
            } catch (final TimeoutException | ExecutionException e) {
                // Loop: re-check states and the deadline.
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    private WorkloadResult collect(
        final Workload workload, final long iterations, final Path work, final String where, final Duration took)
        throws IOException {
        final Map<String, double[]> values = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> known = workload.figures().stream().map(Figure::name).collect(Collectors.toSet());
        for (int side = 0; side < workload.sides(); side++) {
            for (final String line : Files.readAllLines(work.resolve("side-" + side + ".out"), StandardCharsets.UTF_8)) {
                if (line.startsWith(SideContext.FIGURE_LINE + " ")) {
                    final String[] parts = line.split(" ", 4);
                    final int run = Integer.parseInt(parts[1]);
                    final double value = Double.parseDouble(parts[2]);
                    final String name = parts[3];
                    if (!known.contains(name)) {
                        notes.add("side " + (char) ('A' + side) + " recorded a figure the workload does not list: " + name);
                        continue;
                    }
                    values.computeIfAbsent(name, k -> {
                        final double[] perRun = new double[options.runs()];
                        Arrays.fill(perRun, Double.NaN);
                        return perRun;
                    })[run] = value;
                } else if (line.startsWith(SideContext.NOTE_LINE + " ")) {
                    notes.add(line.substring(SideContext.NOTE_LINE.length() + 1));
                }
            }
        }
        return new WorkloadResult(workload, options.runs(), iterations, values, notes, null, where, took);
    }

    /** Ends a side: closing stdin makes it halt; SIGKILL if it is still there after a grace period. */
    private static void stop(final Process side) {
        try {
            side.getOutputStream().close();
        } catch (final IOException ignored) {
            // Already closed: the side is gone or going.
        }
        try {
            if (!side.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                side.destroyForcibly();
                side.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            side.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String stderrTail(final Path work, final int side) {
        try {
            final List<String> lines = Files.readAllLines(work.resolve("side-" + side + ".err"), StandardCharsets.UTF_8);
            final List<String> tail = lines.subList(Math.max(0, lines.size() - 12), lines.size());
            return tail.isEmpty() ? "" : ": " + String.join(" / ", tail.stream().map(String::strip).toList());
        } catch (final IOException e) {
            return "";
        }
    }

    private static Duration since(final long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void deleteRecursively(final Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException ignored) {
                    // A leftover temp file is harmless.
                }
            });
        } catch (final IOException ignored) {
            // Same.
        }
    }
}
