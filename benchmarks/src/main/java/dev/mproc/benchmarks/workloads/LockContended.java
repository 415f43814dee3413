package dev.mproc.benchmarks.workloads;

import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;
import dev.mproc.sync.Lock;

/**
 * Two JVMs hammering one {@link Lock}: each does a fixed number of {@code lock(); counter++;
 * unlock()} on one shared counter, the shape of Python's {@code with v.get_lock(): v.value += 1}
 * from two processes. Reports the total rate, and fails the workload (the side exits non-zero, the
 * report says "failed") if the counter is not exactly the number of increments made: a lock that
 * lets two holders in loses increments, and a figure measured that way must not be shown.
 * <p>
 * Every run starts with both sides at a {@link RunBarrier} and ends with another; each side
 * publishes its start and end times (System.nanoTime, one clock for every process on Linux), and
 * side A computes the rate as 2 x count / (last end - first start). As in C {@code locks} (contended
 * mode, which run.sh does not run) the holder also notes when the lock changed process, a hint of
 * how the lock was shared out: a side that keeps re-taking the lock it just released makes the
 * rate high and the other side wait.
 * <pre>
 *   body offset   0  counter guarded by the lock (long, plain)
 *   body offset   8  side that last held the lock, plus one (long, plain, guarded by the lock)
 *   body offset 128  run barrier (long)
 *   body offset 256  side A: start, end of the current run (two longs), owner changes it saw (long)
 *   body offset 384  side B: the same
 * </pre>
 */
public final class LockContended implements Workload {
    static final long COUNTER = 0;
    static final long LAST_HOLDER = 8;
    static final long BARRIER = 128;
    static final long SIDE_SLOTS = 256;
    static final long SIDE_SLOT_BYTES = 128;
    static final long START = 0;
    static final long END = 8;
    static final long CHANGES = 16;

    static final String RATE = "total throughput";
    static final String TIME = "time per increment (both sides)";
    static final String CHANGED = "lock changed process";

    @Override
    public String name() {
        return "lock-contended";
    }

    @Override
    public String title() {
        return "Two JVMs each doing lock(); counter++; unlock() on one shared dev.mproc.sync.Lock (default "
            + "strategy) a fixed number of times; total rate = 2 x count / (last end - first start), and the run "
            + "fails if the counter is not exact. Peer: CPython, 2 processes doing `with v.get_lock(): "
            + "v.value += 1` (the C limits have no contended-lock figure: run.sh does not run `locks` contended).";
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 20_000 : 1_000_000;
    }

    @Override
    public String iterationUnit() {
        return "increments by each side";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(RATE, "M ops/s", Better.HIGHER, ">= 5 M ops/s",
                PeerRef.cpython(PeerKeys.PY_LOCKED_INCREMENT, "Value locked increment, 2 procs")),
            Figure.of(TIME, "ns/op", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_LOCKED_INCREMENT, "Value locked increment, 2 procs")),
            Figure.info(CHANGED, "% of increments"));
    }

    @Override
    public void runSide(final SideContext context) {
        final MappedRegion region = context.region();
        final int me = context.side();
        final long mine = SIDE_SLOTS + me * SIDE_SLOT_BYTES;
        final long theirs = SIDE_SLOTS + (1 - me) * SIDE_SLOT_BYTES;
        final RunBarrier barrier = new RunBarrier(region, BARRIER, 2);
        final long n = context.iterations();
        try (Lock lock = Lock.create(context.namespace(), "lock")) {
            long done = 0;
            for (int run = -context.warmups(); run < context.runs(); run++) {
                barrier.arrive();
                final long start = System.nanoTime();
                final long changes = increments(lock, region, me + 1, n);
                final long end = System.nanoTime();
                region.putLong(mine + START, start);
                region.putLong(mine + END, end);
                region.putLong(mine + CHANGES, changes);
                barrier.arrive();
                done += 2 * n;
                // After the barrier every increment of this run is visible: check them all.
                final long counter = region.getLong(COUNTER);
                if (counter != done) {
                    throw new IllegalStateException("the lock let increments through unguarded: counter=" + counter
                        + " but both sides together made " + done + " (side " + context.sideName() + ", run "
                        + run + ")");
                }
                if (me == 0 && run >= 0) {
                    final long first = Math.min(start, region.getLong(theirs + START));
                    final long last = Math.max(end, region.getLong(theirs + END));
                    final long totalChanges = changes + region.getLong(theirs + CHANGES);
                    context.record(run, RATE, 2.0 * n * 1e3 / (last - first));
                    context.record(run, TIME, (double) (last - first) / (2 * n));
                    context.record(run, CHANGED, 100.0 * totalChanges / (2 * n));
                }
                // No third barrier: neither side writes its slots again before the next run's first
                // barrier, which side A reaches only after reading them.
            }
            if (lock.isLocked()) {
                throw new IllegalStateException("the lock is still held after both sides finished: " + lock);
            }
        }
    }

    /**
     * n guarded increments; a method of its own so that the JIT compiles the loop whole.
     *
     * @return how many times this side found the lock last held by the other side
     */
    private static long increments(final Lock lock, final MappedRegion region, final long self, final long n) {
        long changes = 0;
        for (long i = 0; i < n; i++) {
            lock.lock();
            try {
                region.putLong(COUNTER, region.getLong(COUNTER) + 1);
                if (region.getLong(LAST_HOLDER) != self) {
                    region.putLong(LAST_HOLDER, self);
                    changes++;
                }
            } finally {
                lock.unlock();
            }
        }
        return changes;
    }
}
