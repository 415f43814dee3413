package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitStrategy;

/**
 * What {@link Semaphore} and {@link BoundedSemaphore} have in common: a serialisable handle on a
 * permit counter file ({@link PermitCounter}) and every method that only delegates to it. The two
 * public classes add their kind, their factories and (BoundedSemaphore) the bound.
 */
abstract sealed class PermitHandle implements AutoCloseable, Serializable permits Semaphore, BoundedSemaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String file;
    private final transient PermitCounter counter;

    PermitHandle(final MappedRegion region, final boolean bounded, final WaitStrategy strategy) {
        this.file = region.file().toString();
        this.counter = new PermitCounter(region, bounded, strategy);
    }

    PermitCounter counter() {
        return counter;
    }

    /**
     * Takes one permit, waiting until one is available.
     *
     * @throws InterruptedException if interrupted before or while waiting
     */
    public void acquire() throws InterruptedException {
        counter.acquire(1);
    }

    /**
     * Takes {@code permits} permits at once, waiting until that many are available.
     *
     * @param permits how many, at least 0 (and at most the bound of a {@link BoundedSemaphore})
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code permits} is negative (or above the bound)
     */
    public void acquire(final int permits) throws InterruptedException {
        counter.acquire(permits);
    }

    /**
     * @return true if a permit was available and is now taken; never waits
     */
    public boolean tryAcquire() {
        return counter.tryAcquire(1);
    }

    /**
     * @param permits how many, at least 0 (and at most the bound of a {@link BoundedSemaphore})
     * @return true if that many were available and are now taken; never waits
     * @throws IllegalArgumentException if {@code permits} is negative (or above the bound)
     */
    public boolean tryAcquire(final int permits) {
        return counter.tryAcquire(permits);
    }

    /**
     * @param timeout how long to wait at most
     * @param unit    the unit of {@code timeout}
     * @return true if a permit was taken, false if the timeout passed first
     * @throws InterruptedException if interrupted before or while waiting
     */
    public boolean tryAcquire(final long timeout, final TimeUnit unit) throws InterruptedException {
        return counter.tryAcquire(1, timeout, unit);
    }

    /**
     * @param permits how many, at least 0
     * @param timeout how long to wait at most
     * @param unit    the unit of {@code timeout}
     * @return true if the permits were taken, false if the timeout passed first (none are taken)
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code permits} is negative (or above the bound)
     */
    public boolean tryAcquire(final int permits, final long timeout, final TimeUnit unit) throws InterruptedException {
        return counter.tryAcquire(permits, timeout, unit);
    }

    /**
     * Gives one permit back, waking waiters.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} whose permits are all
     *                               available already (nothing is released)
     */
    public void release() {
        counter.release(1);
    }

    /**
     * Gives {@code permits} permits back, waking waiters.
     *
     * @param permits how many, at least 0
     * @throws IllegalArgumentException if {@code permits} is negative, or if the count would
     *                                  exceed {@link Integer#MAX_VALUE} (nothing is released then)
     * @throws IllegalStateException    for a {@link BoundedSemaphore}, if the count would exceed
     *                                  its bound (nothing is released then)
     */
    public void release(final int permits) {
        counter.release(permits);
    }

    /**
     * @return the permits available now (a snapshot, for monitoring)
     */
    public int availablePermits() {
        return counter.availablePermits();
    }

    /**
     * @return the semaphore's file
     */
    public Path file() {
        return Path.of(file);
    }

    /** Unmaps the semaphore in this process; the semaphore itself lives on for other processes. */
    @Override
    public void close() {
        counter.close();
    }

}
