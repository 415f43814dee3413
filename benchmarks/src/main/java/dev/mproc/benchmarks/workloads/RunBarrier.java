package dev.mproc.benchmarks.workloads;

import java.util.concurrent.locks.LockSupport;

import dev.mproc.core.MappedRegion;

/**
 * A reusable barrier between the sides of a workload, on two longs of the shared region: each side
 * adds one to the first per arrival and spins until every side has arrived as often as it has; the
 * second says which side gave up, if one did.
 * <pre>
 *   offset +0   arrivals (long)
 *   offset +8   0, or 1 + the number of a side that abandoned the runs (long)
 * </pre>
 * Why not the harness's start barrier: workloads that time a run across both JVMs (a fixed amount
 * of work each, total time from the first start to the last end) need the sides to start every run
 * together, not only the first. Why spin: the sides are pinned to CPUs of their own, and a barrier
 * is crossed only a few times per run, outside the timed loops. A side that fails calls
 * {@link #abandon}, and every side waiting at the barrier, or arriving later, throws instead of
 * waiting for it; a side whose peer died without abandoning spins until the harness ends it (its
 * workload timeout, or stdin closing when the peer's failure is seen).
 */
final class RunBarrier {
    private static final int POLITE_SPINS = 1_000;
    private static final long POLITE_NAP_NANOS = 50_000;
    private static final long ABANDONED = 8;

    private final MappedRegion region;
    private final long offset;
    private final int parties;
    private long generation;

    /**
     * @param region  the shared region
     * @param offset  two longs in it, zero at the start, used by nothing else
     * @param parties how many sides arrive each time
     */
    RunBarrier(final MappedRegion region, final long offset, final int parties) {
        this.region = region;
        this.offset = offset;
        this.parties = parties;
    }

    /**
     * Arrives and waits for the others; what each side wrote before arriving is visible after.
     *
     * @throws IllegalStateException if a side abandoned the runs
     */
    void arrive() {
        arrive(false);
    }

    /**
     * @param politely true for a side with nothing to do in the coming step (an idle producer):
     *                 after a short spin it parks in 50 us naps, leaving its CPU to the sides
     *                 that work there; the others spin, so that they start together
     */
    void arrive(final boolean politely) {
        generation++;
        region.getAndAddLong(offset, 1);
        final long target = generation * parties;
        int spins = 0;
        while (region.getLongAcquire(offset) < target) {
            failIfAbandoned();
            if (politely && ++spins > POLITE_SPINS) {
                LockSupport.parkNanos(POLITE_NAP_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
        failIfAbandoned();
    }

    /**
     * Tells every side that this one will not arrive again: they throw at the barrier.
     *
     * @param side the side giving up, 0 for A
     */
    void abandon(final int side) {
        region.compareAndSetLong(offset + ABANDONED, 0, side + 1);
    }

    private void failIfAbandoned() {
        final long abandoned = region.getLongAcquire(offset + ABANDONED);
        if (abandoned != 0) {
            throw new IllegalStateException("side " + (char) ('A' + abandoned - 1) + " failed and abandoned the runs");
        }
    }
}
