package dev.mproc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.ipc.Pipe;
import dev.mproc.sync.Lock;

/**
 * Runs the benchmark suite and writes its report: the C limits first, then every workload in its
 * own child JVMs, then the CPython baseline, all in one session so that each figure can be quoted
 * as a ratio to its peers.
 * <p>
 * From the repository root: {@code mvn -pl benchmarks -am package -DskipTests -Pbench} (full suite,
 * {@code benchmarks/results/latest.md}); add {@code -Dbench.only=pingpong-spin} for one workload or
 * {@code -Dbench.smoke=true} for the smoke mode. Settings: {@link SuiteOptions}. Exit status 0 when
 * every workload produced its figures, 1 when one failed, 2 on bad arguments; a missing or failing
 * peer never fails the suite, its column says "not available: ...".
 */
public final class Suite {
    private final SuiteOptions options;

    /**
     * @param options the settings
     */
    public Suite(final SuiteOptions options) {
        this.options = options;
    }

    /**
     * @param args {@code [--smoke] [--only=a,b] [--report=path]}
     */
    public static void main(final String[] args) {
        final SuiteOptions options;
        try {
            options = SuiteOptions.from(args, System.getProperties());
            Workloads.select(options.only());
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SuiteOptions.usage());
            System.exit(2);
            return;
        }
        final int status = new Suite(options).run();
        System.exit(status);
    }

    /**
     * Runs everything and writes the report.
     *
     * @return 0 if every workload produced its figures, 1 otherwise
     */
    public int run() {
        final ZonedDateTime started = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        final long start = System.nanoTime();
        final List<Workload> workloads = Workloads.select(options.onlyInOrder());
        final Placement placement = Placement.detect(options.pin());
        try (ClassPathSnapshot classPath = ClassPathSnapshot.of(System.getProperty("java.class.path"))) {
            preloadLibraries();
            return run(started, start, workloads, placement, new WorkloadRunner(options, placement, classPath.classPath(),
                classPath.startupCacheOption()));
        }
    }

    /**
     * Opens the core, sync and ipc jars now. A JVM opens a class-path jar when it first needs a class
     * from it and then keeps it open; another build may replace that jar minutes from now (a new
     * file, as Maven's install does), which an open jar survives and a not-yet-opened one does not
     * (see {@link ClassPathSnapshot}).
     */
    private static void preloadLibraries() {
        Objects.requireNonNull(MappedRegion.DEFAULT_READY_TIMEOUT, "core's MappedRegion");
        Objects.requireNonNull(Lock.KIND, "sync's Lock");
        Objects.requireNonNull(Pipe.KIND, "ipc's Pipe");
    }

    private int run(
        final ZonedDateTime started,
        final long start,
        final List<Workload> workloads,
        final Placement placement,
        final WorkloadRunner runner) {
        say("mproc benchmark suite: " + options.describe());
        say("java " + MachineInfo.jdk());
        say("report: " + options.report());
        final String loadBefore = MachineInfo.loadAverage();
        final long otherJvmsBefore = MachineInfo.otherJvms();
        final long[] idleSampleStart = MachineInfo.cpuJiffies();
        sleepQuietly(Duration.ofSeconds(1));
        final long[] jiffiesStart = MachineInfo.cpuJiffies();
        final String busyBefore = MachineInfo.busyPercent(idleSampleStart, jiffiesStart);
        final double nanoTimeCost = MachineInfo.nanoTimeCost();

        final PlacementProbe probe = options.limits().equals(SuiteOptions.SKIP) ? null
            : PlacementProbe.compile(Path.of(options.limits()).toAbsolutePath().normalize());
        if (probe != null) {
            say("vCPU placement probe (C spin round trip p50) before the C limits: " + probe.measure("C limits"));
        }
        final PeerRun limits = runLimits();
        final List<WorkloadResult> results = new ArrayList<>();
        for (final Workload workload : workloads) {
            say("workload " + workload.name() + ": " + runner.iterationsOf(workload) + " " + workload.iterationUnit()
                + " per run, " + options.warmups() + " warm-up + " + options.runs() + " measured runs ..."
                + (probe == null ? "" : " (placement probe: " + probe.measure(workload.name()) + ")"));
            final WorkloadResult result = runner.run(workload);
            results.add(result);
            summarise(result);
        }
        if (probe != null) {
            probe.close();
        }
        final PeerRun python = runPython();
        final List<PeerRun> peers = new ArrayList<>(List.of(limits, python));
        for (final JavaPeers.Peer peer : JavaPeers.ALL) {
            peers.add(JavaPeers.runOf(peer, results));
        }

        final long[] jiffiesEnd = MachineInfo.cpuJiffies();
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (took " + took.toSeconds() + " s)");
        facts.put("Mode", options.describe());
        facts.put("Command", options.smoke()
            ? "`mvn -pl benchmarks -am package -DskipTests -Pbench -Dbench.smoke=true` (or the SuiteSmokeTest)"
            : options.only().isEmpty()
                ? "`mvn -pl benchmarks -am package -DskipTests -Pbench` (from the repository root)"
                : "`mvn -pl benchmarks -am package -DskipTests -Pbench -Dbench.only=" + String.join(",", options.onlyInOrder()) + "`");
        facts.put("Machine", MachineInfo.cpus() + " CPUs (nproc), " + MachineInfo.cpuModel() + ", "
            + MachineInfo.kernel() + ", clocksource " + MachineInfo.clockSource());
        facts.put("JDK", MachineInfo.jdk());
        facts.put("Side JVM options", "`" + String.join(" ", runner.jvmOptions()) + "`");
        facts.put("CPU placement", placement.describe());
        facts.put("System.nanoTime() cost", String.format(Locale.ROOT, "%.1f ns per call (two calls per timed round trip)",
            nanoTimeCost));
        if (probe != null) {
            facts.put("vCPU placement", probe.describe());
        }
        facts.put("Load", "load average " + loadBefore + " at the start, " + MachineInfo.loadAverage()
            + " at the end; CPUs " + busyBefore + " busy in the second before the suite, "
            + MachineInfo.busyPercent(jiffiesStart, jiffiesEnd) + " busy during it (the suite's own sides spin "
            + "on up to 2 CPUs); other JVMs running at the start: " + otherJvmsBefore
            + " (this machine is shared with other builds: absolute figures drift, same-run ratios hold better)");
        final String method = "Each workload gets its own child JVMs, one per side, started by the harness with the "
            + "same java binary and class path; the sides share a region file in a private namespace under "
            + "/dev/shm and meet at a start barrier. Inside those JVMs each side runs " + options.warmups()
            + " warm-up runs (JIT warm-up; nothing recorded) and then " + options.runs()
            + " measured runs back to back: a run is a round of iterations in the same JVMs, not fresh ones. "
            + "Latencies are timed with System.nanoTime() around each round trip and recorded in an "
            + "HdrHistogram (3 significant digits) per run; the workloads' own loops allocate nothing (the "
            + "object and queue workloads box and decode a value per message, as their callers would; what the "
            + "library allocates shows in the figures). Throughputs are "
            + "timed from the first side's start to the last side's end of each run, all sides having met at a "
            + "barrier first. The C limits ran before the workloads and the CPython baseline after them, in this "
            + "same session. The Java peers (a Unix-domain SocketChannel, Agrona's ring buffers over a mapped file, "
            + "Chronicle Queue) are workloads of this harness like ours, the same workload code over another "
            + "transport, each in its own pair of JVMs with the flags its library needs; their columns quote "
            + "their medians.";
        final Report report = new Report("mproc benchmark results" + (options.smoke() ? " (smoke mode)" : ""),
            facts, method, results, peers);
        try {
            Files.createDirectories(options.report().getParent());
            Files.writeString(options.report(), report.render(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            System.err.println("cannot write the report " + options.report() + ": " + e);
            return 1;
        }
        say("wrote " + options.report() + " in " + took.toSeconds() + " s");
        try {
            // Charts of an earlier run that this one has no data for must not pass for this run's.
            for (final String stale : List.of(Charts.THROUGHPUT_VS_MESSAGE_SIZE, Charts.LATENCY_UNDER_LOAD,
                Charts.SCALING, Charts.RATIO_TO_CPYTHON)) {
                Files.deleteIfExists(options.report().resolveSibling(stale));
            }
            for (final Path chart : Charts.render(options.report().getParent(), results, peers)) {
                say("wrote " + chart);
            }
        } catch (final Exception e) {
            // A chart is a view of the report, which is written: say so, do not fail the run.
            System.err.println("cannot draw the charts beside " + options.report() + ": " + e);
        }
        return results.stream().anyMatch(WorkloadResult::failed) ? 1 : 0;
    }

    private PeerRun runLimits() {
        final String title = "C limits";
        if (options.limits().equals(SuiteOptions.SKIP)) {
            return ExternalPeer.skipped(PeerRef.C_LIMITS, title, options.smoke()
                ? "skipped in smoke mode (takes about 30 s; -Dbench.limits=<path to run.sh> runs it)"
                : "skipped (-Dbench.limits=skip)");
        }
        final Path script = Path.of(options.limits()).toAbsolutePath().normalize();
        final ExternalPeer peer = new ExternalPeer(PeerRef.C_LIMITS, title, script,
            List.of("bash", script.toString(), options.limitsMode()), List.of("bash", "gcc"),
            Duration.ofMinutes(options.limitsMode().equals("full") ? 10 : 5), LimitsOutput::parse);
        say("C limits: " + peer.commandLine() + " ...");
        final PeerRun run = peer.run();
        say("C limits: " + (run.available() ? run.figures().size() + " figures" : Report.NOT_AVAILABLE + run.reason())
            + " (" + run.took().toSeconds() + " s)");
        return run;
    }

    private PeerRun runPython() {
        final String title = "CPython";
        if (options.python().equals(SuiteOptions.SKIP)) {
            return ExternalPeer.skipped(PeerRef.CPYTHON, title, "skipped (-Dbench.python=skip)");
        }
        final Path script = Path.of(options.python()).toAbsolutePath().normalize();
        final ExternalPeer peer = new ExternalPeer(PeerRef.CPYTHON, title, script,
            List.of(options.pythonExe(), script.toString(), Numbers.format(options.pythonScale())),
            List.of(options.pythonExe()), Duration.ofMinutes(options.smoke() ? 3 : 15), PythonOutput::parse);
        say("CPython: " + peer.commandLine() + " ...");
        final PeerRun run = peer.run();
        say("CPython: " + (run.available() ? run.figures().size() + " figures" : Report.NOT_AVAILABLE + run.reason())
            + " (" + run.took().toSeconds() + " s)");
        return run;
    }

    private static void summarise(final WorkloadResult result) {
        if (result.failed()) {
            say("  FAILED: " + result.failure());
            return;
        }
        for (final Figure figure : result.workload().figures()) {
            final RunStats stats = result.stats(figure.name());
            say(String.format(Locale.ROOT, "  %-40s %12s %s  [%s - %s]", figure.name(),
                stats == null ? "no value" : Numbers.format(stats.median()), figure.unit(),
                stats == null ? "" : Numbers.format(stats.min()), stats == null ? "" : Numbers.format(stats.max())));
        }
        say("  (" + result.took().toMillis() + " ms)");
    }

    private static void say(final String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleepQuietly(final Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
