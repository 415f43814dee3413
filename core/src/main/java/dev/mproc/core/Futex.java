package dev.mproc.core;

import java.lang.foreign.MemorySegment;

/**
 * Sleeping on an int in shared memory until another process changes it and wakes the sleeper:
 * Linux's {@code futex(2)} where it is available, a polling stand-in elsewhere.
 * <p>
 * The contract is futex's: {@link #await} returns at once if the word no longer holds the expected
 * value, and otherwise sleeps until a {@link #wake}, the timeout, or a spurious wake-up, whichever
 * comes first. Callers always re-check their condition after it returns; a return value is a hint,
 * never a promise that the condition holds.
 * <p>
 * Words are addressed as (segment, offset): the offset must be 4-byte aligned and inside the
 * segment, otherwise {@link IllegalArgumentException} / {@link IndexOutOfBoundsException}.
 * Only process-shared (non-private) futex operations are used, so a wake in one process reaches a
 * sleeper in another that mapped the same file.
 */
public sealed interface Futex permits LinuxFutex, PollingFutex {

    /** Why {@link #await} returned. */
    enum WaitResult {
        /** Woken by {@link #wake} (or spuriously). */
        WOKEN,
        /** The word did not hold the expected value when the call began. */
        VALUE_CHANGED,
        /** The timeout passed. */
        TIMED_OUT,
        /** A signal interrupted the sleep (EINTR): re-check and wait again. */
        INTERRUPTED
    }

    /**
     * Sleeps while the int at {@code offset} equals {@code expected}, for at most {@code timeoutNanos}.
     *
     * @param segment      the shared memory holding the word
     * @param offset       byte offset of the word in the segment (4-byte aligned)
     * @param expected     the value observed by the caller
     * @param timeoutNanos how long to sleep at most; must be positive
     * @return why it returned
     */
    WaitResult await(MemorySegment segment, long offset, int expected, long timeoutNanos);

    /**
     * Wakes up to {@code count} sleepers on the word.
     *
     * @param segment the shared memory holding the word
     * @param offset  byte offset of the word in the segment (4-byte aligned)
     * @param count   how many to wake at most ({@link Integer#MAX_VALUE} for all)
     * @return how many were woken (the portable stand-in always reports 0)
     */
    int wake(MemorySegment segment, long offset, int count);

    /**
     * @return true if this sleeps in the kernel (futex), false for the polling stand-in
     */
    boolean isNative();

    /**
     * The futex this JVM uses: Linux's, unless it cannot be bound here or
     * {@code -Dmproc.futex=polling} asks for the portable stand-in.
     *
     * @return the system futex
     */
    static Futex system() {
        return FutexHolder.SYSTEM;
    }

    /**
     * @return the portable stand-in (spin, yield, then {@code parkNanos} back-off), for tests and
     *         for systems without futex
     */
    static Futex polling() {
        return PollingFutex.INSTANCE;
    }

    /** Chooses once, lazily, so that merely loading {@link Futex} binds nothing. */
    final class FutexHolder {
        static final Futex SYSTEM = choose();

        private FutexHolder() {
        }

        private static Futex choose() {
            if ("polling".equals(System.getProperty("mproc.futex"))) {
                return PollingFutex.INSTANCE;
            }
            final Futex linux = LinuxFutex.tryCreate();
            return linux != null ? linux : PollingFutex.INSTANCE;
        }
    }

    /**
     * Checks that a word lies inside the segment and is 4-byte aligned in memory, as futex needs.
     *
     * @param segment the segment
     * @param offset  the word's offset
     * @return the word's native address
     */
    static long wordAddress(final MemorySegment segment, final long offset) {
        if (offset < 0 || offset > segment.byteSize() - Integer.BYTES) {
            throw new IndexOutOfBoundsException("futex word outside the segment: offset=" + offset
                + " segmentSize=" + segment.byteSize());
        }
        final long address = segment.address() + offset;
        if ((address & 3) != 0) {
            throw new IllegalArgumentException("futex word must be 4-byte aligned: offset=" + offset
                + " address=0x" + Long.toHexString(address));
        }
        return address;
    }
}
