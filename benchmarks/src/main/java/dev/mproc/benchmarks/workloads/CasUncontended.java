package dev.mproc.benchmarks.workloads;

import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;

/**
 * Uncontended atomics on a mapped region, one thread in one JVM: the cost of the instruction under
 * every lock, counter and queue index, through mproc's accessors (VarHandles on a MemorySegment,
 * bounds-checked).
 * <p>
 * Three loops, each timed as a whole with {@code System.nanoTime()} (so the clock's cost is spread
 * over millions of operations): {@link MappedRegion#compareAndSetLong} that always succeeds,
 * {@link MappedRegion#getAndAddLong}, and the C program's "CAS lock + counter++ + release-store
 * unlock" done with {@link MappedRegion#compareAndSetInt}, plain long accessors and
 * {@link MappedRegion#putIntRelease}. Each word sits on its own cache line.
 * <pre>
 *   body offset   0  CAS word (long)
 *   body offset 128  get-and-add word (long)
 *   body offset 256  lock word (int)
 *   body offset 320  counter guarded by the lock (long)
 * </pre>
 */
public final class CasUncontended implements Workload {
    static final long CAS_WORD = 0;
    static final long ADD_WORD = 128;
    static final long LOCK_WORD = 256;
    static final long COUNTER = 320;

    static final String CAS_TIME = "compareAndSetLong";
    static final String CAS_RATE = "compareAndSetLong rate";
    static final String ADD_TIME = "getAndAddLong";
    static final String ADD_RATE = "getAndAddLong rate";
    static final String LOCK_TIME = "CAS lock + counter++ + release unlock";

    /** Keeps results observable so that no loop is optimised away. */
    private static volatile long sink;

    @Override
    public String name() {
        return "cas-uncontended";
    }

    @Override
    public String title() {
        return "Uncontended atomics on a mapped region, one thread: compareAndSetLong (always succeeds), "
            + "getAndAddLong, and a CAS lock + counter++ + release-store unlock as in C `locks uncontended`. "
            + "Peer: C `locks uncontended` CAS lock+unlock (one CAS and one store per op, like each row here).";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 200_000 : 20_000_000;
    }

    @Override
    public String iterationUnit() {
        return "operations of each kind";
    }

    @Override
    public List<Figure> figures() {
        final PeerRef cLock = PeerRef.cLimit(PeerKeys.C_CAS_LOCK_UNLOCK, "C CAS lock+unlock");
        return List.of(
            Figure.of(CAS_TIME, "ns/op", Better.LOWER, "", cLock),
            Figure.of(CAS_RATE, "M ops/s", Better.HIGHER, "", cLock),
            Figure.of(ADD_TIME, "ns/op", Better.LOWER, "", cLock),
            Figure.of(ADD_RATE, "M ops/s", Better.HIGHER, "", cLock),
            Figure.of(LOCK_TIME, "ns/op", Better.LOWER, "<= 15 ns (Lock target)", cLock,
                PeerRef.cpython(PeerKeys.PY_LOCK_UNCONTENDED, "Lock acquire+release")));
    }

    @Override
    public void runSide(final SideContext context) {
        final MappedRegion region = context.region();
        final long n = context.iterations();
        for (int run = -context.warmups(); run < context.runs(); run++) {
            final long cas = casLoop(region, n);
            final long add = addLoop(region, n);
            final long lock = lockLoop(region, n);
            if (run >= 0) {
                context.record(run, CAS_TIME, (double) cas / n);
                context.record(run, CAS_RATE, n * 1e3 / cas);
                context.record(run, ADD_TIME, (double) add / n);
                context.record(run, ADD_RATE, n * 1e3 / add);
                context.record(run, LOCK_TIME, (double) lock / n);
            }
        }
        final long expected = (long) (context.warmups() + context.runs()) * n;
        if (region.getLong(CAS_WORD) != expected || region.getLong(ADD_WORD) != expected
            || region.getLong(COUNTER) != expected) {
            throw new IllegalStateException("lost updates: expected " + expected + " but cas=" + region.getLong(CAS_WORD)
                + " add=" + region.getLong(ADD_WORD) + " counter=" + region.getLong(COUNTER));
        }
    }

    /** @return nanoseconds for n successful compareAndSetLong calls */
    private static long casLoop(final MappedRegion region, final long n) {
        long value = region.getLong(CAS_WORD);
        long failures = 0;
        final long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            if (!region.compareAndSetLong(CAS_WORD, value, value + 1)) {
                failures++;
            }
            value++;
        }
        final long t1 = System.nanoTime();
        if (failures != 0) {
            throw new IllegalStateException("an uncontended CAS failed " + failures + " times");
        }
        return t1 - t0;
    }

    /** @return nanoseconds for n getAndAddLong calls */
    private static long addLoop(final MappedRegion region, final long n) {
        long sum = 0;
        final long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            sum += region.getAndAddLong(ADD_WORD, 1);
        }
        final long t1 = System.nanoTime();
        sink = sum;
        return t1 - t0;
    }

    /** @return nanoseconds for n lock + increment + unlock sequences */
    private static long lockLoop(final MappedRegion region, final long n) {
        final long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            while (!region.compareAndSetInt(LOCK_WORD, 0, 1)) {
                Thread.onSpinWait();
            }
            region.putLong(COUNTER, region.getLong(COUNTER) + 1);
            // Release: the increment happens-before the next acquirer's CAS.
            region.putIntRelease(LOCK_WORD, 0);
        }
        return System.nanoTime() - t0;
    }
}
