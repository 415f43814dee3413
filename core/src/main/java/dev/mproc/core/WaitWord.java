package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A futex word and the count of its announced sleepers: the two ints through which processes
 * sleep and wake on shared memory.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Word: the value sleepers wait to change            | offset
 *  +---------------------------------------------------------------+
 *  |        Sleepers: how many have announced they will sleep      | offset + 4
 *  +---------------------------------------------------------------+
 * </pre>
 * Two ways to use it, depending on where the waited-for condition lives:
 * <ul>
 *   <li>The condition <em>is</em> the word (a lock's state, a ping-pong sequence): change the word
 *   with a volatile write or CAS, then call {@link #wakeAll()} or {@link #wakeOne()}.</li>
 *   <li>The condition lives elsewhere (a ring slot, a counter): publish it with a volatile write or
 *   CAS, then call {@link #signalAll()}, which bumps the word so that a sleeper about to sleep
 *   sees it changed.</li>
 * </ul>
 * Either way the kernel is entered only when a sleeper has announced itself: a FUTEX_WAKE with
 * nobody asleep still costs about 200 ns, many times the uncontended operation.
 */
/*
 * Why no wake-up is lost. A sleeper (see SpinThenSleepStrategy) does, in order:
 *   S1 getAndAdd(sleepers, +1)   S2 w = word (volatile)   S3 test condition   S4 futex_wait(word, w)
 * A waker does:
 *   W1 publish condition (volatile/CAS)   W2 n = sleepers (volatile)   W3 if n > 0: bump word, futex_wake
 * All of S1..S3 and W1..W2 are sequentially consistent. If S3 misses W1, then S3 precedes W1, so
 * S1 precedes W2 and the waker sees n > 0; and S2 precedes the bump in W3, so the kernel's atomic
 * check in S4 finds the word changed (EAGAIN) or the sleeper is already queued and is woken.
 * A sleeper killed while asleep leaves the count raised; wakers then make needless FUTEX_WAKE
 * calls (slower, never wrong).
 */
public final class WaitWord {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Bytes a wait word occupies: the word and the sleeper count. */
    public static final int LENGTH = 8;

    private final MemorySegment segment;
    private final long wordOffset;
    private final long sleepersOffset;
    private final Futex futex;

    /**
     * @param segment shared memory holding the word
     * @param offset  offset of the word; the sleeper count follows at {@code offset + 4}
     */
    public WaitWord(final MemorySegment segment, final long offset) {
        this(segment, offset, Futex.system());
    }

    /**
     * @param segment shared memory holding the word
     * @param offset  offset of the word; the sleeper count follows at {@code offset + 4}
     * @param futex   the futex to sleep on
     */
    public WaitWord(final MemorySegment segment, final long offset, final Futex futex) {
        this(segment, offset, offset + 4, futex);
    }

    /**
     * For layouts where the word cannot be followed by the sleeper count, for example a word that
     * is one half of a 64-bit value updated with a 64-bit CAS.
     *
     * @param segment        shared memory holding the word
     * @param wordOffset     offset of the 32-bit futex word
     * @param sleepersOffset offset of the 32-bit sleeper count (must not overlap the word)
     * @param futex          the futex to sleep on
     */
    public WaitWord(final MemorySegment segment, final long wordOffset, final long sleepersOffset, final Futex futex) {
        Futex.wordAddress(segment, wordOffset);
        Futex.wordAddress(segment, sleepersOffset);
        if (Math.abs(wordOffset - sleepersOffset) < Integer.BYTES) {
            throw new IllegalArgumentException("word and sleeper count overlap: wordOffset=" + wordOffset
                + " sleepersOffset=" + sleepersOffset);
        }
        this.segment = segment;
        this.wordOffset = wordOffset;
        this.sleepersOffset = sleepersOffset;
        this.futex = futex;
    }

    /**
     * @param region a mapped region
     * @param offset body offset of the word
     * @return the wait word at that offset of the region's body
     */
    public static WaitWord at(final MappedRegion region, final long offset) {
        return new WaitWord(region.segment(), offset);
    }

    /** @return the word, volatile read */
    public int get() {
        return (int) INT.getVolatile(segment, wordOffset);
    }

    /** @return the word, acquire read */
    public int getAcquire() {
        return (int) INT.getAcquire(segment, wordOffset);
    }

    /** @param value the new word, volatile write */
    public void set(final int value) {
        INT.setVolatile(segment, wordOffset, value);
    }

    /** @param value the new word, release write */
    public void setRelease(final int value) {
        INT.setRelease(segment, wordOffset, value);
    }

    /**
     * @param expected the word expected
     * @param value    the new word
     * @return true if swapped (volatile)
     */
    public boolean compareAndSet(final int expected, final int value) {
        return INT.compareAndSet(segment, wordOffset, expected, value);
    }

    /**
     * @param delta amount to add
     * @return the previous word (volatile)
     */
    public int getAndAdd(final int delta) {
        return (int) INT.getAndAdd(segment, wordOffset, delta);
    }

    /** @return how many sleepers have announced themselves (volatile read) */
    public int sleepers() {
        return (int) INT.getVolatile(segment, sleepersOffset);
    }

    /** Announces a sleeper; a waker seeing it will enter the kernel. */
    void announceSleeper() {
        INT.getAndAdd(segment, sleepersOffset, 1);
    }

    /** Withdraws an announcement made by {@link #announceSleeper()}. */
    void withdrawSleeper() {
        INT.getAndAdd(segment, sleepersOffset, -1);
    }

    /**
     * Sleeps in the kernel while the word equals {@code observed}, at most {@code timeoutNanos}.
     *
     * @param observed     the word as last read
     * @param timeoutNanos upper bound on the sleep
     * @return why the sleep ended
     */
    Futex.WaitResult sleep(final int observed, final long timeoutNanos) {
        return futex.await(segment, wordOffset, observed, timeoutNanos);
    }

    /**
     * Wakes every sleeper, if any announced itself; for when the caller changed the word itself.
     */
    public void wakeAll() {
        if (sleepers() > 0) {
            futex.wake(segment, wordOffset, Integer.MAX_VALUE);
        }
    }

    /**
     * Wakes one sleeper, if any announced itself; for when the caller changed the word itself
     * and one waiter can use the change (a lock release).
     */
    public void wakeOne() {
        if (sleepers() > 0) {
            futex.wake(segment, wordOffset, 1);
        }
    }

    /**
     * For a condition held elsewhere, already published by the caller: if anyone sleeps, bumps the
     * word (so that a sleeper about to sleep sees it changed) and wakes every sleeper.
     */
    public void signalAll() {
        if (sleepers() > 0) {
            INT.getAndAdd(segment, wordOffset, 1);
            futex.wake(segment, wordOffset, Integer.MAX_VALUE);
        }
    }

    /**
     * As {@link #signalAll()}, waking at most one sleeper.
     */
    public void signalOne() {
        if (sleepers() > 0) {
            INT.getAndAdd(segment, wordOffset, 1);
            futex.wake(segment, wordOffset, 1);
        }
    }

    /** @return the futex this word sleeps on */
    public Futex futex() {
        return futex;
    }

    @Override
    public String toString() {
        return "WaitWord[offset=" + wordOffset + ", word=" + get() + ", sleepers=" + sleepers() + "]";
    }
}
