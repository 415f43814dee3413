package dev.mproc.journal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a reader waits for the next message: Chronicle tailers have no blocking wait, so a reader
 * polls, spinning for the first rounds (a message that is already on its way arrives within
 * microseconds) and then parking for a time that doubles up to {@value #MAX_PARK_NANOS} ns, so that
 * an idle consumer costs little CPU and still sees a new message within about a millisecond.
 */
final class TailWait {
    private static final int SPIN_ROUNDS = 200;
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private TailWait() {
    }

    /**
     * Waits a little before the next poll.
     *
     * @param round    how many polls found nothing so far, from 0
     * @param deadline {@link System#nanoTime()} not to park past
     * @throws InterruptedException if the thread is interrupted
     */
    static void idle(final int round, final long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted waiting for a journal message");
        }
        if (round < SPIN_ROUNDS) {
            Thread.onSpinWait();
            return;
        }
        final int doublings = Math.min(round - SPIN_ROUNDS, 10);
        final long park = Math.min(MAX_PARK_NANOS, MIN_PARK_NANOS << doublings);
        LockSupport.parkNanos(Math.max(0, Math.min(park, deadline - System.nanoTime())));
    }
}
