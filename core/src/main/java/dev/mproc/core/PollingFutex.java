package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable stand-in for {@code futex(2)}: "sleeping" polls the word, first spinning briefly,
 * then yielding, then parking with a back-off that doubles up to 1 ms; "waking" does nothing,
 * because the sleeper notices the change itself. Correct everywhere, but a sleeper takes up to
 * the back-off cap to notice a change and costs a little CPU while it waits.
 */
final class PollingFutex implements Futex {
    static final PollingFutex INSTANCE = new PollingFutex();

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private PollingFutex() {
    }

    @Override
    public WaitResult await(final MemorySegment segment, final long offset, final int expected, final long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive: timeoutNanos=" + timeoutNanos);
        }
        Futex.wordAddress(segment, offset);
        if ((int) INT.getVolatile(segment, offset) != expected) {
            return WaitResult.VALUE_CHANGED;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        long park = 1_000;
        for (int round = 0; ; round++) {
            if ((int) INT.getVolatile(segment, offset) != expected) {
                return WaitResult.WOKEN;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return WaitResult.TIMED_OUT;
            }
            if (Thread.currentThread().isInterrupted()) {
                return WaitResult.INTERRUPTED;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(park, remaining));
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
    }

    @Override
    public int wake(final MemorySegment segment, final long offset, final int count) {
        Futex.wordAddress(segment, offset);
        return 0;
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public String toString() {
        return "PollingFutex";
    }
}
