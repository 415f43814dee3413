package dev.mproc.benchmarks.workloads;

import dev.mproc.core.MappedRegion;

/**
 * Times runs that span several JVMs: every side starts a run together at a {@link RunBarrier},
 * reads its clock, does its share, reads its clock again, publishes both readings (and any counts
 * it wants checked) in a slot of its own, and meets the others at the barrier again. After that
 * second barrier any side can read every slot: the run took from the first start to the last end
 * ({@code System.nanoTime()}, one clock for every process on Linux). A side that fails calls
 * {@link #abandon()} (see {@link #guard}), so that the others throw at the barrier rather than wait
 * for it there.
 * <pre>
 *   offset +0                  run barrier (two longs: arrivals, abandoned by)
 *   offset +128 * (1 + side)   the side's slot, one per side, 128 bytes apart:
 *                                +0  start of the current run (long)
 *                                +8  end of the current run (long)
 *                                +16 ... +120  values 0 ... 13 the workload publishes (longs)
 * </pre>
 * A slot is written only by its side, between the first and the second barrier of a run; it is
 * read by the others after the second barrier and before they arrive at the next run's first
 * barrier, which its side must pass before writing it again. So no write races a read, and plain
 * accesses do: the barrier's atomic add and acquire read order them.
 */
final class RunClock {
    /** Bytes between slots, and before the first. */
    static final long SLOT_BYTES = 128;
    /** Values a side can publish per run. */
    static final int VALUES = 14;

    private static final long START = 0;
    private static final long END = 8;
    private static final long FIRST_VALUE = 16;

    private final MappedRegion region;
    private final long offset;
    private final int sides;
    private final int me;
    private final long mine;
    private final RunBarrier barrier;
    private long start;

    /**
     * @param region the shared region
     * @param offset where the clock's block starts ({@link #bytesFor} bytes, zero at the start)
     * @param sides  how many sides take part
     * @param side   this side
     */
    RunClock(final MappedRegion region, final long offset, final int sides, final int side) {
        if (side < 0 || side >= sides) {
            throw new IllegalArgumentException("side out of range: side=" + side + " sides=" + sides);
        }
        this.region = region;
        this.offset = offset;
        this.sides = sides;
        this.me = side;
        this.mine = slot(side);
        this.barrier = new RunBarrier(region, offset, sides);
    }

    /**
     * @param sides how many sides take part
     * @return bytes of the clock's block
     */
    static long bytesFor(final int sides) {
        return SLOT_BYTES * (1 + sides);
    }

    /**
     * Runs a side's work; if it throws, tells the other sides first ({@link #abandon()}), so that
     * none of them waits at the barrier for this one.
     *
     * @param work the side's runs
     * @throws Exception what the work threw
     */
    void guard(final SideWork work) throws Exception {
        try {
            work.run();
        } catch (final Exception | Error e) {
            abandon();
            throw e;
        }
    }

    /** Tells the other sides that this one will not arrive again: they throw at the barrier. */
    void abandon() {
        barrier.abandon(me);
    }

    /** Waits for every side, then starts this side's clock. */
    void begin() {
        barrier.arrive();
        start = System.nanoTime();
    }

    /**
     * Publishes a value for the others to read after {@link #end()}.
     *
     * @param index 0 ... {@link #VALUES}-1
     * @param value the value
     */
    void publish(final int index, final long value) {
        region.putLong(mine + valueOffset(index), value);
    }

    /** Stops this side's clock, publishes both readings, and waits for every side to do the same. */
    void end() {
        end(false);
    }

    /**
     * As {@link #end()}, for a side that sat the run out: it waits for the others without spinning
     * on a CPU they may be using (see {@link RunBarrier#arrive(boolean)}).
     */
    void endIdle() {
        end(true);
    }

    private void end(final boolean idle) {
        final long end = System.nanoTime();
        region.putLong(mine + START, start);
        region.putLong(mine + END, end);
        barrier.arrive(idle);
    }

    /**
     * @return nanoseconds from the first side's start to the last side's end of the run that
     *         {@link #end()} just closed
     */
    long spanNanos() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int side = 0; side < sides; side++) {
            first = Math.min(first, region.getLong(slot(side) + START));
            last = Math.max(last, region.getLong(slot(side) + END));
        }
        return last - first;
    }

    /**
     * @param side  a side
     * @param index 0 ... {@link #VALUES}-1
     * @return what that side published for the run {@link #end()} just closed
     */
    long value(final int side, final int index) {
        if (side < 0 || side >= sides) {
            throw new IllegalArgumentException("side out of range: side=" + side + " sides=" + sides);
        }
        return region.getLong(slot(side) + valueOffset(index));
    }

    /** A side's runs, which may throw. */
    @FunctionalInterface
    interface SideWork {
        /**
         * @throws Exception on failure
         */
        void run() throws Exception;
    }

    private long slot(final int side) {
        return offset + SLOT_BYTES * (1 + side);
    }

    private static long valueOffset(final int index) {
        if (index < 0 || index >= VALUES) {
            throw new IllegalArgumentException("value index out of range: index=" + index + " values=" + VALUES);
        }
        return FIRST_VALUE + (long) Long.BYTES * index;
    }
}
