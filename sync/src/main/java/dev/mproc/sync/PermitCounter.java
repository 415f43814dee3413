package dev.mproc.sync;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * The counting semaphore behind {@link Semaphore} and {@link BoundedSemaphore}, in the region
 * laid out by {@link SemaphoreLayout}; the two differ only in what a release may do: a bounded
 * one refuses to go above its initial count.
 */
/*
 * Algorithm.
 *
 * Acquire(n): CAS the permit word from p to p - n while p >= n. Otherwise wait with the strategy
 * on the permit word itself; the wait condition retries the same CAS loop, so a waiter that is
 * satisfied has already taken its permits (the strategy never evaluates a satisfied condition
 * twice). There is no queue: the semaphore is not fair, and a waiter for many permits can be
 * overtaken by waiters for few, as with a non-fair java.util.concurrent.Semaphore.
 *
 * Release(n): CAS the permit word from p to p + n, after checking that p + n fits in an int (and,
 * for a bounded semaphore, does not exceed the bound; the check and the update are one CAS, so a
 * refused release changes nothing). The CAS is a volatile write, so it is globally visible before
 * the sleeper count is read; then wake every sleeper, not one: waiters may want different counts,
 * and the one FUTEX_WAKE(1) would pick may want more than is now available while another, which
 * could proceed, sleeps on. Sleepers that lose the race for the permits sleep again.
 */
final class PermitCounter {
    private final MappedRegion region;
    private final WaitWord permits;
    private final WaitStrategy strategy;
    private final boolean bounded;
    private final int initialPermits;

    PermitCounter(final MappedRegion region, final boolean bounded, final WaitStrategy strategy) {
        this.region = region;
        this.permits = new WaitWord(region.segment(), SemaphoreLayout.PERMITS_OFFSET,
            SemaphoreLayout.SLEEPERS_OFFSET, Futex.system());
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
        this.bounded = bounded;
        // Written before the region was published (READY is a release store, attach an acquire
        // load) and never changed: a plain read is enough.
        this.initialPermits = region.getInt(SemaphoreLayout.INITIAL_PERMITS_OFFSET);
    }

    static void checkInitial(final int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("initial permits must not be negative: permits=" + permits);
        }
    }

    MappedRegion region() {
        return region;
    }

    Path file() {
        return region.file();
    }

    int initialPermits() {
        return initialPermits;
    }

    // ---------------------------------------------------------------------------------------------
    // Acquiring
    // ---------------------------------------------------------------------------------------------

    void acquire(final int n) throws InterruptedException {
        checkAcquire(n);
        // As java.util.concurrent: an interrupted thread does not acquire, even if it could.
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!take(n)) {
            strategy.await(permits, () -> take(n), WaitStrategy.FOREVER, true);
        }
    }

    boolean tryAcquire(final int n) {
        checkAcquire(n);
        return take(n);
    }

    boolean tryAcquire(final int n, final long timeout, final TimeUnit unit) throws InterruptedException {
        checkAcquire(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return take(n) || strategy.await(permits, () -> take(n), Math.max(0, unit.toNanos(timeout)), true);
    }

    /** Takes n permits if that many are available now; the CAS is the acquisition. */
    private boolean take(final int n) {
        int available = permits.get();
        while (available >= n) {
            final int witness = region.compareAndExchangeInt(SemaphoreLayout.PERMITS_OFFSET, available,
                available - n);
            if (witness == available) {
                return true;
            }
            available = witness;
        }
        return false;
    }

    private void checkAcquire(final int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permits to acquire must not be negative: permits=" + n);
        }
        if (bounded && n > initialPermits) {
            // It could never succeed: waiting would be a silent deadlock.
            throw new IllegalArgumentException("cannot acquire more permits than the bound: permits=" + n
                + " bound=" + initialPermits);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Releasing
    // ---------------------------------------------------------------------------------------------

    void release(final int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permits to release must not be negative: permits=" + n);
        }
        if (n == 0) {
            return;
        }
        int available = permits.get();
        while (true) {
            final long after = (long) available + n;
            if (bounded && after > initialPermits) {
                throw new IllegalStateException("BoundedSemaphore " + region.file()
                    + " released too many times: available=" + available + " release=" + n
                    + " bound=" + initialPermits);
            }
            if (after > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Maximum permit count exceeded: available=" + available
                    + " release=" + n + " max=" + Integer.MAX_VALUE);
            }
            // Volatile CAS: the new count is visible before wakeAll reads the sleeper count.
            final int witness = region.compareAndExchangeInt(SemaphoreLayout.PERMITS_OFFSET, available,
                (int) after);
            if (witness == available) {
                break;
            }
            available = witness;
        }
        permits.wakeAll();
    }

    int availablePermits() {
        return permits.get();
    }

    void close() {
        region.close();
    }
}
