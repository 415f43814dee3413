package dev.mproc.core;

import java.util.concurrent.TimeUnit;

/**
 * The default way to wait: spin for an adaptive budget, then announce a sleeper and sleep on the
 * futex in bounded slices, re-checking the condition, the timeout and the interrupt status after
 * each slice.
 * <p>
 * Why adaptive: a spin phase shorter than the time a wake-up takes is a trap. If side A stops
 * spinning before a sleeping side B has woken and answered, A sleeps too, and from then on every
 * exchange costs two kernel wake-ups (measured here: round trip 0.3 us becomes 40 us). A fixed long
 * spin avoids the trap but burns a core whenever the peer is idle. So the budget follows what the
 * waits actually take:
 * <ul>
 *   <li>a wait that ends while spinning keeps at least twice its length in the budget;</li>
 *   <li>a wait that needed a sleep but ended within {@code maxSpin} raises the budget to twice its
 *   length (spinning that long would have caught it);</li>
 *   <li>a wait longer than {@code maxSpin} halves the budget, down to {@code minSpin}: the peer was
 *   idle, and spinning for it was wasted.</li>
 * </ul>
 * The budget is shared by the threads using one instance; races on it only blur the estimate.
 * <p>
 * Why slices: a thread asleep in {@code futex(2)} does not see {@link Thread#interrupt()}, and a
 * dead peer never wakes anyone. Sleeping at most {@code slice} at a time bounds how late an
 * interrupt, a timeout or a liveness check in the condition is noticed.
 */
public final class SpinThenSleepStrategy implements WaitStrategy {
    /** Spins before the clock is first read; a few microseconds at most. */
    private static final int UNTIMED_SPINS = 100;

    private final long minSpinNanos;
    private final long maxSpinNanos;
    private final long sliceNanos;
    private long spinBudgetNanos;

    /**
     * @param initialSpinNanos the spin budget to start with
     * @param minSpinNanos     the least the budget decays to (0 allows pure sleeping)
     * @param maxSpinNanos     the most the budget grows to
     * @param sliceNanos       the longest single sleep
     */
    public SpinThenSleepStrategy(
        final long initialSpinNanos,
        final long minSpinNanos,
        final long maxSpinNanos,
        final long sliceNanos) {
        if (minSpinNanos < 0 || maxSpinNanos < minSpinNanos || initialSpinNanos < minSpinNanos
            || initialSpinNanos > maxSpinNanos) {
            throw new IllegalArgumentException("need 0 <= minSpin <= initialSpin <= maxSpin: minSpinNanos="
                + minSpinNanos + " initialSpinNanos=" + initialSpinNanos + " maxSpinNanos=" + maxSpinNanos);
        }
        if (sliceNanos <= 0) {
            throw new IllegalArgumentException("sleep slice must be positive: sliceNanos=" + sliceNanos);
        }
        this.minSpinNanos = minSpinNanos;
        this.maxSpinNanos = maxSpinNanos;
        this.sliceNanos = sliceNanos;
        this.spinBudgetNanos = initialSpinNanos;
    }

    /**
     * @return the current spin budget in nanoseconds
     */
    public long spinBudgetNanos() {
        return spinBudgetNanos;
    }

    /**
     * @return the longest single sleep in nanoseconds
     */
    public long sliceNanos() {
        return sliceNanos;
    }

    @Override
    public boolean await(
        final WaitWord word,
        final WaitCondition condition,
        final long timeoutNanos,
        final boolean interruptible) throws InterruptedException {
        // Phase 0: a short spin without reading the clock. Most hand-offs with an active peer end
        // here, and a System.nanoTime() call (about 20 ns on a VM) on each side of every such
        // wait was measured as a third of the round trip. Waits this short teach the adaptive
        // budget nothing, so they skip it too.
        // A strategy with no spin budget (sleeping()) and a zero timeout (a poll) skip it.
        if (spinBudgetNanos > 0 && timeoutNanos > 0) {
            for (int round = 0; round < UNTIMED_SPINS; round++) {
                if (condition.isSatisfied()) {
                    return true;
                }
                Thread.onSpinWait();
            }
        }
        if (condition.isSatisfied()) {
            return true;
        }
        final long start = System.nanoTime();
        final long deadline = deadline(start, timeoutNanos);
        boolean interrupted = false;
        try {
            // Phase 1: spin. The condition is cheap (an acquire load or two); the clock is read
            // every 64 rounds to keep it out of the way.
            final long budget = spinBudgetNanos;
            if (budget > 0) {
                long now = start;
                for (int round = 1; ; round++) {
                    if (condition.isSatisfied()) {
                        learn(System.nanoTime() - start, false);
                        return true;
                    }
                    Thread.onSpinWait();
                    if ((round & 63) == 0) {
                        now = System.nanoTime();
                        if (now - start >= budget || now - deadline >= 0) {
                            break;
                        }
                        if (Thread.interrupted()) {
                            if (interruptible) {
                                throw new InterruptedException();
                            }
                            interrupted = true;
                        }
                    }
                }
            }
            // Phase 2: announce, re-check, sleep one slice; repeat.
            while (true) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return condition.isSatisfied();
                }
                word.announceSleeper();
                try {
                    final int observed = word.get();
                    if (condition.isSatisfied()) {
                        learn(System.nanoTime() - start, true);
                        return true;
                    }
                    word.sleep(observed, Math.min(sliceNanos, remaining));
                } finally {
                    word.withdrawSleeper();
                }
                if (condition.isSatisfied()) {
                    learn(System.nanoTime() - start, true);
                    return true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void learn(final long waitedNanos, final boolean slept) {
        final long budget = spinBudgetNanos;
        if (!slept || waitedNanos <= maxSpinNanos) {
            final long wanted = Math.min(maxSpinNanos, 2 * waitedNanos);
            if (wanted > budget) {
                spinBudgetNanos = wanted;
            }
        } else {
            spinBudgetNanos = Math.max(minSpinNanos, budget / 2);
        }
    }

    static long deadline(final long start, final long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return start;
        }
        final long deadline = start + timeoutNanos;
        // Saturate: a huge timeout must not wrap into the past.
        return deadline - start < 0 || timeoutNanos == FOREVER ? start + Long.MAX_VALUE / 2 : deadline;
    }

    @Override
    public String toString() {
        return "SpinThenSleepStrategy[spin " + TimeUnit.NANOSECONDS.toMicros(spinBudgetNanos) + " us in ["
            + TimeUnit.NANOSECONDS.toMicros(minSpinNanos) + ", " + TimeUnit.NANOSECONDS.toMicros(maxSpinNanos)
            + "] us, slice " + TimeUnit.NANOSECONDS.toMillis(sliceNanos) + " ms]";
    }
}
