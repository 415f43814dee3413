package dev.mproc.benchmarks.workloads;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.process.Pool;

/**
 * What an idle pool worker JVM keeps resident: a fresh {@code Pool(2)} runs a small map
 * ({@code x -> x + 1}, default chunking), learns its workers' pids from a map that returns them,
 * stays idle for {@link #IDLE_MILLIS} ms, and reads each worker's {@code VmRSS} and
 * {@code RssAnon} from {@code /proc/<pid>/status}.
 * <p>
 * VmRSS is the figure the target is stated in; it counts file pages the worker shares with every
 * other JVM on the machine (libjvm.so, the CDS archive) and the mapped rings of the pool. RssAnon is
 * the worker's own memory (heap, metaspace, JIT code, stacks): what each further worker adds. Each
 * run makes a pool of its own, so each run samples two freshly started workers; it records the
 * larger and the smaller worker's VmRSS and the larger RssAnon. The workers inherit the side's JVM
 * options (see the report's "Side JVM options"; a note lists a worker's). CPython's baseline
 * prints no memory figure.
 * <p>
 * Each run measures one pool whose workers start without the start-up cache, then one whose
 * workers start with it ({@link StartupCache}, built before the first run, untimed): the cache's
 * classes are file pages shared by every worker, not each worker's own.
 * <p>
 * Spare JVMs are turned off ({@link ColdChildren}), so every worker is a freshly started JVM and
 * no spare idles beside the pool. The side unpins itself first ({@link AllCpus}), as the other pool
 * workloads do.
 */
public final class PoolWorkerMemory implements Workload {
    static final String RSS_LARGER = "idle worker VmRSS, larger of 2";
    static final String RSS_SMALLER = "idle worker VmRSS, smaller of 2";
    static final String ANON_LARGER = "idle worker RssAnon, larger of 2";
    static final String CACHED_RSS_LARGER = "idle worker VmRSS with the start-up cache, larger of 2";
    static final String CACHED_ANON_LARGER = "idle worker RssAnon with the start-up cache, larger of 2";

    /** How long the workers sit idle before they are measured. */
    static final long IDLE_MILLIS = 250;

    private static final int WORKERS = 2;
    /** Maps of one item per task before giving up on hearing from both workers. */
    private static final int PID_ATTEMPTS = 10;
    /**
     * One-item tasks per pid probe: more than one worker takes at a time. The pool sends a batch
     * of up to 64 chunks to the least busy worker, so a handful of tasks on an idle pool all go to
     * the first worker, and so does every {@code apply}.
     */
    private static final int PID_ITEMS = 256;
    private static final long TERMINATION_TIMEOUT_SECONDS = 60;
    private static final double BYTES_PER_MB = 1e6;

    @Override
    public String name() {
        return "pool-worker-rss";
    }

    @Override
    public String title() {
        return "Resident memory of an idle pool worker: a fresh Pool(2) runs a small map (x -> x + 1), learns its "
            + "workers' pids, idles " + IDLE_MILLIS + " ms, and reads VmRSS and RssAnon (own anonymous memory, "
            + "without shared libjvm/CDS pages) from /proc/<pid>/status; one pool per run. Workers inherit the side's "
            + "JVM options; spare JVMs off; each run measures a pool without the start-up cache, then one with it. "
            + "No peer: CPython's baseline prints no memory figure.";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return 10_000;
    }

    @Override
    public String iterationUnit() {
        return "items in the small map each fresh pool runs";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(RSS_LARGER, "MB", Better.LOWER, ""),
            Figure.of(RSS_SMALLER, "MB", Better.LOWER, ""),
            Figure.of(ANON_LARGER, "MB", Better.LOWER, ""),
            Figure.of(CACHED_RSS_LARGER, "MB", Better.LOWER, "<= 60 MB"),
            Figure.of(CACHED_ANON_LARGER, "MB", Better.LOWER, ""));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        context.note(ColdChildren.require());
        context.note(AllCpus.widen());
        final List<Integer> items = IntStream.range(0, Math.toIntExact(context.iterations())).boxed().toList();
        try (Mproc mp = Mproc.attach(context.namespace().directory())) {
            for (int run = -context.warmups(); run < context.runs(); run++) {
                StartupCache.off();
                final Reading plain = measure(context, mp, items, run == 0);
                final String cache = StartupCache.onForPoolWorkers();
                if (run == -context.warmups()) {
                    context.note(cache);
                }
                final Reading cached = measure(context, mp, items, false);
                if (run >= 0) {
                    context.record(run, RSS_LARGER, plain.rssLarger() / BYTES_PER_MB);
                    context.record(run, RSS_SMALLER, plain.rssSmaller() / BYTES_PER_MB);
                    context.record(run, ANON_LARGER, plain.anonLarger() / BYTES_PER_MB);
                    context.record(run, CACHED_RSS_LARGER, cached.rssLarger() / BYTES_PER_MB);
                    context.record(run, CACHED_ANON_LARGER, cached.anonLarger() / BYTES_PER_MB);
                }
            }
        }
    }

    /** The two idle workers' resident memory, in bytes. */
    private record Reading(long rssLarger, long rssSmaller, long anonLarger) {
    }

    /**
     * Makes a fresh pool, runs the small map, lets the workers idle and reads them.
     *
     * @return the workers' VmRSS and the larger RssAnon
     */
    private static Reading measure(final SideContext context, final Mproc mp, final List<Integer> items,
                                  final boolean noteOptions) throws Exception {
        final Pool pool = mp.pool(WORKERS);
        try {
            final List<Integer> results = pool.map(TrivialTasks.INCREMENT, items);
            if (results.size() != items.size() || results.get(items.size() - 1) != items.size()) {
                throw new IllegalStateException("the small map returned " + results.size() + " results, last "
                    + (results.isEmpty() ? "none" : results.get(results.size() - 1)) + ", for "
                    + items.size() + " items");
            }
            final List<Long> pids = workerPids(pool);
            if (noteOptions) {
                context.note("a worker's JVM options: " + jvmOptionsOf(pids.get(0)));
            }
            Thread.sleep(IDLE_MILLIS); // the condition measured: workers idle, not a synchronisation
            final long rss0 = ProcStatus.bytes(pids.get(0), "VmRSS");
            final long rss1 = ProcStatus.bytes(pids.get(1), "VmRSS");
            return new Reading(Math.max(rss0, rss1), Math.min(rss0, rss1),
                Math.max(ProcStatus.bytes(pids.get(0), "RssAnon"), ProcStatus.bytes(pids.get(1), "RssAnon")));
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(TERMINATION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                pool.terminate();
                throw new IllegalStateException(pool + " did not terminate within "
                    + TERMINATION_TIMEOUT_SECONDS + " s of shutdown()");
            }
            pool.join();
        }
    }

    /** @return both workers' pids: maps one item per task until each worker has answered */
    private static List<Long> workerPids(final Pool pool) throws InterruptedException {
        final Set<Long> pids = new LinkedHashSet<>();
        final List<Integer> probe = IntStream.range(0, PID_ITEMS).boxed().toList();
        for (int attempt = 0; attempt < PID_ATTEMPTS && pids.size() < WORKERS; attempt++) {
            pids.addAll(pool.map(TrivialTasks.WORKER_PID, probe, 1));
        }
        if (pids.size() != WORKERS) {
            throw new IllegalStateException(PID_ATTEMPTS + " maps of " + PID_ITEMS + " one-item tasks reached workers "
                + pids + " of " + pool + ", not " + WORKERS + " distinct ones");
        }
        if (pids.contains(ProcessHandle.current().pid())) {
            throw new IllegalStateException("a task ran in the parent (pid " + ProcessHandle.current().pid() + ")");
        }
        return new ArrayList<>(pids);
    }

    /** @return the JVM options on a worker's command line: up to its main class, class path left out */
    private static String jvmOptionsOf(final long pid) throws IOException {
        // /proc directly: ProcessHandle.Info gives no arguments for a command line over 4 KiB, and
        // a class path of jars is longer than that.
        final String[] command = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline"))
            .split("\0");
        final String[] arguments = java.util.Arrays.copyOfRange(command, Math.min(1, command.length), command.length);
        final List<String> options = new ArrayList<>();
        for (int i = 0; i < arguments.length && arguments[i].startsWith("-"); i++) {
            if (arguments[i].equals("-cp") || arguments[i].equals("-classpath")) {
                i++; // the class path: long, and the report names the side's already
            } else {
                options.add(arguments[i]);
            }
        }
        return String.join(" ", options);
    }
}
