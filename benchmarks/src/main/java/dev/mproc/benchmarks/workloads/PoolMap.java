package dev.mproc.benchmarks.workloads;

import java.util.List;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.process.Pool;

/**
 * {@code Pool(2).map} of a trivial function ({@code x -> x + 1}) over a prebuilt list of boxed ints,
 * Python's {@code pool.map(trivial, range(n))}: once with the default chunking and once with chunk
 * size 1 over a fifth as many items.
 * <p>
 * One pool per side JVM, made before the runs and warmed by a small map and the harness's warm-up
 * runs, so the timed region is the {@code map} call alone, as in CPython's baseline (which also
 * warms its pool first). Each run times one map of each kind; the rate is items / time. After each
 * map the side checks every result ({@code result[i] == item[i] + 1}, in input order) and fails
 * otherwise: lost or reordered results must not be reported as a rate.
 * <p>
 * The side unpins itself first ({@link AllCpus}): the pool's two worker JVMs and the parent (its
 * caller thread and the pool's driver thread) share the machine's CPUs, as CPython's did; on a
 * machine of two CPUs that is three busy JVMs on two CPUs.
 */
public final class PoolMap implements Workload {
    static final String DEFAULT_RATE = "map throughput, default chunking";
    static final String DEFAULT_TIME = "time per task, default chunking";
    static final String SINGLE_RATE = "map throughput, chunk size 1";
    static final String SINGLE_TIME = "time per task, chunk size 1";

    private static final int WORKERS = 2;
    /** The chunk-size-1 map takes this fraction of the items. */
    private static final int SINGLE_DIVISOR = 5;
    private static final int WARM_UP_ITEMS = 1_000;

    @Override
    public String name() {
        return "pool-map";
    }

    @Override
    public String title() {
        return "Pool(2).map(x -> x + 1, items) over a prebuilt List<Integer>: default chunking, and chunk size 1 over "
            + "a fifth as many items; one pool per side JVM, made and warmed outside the timed region; every result "
            + "checked. The side unpins itself: the two workers share the machine's 2 CPUs with the parent (caller "
            + "and pool driver thread), nothing pinned. Peers: CPython Pool(2).map(trivial, range(n)) with default "
            + "chunksize (1 M items) and chunksize=1 (100 K items).";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 10_000 : 1_000_000;
    }

    @Override
    public String iterationUnit() {
        return "items in the default-chunking map (a fifth as many in the chunk-size-1 map)";
    }

    @Override
    public List<Figure> figures() {
        final PeerRef byDefault = PeerRef.cpython(PeerKeys.PY_POOL_MAP_DEFAULT, "Pool(2).map default chunksize");
        final PeerRef single = PeerRef.cpython(PeerKeys.PY_POOL_MAP_CHUNK1, "Pool(2).map chunksize=1");
        return List.of(
            Figure.of(DEFAULT_RATE, "M tasks/s", Better.HIGHER, ">= 10 M tasks/s", byDefault),
            Figure.of(DEFAULT_TIME, "ns/op", Better.LOWER, "", byDefault),
            Figure.of(SINGLE_RATE, "M tasks/s", Better.HIGHER, ">= 1 M tasks/s", single),
            Figure.of(SINGLE_TIME, "us/op", Better.LOWER, "<= 1 us", single));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        context.note(AllCpus.widen());
        final int n = Math.toIntExact(context.iterations());
        final int singles = Math.max(1, n / SINGLE_DIVISOR);
        final List<Integer> items = IntStream.range(0, n).boxed().toList();
        final List<Integer> singleItems = items.subList(0, singles);
        try (Mproc mp = Mproc.attach(context.namespace().directory());
             Pool pool = mp.pool(WORKERS)) {
            final List<Integer> warm = items.subList(0, Math.min(n, WARM_UP_ITEMS));
            check(warm, pool.map(TrivialTasks.INCREMENT, warm), "warm-up map");
            context.note("default chunk size for " + n + " items: " + pool.defaultChunkSize(n) + " (" + singles
                + " items in the chunk-size-1 map)");
            for (int run = -context.warmups(); run < context.runs(); run++) {
                final long t0 = System.nanoTime();
                final List<Integer> results = pool.map(TrivialTasks.INCREMENT, items);
                final long t1 = System.nanoTime();
                check(items, results, "default-chunking map, run " + run);
                final long t2 = System.nanoTime();
                final List<Integer> singleResults = pool.map(TrivialTasks.INCREMENT, singleItems, 1);
                final long t3 = System.nanoTime();
                check(singleItems, singleResults, "chunk-size-1 map, run " + run);
                if (run >= 0) {
                    final long nanos = t1 - t0;
                    final long singleNanos = t3 - t2;
                    context.record(run, DEFAULT_RATE, n * 1e3 / nanos);
                    context.record(run, DEFAULT_TIME, (double) nanos / n);
                    context.record(run, SINGLE_RATE, singles * 1e3 / singleNanos);
                    context.record(run, SINGLE_TIME, singleNanos / 1e3 / singles);
                }
            }
        }
    }

    /** Every result must be its item plus one, in input order. */
    private static void check(final List<Integer> items, final List<Integer> results, final String what) {
        if (results.size() != items.size()) {
            throw new IllegalStateException(what + ": " + results.size() + " results for " + items.size() + " items");
        }
        for (int i = 0; i < items.size(); i++) {
            final Integer result = results.get(i);
            if (result == null || result != items.get(i) + 1) {
                throw new IllegalStateException(what + ": result " + i + " is " + result + ", expected "
                    + (items.get(i) + 1));
            }
        }
    }
}
