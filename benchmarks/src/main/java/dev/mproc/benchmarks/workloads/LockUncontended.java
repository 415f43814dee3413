package dev.mproc.benchmarks.workloads;

import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;

/**
 * The fast path of {@link Lock} and {@link RLock}: one thread in one JVM taking and releasing a lock
 * nobody else wants, what every {@code with lock:} costs when there is no contention.
 * <p>
 * Each loop does what C {@code locks uncontended} does per operation, with the public API:
 * {@code lock(); counter++; unlock()} (the counter is a plain long in the shared region, guarded by
 * the lock, so the loop cannot be reduced to nothing and its final value proves no increment was
 * lost). Loops are timed as a whole with {@code System.nanoTime()}, so the clock's cost is spread
 * over millions of operations.
 * <p>
 * Peers: Lock beside C's bare CAS lock + release-store unlock (the floor, and what the target is
 * stated against) and CPython's {@code Lock.acquire(); Lock.release()}; RLock beside C's
 * {@code PTHREAD_PROCESS_SHARED} mutex (an owned lock with a type check, like RLock's owner and
 * hold-count bookkeeping).
 * <pre>
 *   body offset   0  counter guarded by the Lock (long)
 *   body offset 128  counter guarded by the RLock (long)
 * </pre>
 */
public final class LockUncontended implements Workload {
    static final long LOCK_COUNTER = 0;
    static final long RLOCK_COUNTER = 128;

    static final String LOCK_TIME = "Lock lock + counter++ + unlock";
    static final String RLOCK_TIME = "RLock lock + counter++ + unlock";

    @Override
    public String name() {
        return "lock-uncontended";
    }

    @Override
    public String title() {
        return "dev.mproc.sync.Lock and RLock taken and released by one thread in one JVM, nobody else "
            + "wanting them: lock(); counter++ (plain long in the mapped region); unlock(), timed as a loop. "
            + "Peers: for Lock, C `locks uncontended` CAS lock + release-store unlock (the floor) and CPython "
            + "multiprocessing.Lock acquire()+release(); for RLock, C `locks uncontended` pthread "
            + "process-shared mutex.";
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
        return "lock + unlock pairs of each kind";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(LOCK_TIME, "ns/op", Better.LOWER, "<= 15 ns",
                PeerRef.cLimit(PeerKeys.C_CAS_LOCK_UNLOCK, "C CAS lock+unlock"),
                PeerRef.cpython(PeerKeys.PY_LOCK_UNCONTENDED, "Lock acquire+release")),
            Figure.of(RLOCK_TIME, "ns/op", Better.LOWER, "",
                PeerRef.cLimit(PeerKeys.C_PTHREAD_MUTEX, "C pthread pshared mutex")));
    }

    @Override
    public void runSide(final SideContext context) {
        final MappedRegion region = context.region();
        final long n = context.iterations();
        try (Lock lock = Lock.create(context.namespace(), "lock");
             RLock rlock = RLock.create(context.namespace(), "rlock")) {
            for (int run = -context.warmups(); run < context.runs(); run++) {
                final long lockNanos = lockLoop(lock, region, n);
                final long rlockNanos = rlockLoop(rlock, region, n);
                if (run >= 0) {
                    context.record(run, LOCK_TIME, (double) lockNanos / n);
                    context.record(run, RLOCK_TIME, (double) rlockNanos / n);
                }
            }
            if (lock.isLocked() || rlock.isLocked()) {
                throw new IllegalStateException("a lock is still held after the loops: " + lock + " " + rlock);
            }
        }
        final long expected = (long) (context.warmups() + context.runs()) * n;
        if (region.getLong(LOCK_COUNTER) != expected || region.getLong(RLOCK_COUNTER) != expected) {
            throw new IllegalStateException("lost updates: expected " + expected + " but Lock counter="
                + region.getLong(LOCK_COUNTER) + " RLock counter=" + region.getLong(RLOCK_COUNTER));
        }
    }

    /** @return nanoseconds for n lock + increment + unlock sequences; a method of its own for the JIT */
    private static long lockLoop(final Lock lock, final MappedRegion region, final long n) {
        final long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            lock.lock();
            try {
                region.putLong(LOCK_COUNTER, region.getLong(LOCK_COUNTER) + 1);
            } finally {
                lock.unlock();
            }
        }
        return System.nanoTime() - t0;
    }

    /** @return the same for an RLock (hold count 1 every time) */
    private static long rlockLoop(final RLock lock, final MappedRegion region, final long n) {
        final long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            lock.lock();
            try {
                region.putLong(RLOCK_COUNTER, region.getLong(RLOCK_COUNTER) + 1);
            } finally {
                lock.unlock();
            }
        }
        return System.nanoTime() - t0;
    }
}
