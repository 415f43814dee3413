package dev.mproc.benchmarks.workloads;

import java.util.List;
import java.util.Locale;

import dev.mproc.Mproc;
import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.RunStats;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.process.Process;

/**
 * {@code mp.process(target); start(); join()} of a target that does nothing, each a fresh JVM:
 * what Python's {@code Process(target=noop).start(); join()} costs with the spawn start method,
 * which also starts a fresh interpreter.
 * <p>
 * Each iteration is timed on its own from before {@code mp.process(...)} (CPython's timing includes
 * making the {@code Process} object too) to after {@code join()} returns; a run records the median
 * and the smallest of its iterations, as CPython reports median and min over its repetitions. Each
 * child must exit with code 0, or the run fails. The side's own warm-up runs take the parent's
 * first-use costs (loading the process module, the first serialisation), which a note reports.
 * <p>
 * Spare JVMs are turned off ({@link ColdChildren}): each child is a cold JVM start, what the
 * target is stated for. The side widens its CPU mask to every CPU first ({@link AllCpus}): the
 * harness pins it to CPU 0, and children would inherit that. The children inherit the side's JVM
 * options (heap size, collector, CDS), as any mproc child inherits its parent's.
 * <p>
 * Each run times the cold starts twice: without the start-up cache (the first start on a machine,
 * or a class path with directories), then with it ({@link StartupCache}: JDK 25's AOT cache for
 * child JVMs, which the process module builds in the background the first time; built here before
 * the first run, untimed). Python's spawn likewise starts from its cached bytecode.
 * <p>
 * Then the same from a warm spare: before each (untimed) the side asks for one spare JVM and waits
 * until it is warm ({@link Process#prestart}); the timed start takes it. That is what Python's
 * forkserver does (a process kept ready), so that is its peer.
 */
public final class ProcessStart implements Workload {
    static final String MEDIAN = "start + join median";
    static final String MIN = "start + join min";
    static final String CACHED_MEDIAN = "start + join with the start-up cache, median";
    static final String CACHED_MIN = "start + join with the start-up cache, min";
    static final String WARM_MEDIAN = "start + join from a warm spare, median";

    private static final long SPARE_READY_SECONDS = 30;

    private static final double NANOS_PER_MS = 1e6;

    @Override
    public String name() {
        return "process-start";
    }

    @Override
    public String title() {
        return "Process start + join of a trivial target (each a fresh JVM): mp.process(() -> {}); start(); join(), "
            + "each timed alone, median and min per run; exit code must be 0; spare JVMs off, so every start is cold; "
            + "first without the start-up cache (JDK 25 AOT cache for child JVMs), then with it. "
            + "The side unpins itself so the "
            + "children may run on any of the machine's CPUs, as CPython's were; children inherit the side's JVM "
            + "options. Peer: CPython Process(target=noop) start+join with spawn (a fresh interpreter, the "
            + "like-for-like start method); CPython's fork and forkserver figures are in the CPython appendix. "
            + "Then each start from a warm spare JVM (Process.prestart(1) untimed before each), beside CPython's "
            + "forkserver, which keeps a process ready likewise.";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 2 : 10;
    }

    @Override
    public String iterationUnit() {
        return "process starts + joins";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(MEDIAN, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_PROCESS_SPAWN_MEDIAN, "Process start+join, spawn, median")),
            Figure.of(MIN, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_PROCESS_SPAWN_MIN, "Process start+join, spawn, min")),
            Figure.of(CACHED_MEDIAN, "ms", Better.LOWER, "<= 60 ms (cold, spawn parity)",
                PeerRef.cpython(PeerKeys.PY_PROCESS_SPAWN_MEDIAN, "Process start+join, spawn, median")),
            Figure.of(CACHED_MIN, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_PROCESS_SPAWN_MIN, "Process start+join, spawn, min")),
            Figure.of(WARM_MEDIAN, "ms", Better.LOWER, "<= 5 ms (from a warm spare JVM)",
                PeerRef.cpython(PeerKeys.PY_PROCESS_FORKSERVER_MEDIAN, "Process start+join, forkserver, median")));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        context.note(ColdChildren.require());
        context.note(AllCpus.widen());
        final int n = Math.toIntExact(context.iterations());
        final double[] millis = new double[n];
        try (Mproc mp = Mproc.attach(context.namespace().directory())) {
            for (int run = -context.warmups(); run < context.runs(); run++) {
                StartupCache.off();
                for (int i = 0; i < n; i++) {
                    millis[i] = startAndJoin(mp) / NANOS_PER_MS;
                    if (run == -context.warmups() && i == 0) {
                        context.note(String.format(Locale.ROOT,
                            "first start + join in this JVM (parent cold, not recorded): %.1f ms", millis[i]));
                    }
                }
                final RunStats cold = RunStats.of(millis);
                final String cache = StartupCache.on();
                if (run == -context.warmups()) {
                    context.note(cache);
                }
                for (int i = 0; i < n; i++) {
                    millis[i] = startAndJoin(mp) / NANOS_PER_MS;
                }
                final RunStats cached = RunStats.of(millis);
                for (int i = 0; i < n; i++) {
                    if (Process.prestart(1, SPARE_READY_SECONDS, java.util.concurrent.TimeUnit.SECONDS) < 1) {
                        throw new IllegalStateException("no spare JVM was warm within " + SPARE_READY_SECONDS + " s");
                    }
                    millis[i] = startAndJoin(mp) / NANOS_PER_MS;
                }
                if (run >= 0) {
                    context.record(run, MEDIAN, cold.median());
                    context.record(run, MIN, cold.min());
                    context.record(run, CACHED_MEDIAN, cached.median());
                    context.record(run, CACHED_MIN, cached.min());
                    context.record(run, WARM_MEDIAN, RunStats.of(millis).median());
                }
            }
        }
    }

    /** @return nanoseconds from making the process to its join returning */
    private static long startAndJoin(final Mproc mp) throws InterruptedException {
        final long start = System.nanoTime();
        final Process process = mp.process(TrivialTasks.NOTHING);
        process.start();
        process.join();
        final long nanos = System.nanoTime() - start;
        final Integer exitCode = process.exitCode();
        if (exitCode == null || exitCode != 0) {
            throw new IllegalStateException("a trivial child did not exit cleanly: " + process + " exitCode="
                + exitCode + " failure=" + process.failure());
        }
        process.close();
        return nanos;
    }
}
