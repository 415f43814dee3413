package dev.mproc.benchmarks.workloads;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.RunStats;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;

/**
 * A {@code Pool(2)} made and shut down again, Python's {@code Pool(2); close(); join()}: two worker
 * JVMs started and stopped. {@code mp.pool(2)} returns before the workers are up and
 * {@code join()} returns once both have exited, so the time spans two JVMs' whole lives. A second
 * form waits for a first task's result ({@code pool.apply(() -> 1)}) before shutting down, as
 * CPython's {@code Pool(2); apply(noop); close(); join()}.
 * <p>
 * Each iteration makes one pool of each form, timed alone from before {@code mp.pool(2)} to after
 * {@code join()}; a run records the median of each form. After every {@code join()} the side checks
 * that the pool says it has terminated and that no child JVM of this side is still alive: a pool
 * whose workers outlive its {@code join()} fails the run. A pool that has not terminated a minute
 * after {@code shutdown()} fails it too, rather than hanging until the harness's timeout.
 * <p>
 * Each run times both forms twice: without the start-up cache, then with it ({@link StartupCache},
 * built before the first run, untimed).
 * <p>
 * Spare JVMs are turned off ({@link ColdChildren}): every worker is a cold JVM start, what the
 * target is stated for, and no spare boots beside the next pool. The side unpins itself first
 * ({@link AllCpus}), so the two workers and their parent share the machine's CPUs as CPython's did.
 */
public final class PoolStartup implements Workload {
    static final String START_SHUTDOWN = "start + shutdown + join median";
    static final String FIRST_TASK = "start + first task + shutdown + join median";
    static final String CACHED_START_SHUTDOWN = "start + shutdown + join with the start-up cache, median";
    static final String CACHED_FIRST_TASK = "start + first task + shutdown + join with the start-up cache, median";

    private static final int WORKERS = 2;
    private static final long TERMINATION_TIMEOUT_SECONDS = 60;
    private static final double NANOS_PER_MS = 1e6;

    @Override
    public String name() {
        return "pool-startup";
    }

    @Override
    public String title() {
        return "Pool(2) start + shutdown: mp.pool(2); shutdown(); join() (two worker JVMs started and exited), and "
            + "the same waiting for a first task's result (pool.apply(() -> 1)) before shutdown; each pool timed "
            + "alone, median per run; no child may outlive join(); spare JVMs off, so every worker is a cold JVM "
            + "start; first without the start-up cache (JDK 25 AOT cache for child JVMs), then with it. The side unpins itself so the workers share the "
            + "machine's CPUs with their parent; workers inherit the side's JVM options. Peers: CPython Pool(2); "
            + "close(); join() and Pool(2); apply(noop); close(); join() with spawn (fresh interpreters); fork and "
            + "forkserver figures are in the CPython appendix.";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 1 : 4;
    }

    @Override
    public String iterationUnit() {
        return "pools of each form";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(START_SHUTDOWN, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_POOL_STARTUP_SPAWN, "Pool(2) start+close+join, spawn")),
            Figure.of(FIRST_TASK, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_POOL_FIRST_TASK_SPAWN, "Pool(2) start+apply+close+join, spawn")),
            Figure.of(CACHED_START_SHUTDOWN, "ms", Better.LOWER, "<= 100 ms (cold)",
                PeerRef.cpython(PeerKeys.PY_POOL_STARTUP_SPAWN, "Pool(2) start+close+join, spawn")),
            Figure.of(CACHED_FIRST_TASK, "ms", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_POOL_FIRST_TASK_SPAWN, "Pool(2) start+apply+close+join, spawn")));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        context.note(ColdChildren.require());
        context.note(AllCpus.widen());
        final int n = Math.toIntExact(context.iterations());
        try (Mproc mp = Mproc.attach(context.namespace().directory())) {
            for (int run = -context.warmups(); run < context.runs(); run++) {
                StartupCache.off();
                timeBothForms(context, mp, run, n, START_SHUTDOWN, FIRST_TASK);
                final String cache = StartupCache.onForPoolWorkers();
                if (run == -context.warmups()) {
                    context.note(cache);
                }
                timeBothForms(context, mp, run, n, CACHED_START_SHUTDOWN, CACHED_FIRST_TASK);
            }
        }
    }

    /** Times {@code n} pools of each form and records their medians (in measured runs) as the two figures. */
    private static void timeBothForms(final SideContext context, final Mproc mp, final int run, final int n,
                                      final String bareFigure, final String firstTaskFigure)
        throws InterruptedException {
        final double[] bare = new double[n];
        final double[] firstTask = new double[n];
        for (int i = 0; i < n; i++) {
            bare[i] = startAndShutdown(mp, false) / NANOS_PER_MS;
            firstTask[i] = startAndShutdown(mp, true) / NANOS_PER_MS;
        }
        if (run >= 0) {
            context.record(run, bareFigure, RunStats.of(bare).median());
            context.record(run, firstTaskFigure, RunStats.of(firstTask).median());
        }
    }

    /** @return nanoseconds from making the pool to its join returning */
    private static long startAndShutdown(final Mproc mp, final boolean waitForFirstTask) throws InterruptedException {
        final long start = System.nanoTime();
        final Pool pool = mp.pool(WORKERS);
        if (waitForFirstTask) {
            final Integer one = pool.apply(TrivialTasks.ONE);
            if (one == null || one != 1) {
                throw new IllegalStateException("the first task of " + pool + " returned " + one + ", not 1");
            }
        }
        pool.shutdown();
        if (!pool.awaitTermination(TERMINATION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(pool + " did not terminate within " + TERMINATION_TIMEOUT_SECONDS
                + " s of shutdown(); live children: " + Process.activeChildren());
        }
        pool.join();
        final long nanos = System.nanoTime() - start;
        final List<Process> alive = Process.activeChildren();
        if (!pool.isTerminated() || !alive.isEmpty()) {
            throw new IllegalStateException("after join() " + pool + " reports terminated=" + pool.isTerminated()
                + " with live children " + alive);
        }
        return nanos;
    }
}
