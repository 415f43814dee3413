package dev.mproc.benchmarks.workloads;

import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.ipc.SharedLong;
import dev.mproc.sync.Lock;

/**
 * Two JVMs incrementing one {@link SharedLong} a fixed number of times each, Python's
 * {@code Value('q')} shared by two processes. Two instances: {@link #atomic()}, each increment one
 * {@code incrementAndGet()}, and {@link #locked()}, each increment
 * {@code lock = v.getLock(); lock.lock(); v.set(v.get() + 1); lock.unlock()}, the shape of
 * Python's {@code with v.get_lock(): v.value += 1}, which is also CPython's only way to increment a
 * shared value exactly, and so the CPython figure beside both.
 * <p>
 * Every run starts with both sides at a {@link RunClock} barrier and ends with another; the rate is
 * 2 x count / (last end - first start). After each run both sides check that the value is exactly
 * the number of increments made so far and fail otherwise: a lost update must not be reported as
 * a rate. After the last run each side also checks that the lock is free.
 * <pre>
 *   body offset 0   RunClock: barrier; side A's slot; side B's slot
 * </pre>
 * The counter and its lock are files of their own in the workload's namespace.
 */
public final class SharedCounter implements Workload {
    static final String COUNTER = "counter";
    static final String RATE = "total throughput";
    static final String TIME = "time per increment (both sides)";

    private final String name;
    private final String title;
    private final boolean locked;
    private final List<Figure> figures;

    private SharedCounter(final String name, final String title, final boolean locked, final List<Figure> figures) {
        this.name = name;
        this.title = title;
        this.locked = locked;
        this.figures = figures;
    }

    /**
     * @return increments with {@code incrementAndGet()}
     */
    public static SharedCounter atomic() {
        final PeerRef python = PeerRef.cpython(PeerKeys.PY_LOCKED_INCREMENT,
            "Value locked increment, 2 procs (CPython's only way)");
        return new SharedCounter("shared-long-atomic",
            "Two JVMs each doing SharedLong.incrementAndGet() on one shared value a fixed number of times; total "
                + "rate = 2 x count / (last end - first start); the run fails if the value is not exact. Peer: "
                + "CPython, 2 processes doing `with v.get_lock(): v.value += 1` (it has no atomic increment).",
            false,
            List.of(
                Figure.of(RATE, "M ops/s", Better.HIGHER, ">= 20 M ops/s", python),
                Figure.of(TIME, "ns/op", Better.LOWER, "", python)));
    }

    /**
     * @return increments under the value's lock
     */
    public static SharedCounter locked() {
        final PeerRef python = PeerRef.cpython(PeerKeys.PY_LOCKED_INCREMENT, "Value locked increment, 2 procs");
        return new SharedCounter("shared-long-locked",
            "Two JVMs each doing lock = v.getLock(); lock.lock(); v.set(v.get() + 1); lock.unlock() on one SharedLong "
                + "a fixed number of times; total rate = 2 x count / (last end - first start); the run fails if the "
                + "value is not exact. Peer: CPython, 2 processes doing `with v.get_lock(): v.value += 1`.",
            true,
            List.of(
                Figure.of(RATE, "M ops/s", Better.HIGHER, ">= 5 M ops/s", python),
                Figure.of(TIME, "ns/op", Better.LOWER, "", python)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long regionBytes() {
        return RunClock.bytesFor(2);
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
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, 2, context.side());
        try (SharedLong value = SharedLong.create(context.namespace(), COUNTER, 0)) {
            clock.guard(() -> increment(context, clock, value));
        }
    }

    private void increment(final SideContext context, final RunClock clock, final SharedLong value) {
        final long n = context.iterations();
        long done = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            if (locked) {
                lockedIncrements(value, n);
            } else {
                atomicIncrements(value, n);
            }
            clock.end();
            done += 2 * n;
            // After the barrier every increment of this run is visible: check them all.
            final long counted = value.get();
            if (counted != done) {
                throw new IllegalStateException("increments were lost or invented: value=" + counted
                    + " but both sides together made " + done + " (side " + context.sideName() + ", run " + run + ")");
            }
            if (context.side() == 0 && run >= 0) {
                final long nanos = clock.spanNanos();
                context.record(run, RATE, 2.0 * n * 1e3 / nanos);
                context.record(run, TIME, (double) nanos / (2 * n));
            }
        }
        if (locked && value.getLock().isLocked()) {
            throw new IllegalStateException("the value's lock is still held after both sides finished: "
                + value.getLock());
        }
    }

    /** n atomic increments; a method of its own so that the JIT compiles the loop whole. */
    private static void atomicIncrements(final SharedLong value, final long n) {
        for (long i = 0; i < n; i++) {
            value.incrementAndGet();
        }
    }

    /** n increments under the value's lock, as Python's {@code with v.get_lock(): v.value += 1}. */
    private static void lockedIncrements(final SharedLong value, final long n) {
        for (long i = 0; i < n; i++) {
            final Lock lock = value.getLock();
            lock.lock();
            try {
                value.set(value.get() + 1);
            } finally {
                lock.unlock();
            }
        }
    }
}
