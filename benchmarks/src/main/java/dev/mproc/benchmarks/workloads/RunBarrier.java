package dev.mproc.benchmarks.workloads;

import dev.mproc.core.MappedRegion;

/**
 * A reusable barrier between the sides of a workload, on one long of the shared region: each side
 * adds one per arrival and spins until every side has arrived as often as it has.
 * <p>
 * Why not the harness's start barrier: workloads that time a run across both JVMs (a fixed amount
 * of work each, total time from the first start to the last end) need the sides to start every run
 * together, not only the first. Why spin: the sides are pinned to CPUs of their own, and a barrier
 * is crossed only a few times per run, outside the timed loops. A side whose peer died spins until
 * the harness ends it (its workload timeout, or stdin closing when the peer's failure is seen).
 */
final class RunBarrier {
    private final MappedRegion region;
    private final long offset;
    private final int parties;
    private long generation;

    /**
     * @param region  the shared region
     * @param offset  a long in it, zero at the start, used by nothing else
     * @param parties how many sides arrive each time
     */
    RunBarrier(final MappedRegion region, final long offset, final int parties) {
        this.region = region;
        this.offset = offset;
        this.parties = parties;
    }

    /** Arrives and waits for the others; what each side wrote before arriving is visible after. */
    void arrive() {
        generation++;
        region.getAndAddLong(offset, 1);
        final long target = generation * parties;
        while (region.getLongAcquire(offset) < target) {
            Thread.onSpinWait();
        }
    }
}
