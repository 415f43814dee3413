package dev.mproc.sync;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitStrategy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The robust mutex of {@link Lock}, embedded in a block of another object's region: how a queue
 * serialises its producers (and its consumers) without a second file. The block is
 * {@link #LENGTH} bytes laid out as {@link MutexLayout} describes, zero when free, and must start
 * on a cache line (64-byte) boundary of the region's body.
 * <p>
 * As with {@link Lock}, the holder's process identity is taken in the same CAS as the mutex, so
 * a waiter that finds the holder's process dead takes the mutex over within a bounded time
 * (50-100 ms with the default sleep slice) and {@link #previousHolderDied()} tells it so: the
 * new holder can then repair whatever the dead one left half-done.
 * <p>
 * Not re-entrant: a thread that already holds it and asks again gets
 * {@link IllegalMonitorStateException}.
 * <p>
 * Memory consistency effects: as for {@link Lock}: actions prior to {@link #unlock()} in one
 * thread of any process <i>happen-before</i> actions after a subsequent successful acquisition
 * by another thread of any process, including one that took the mutex from a dead holder (for
 * the actions the dead holder completed).
 */
public final class RegionMutex {
    /** Bytes the mutex occupies in its region: two cache lines. */
    public static final long LENGTH = MutexLayout.LENGTH;

    private final RobustMutex mutex;

    private RegionMutex(final RobustMutex mutex) {
        this.mutex = mutex;
    }

    /**
     * @param region   the region holding the block
     * @param offset   body offset of the block, a multiple of 64
     * @param strategy how blocked callers wait, or {@code null} for the default
     * @return a handle on the mutex at that offset
     * @throws IllegalArgumentException if the offset is not 64-byte aligned or the block does not
     *                                  fit in the region's body
     */
    public static RegionMutex at(final MappedRegion region, final long offset, final WaitStrategy strategy) {
        Objects.requireNonNull(region, "region");
        if ((offset & 63) != 0 || offset < 0 || offset + LENGTH > region.bodyLength()) {
            throw new IllegalArgumentException("mutex block out of place: offset=" + offset + " length=" + LENGTH
                + " bodyLength=" + region.bodyLength() + " file=" + region.file());
        }
        return new RegionMutex(new RobustMutex(region, offset, false, strategy));
    }

    /** Acquires, waiting uninterruptibly. */
    public void lock() {
        mutex.lock();
    }

    /**
     * Acquires, waiting interruptibly.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void lockInterruptibly() throws InterruptedException {
        mutex.lockInterruptibly();
    }

    /** @return true if acquired without waiting */
    public boolean tryLock() {
        return mutex.tryLock();
    }

    /**
     * Acquires unless the timeout passes or {@code cancelled} becomes true first.
     *
     * @param timeoutNanos how long to wait at most ({@link WaitStrategy#FOREVER} for no limit)
     * @param cancelled    checked while waiting, at least once per sleep slice
     * @return true if acquired; false on timeout or cancellation
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryLock(final long timeoutNanos, final BooleanSupplier cancelled) throws InterruptedException {
        return mutex.tryLock(timeoutNanos, Objects.requireNonNull(cancelled, "cancelled"));
    }

    /**
     * Releases.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold it
     */
    public void unlock() {
        mutex.unlock();
    }

    /** @return true if the current thread holds it */
    public boolean isHeldByCurrentThread() {
        return mutex.isHeldByCurrentThread();
    }

    /** @return true if held by anyone */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /** @return true if the current thread holds it and took it over from a dead process */
    public boolean previousHolderDied() {
        return mutex.previousHolderDied();
    }

    /**
     * @return true if the mutex is held by a process that is no longer alive (reads /proc: for
     *         occasional checks, not hot paths)
     */
    public boolean isHolderDead() {
        final long owner = mutex.ownerWord();
        return owner != 0 && !RobustMutex.isAlive(owner);
    }

    /** @return the pid of the holding process, or empty when free */
    public Optional<Long> holderPid() {
        return mutex.holderPid();
    }

    /** @return how many times a dead holder has been replaced */
    public long recoveries() {
        return mutex.recoveries();
    }
}
