package dev.mproc.sync;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.ProcessIdentity;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * The robust, owned mutex behind {@link Lock} and {@link RLock}, in the region laid out by
 * {@link MutexLayout}.
 */
/*
 * Algorithm.
 *
 * Acquire: CAS the owner word from 0 to this process's token (pid | startTime32 << 32). On
 * failure wait with the strategy on the futex half of the word; the wait condition retries the
 * CAS, and at most every LIVENESS_CHECK_NANOS it also checks whether the process named by the
 * word is alive. If it is not, it CASes the dead holder's word to our token (only one waiter can
 * win that CAS) and the new hold is marked as recovered.
 *
 * Release: clear the process-local owner, store 0 in the owner word with volatile semantics (a
 * sequentially consistent store, so that the following read of the sleeper count cannot be
 * reordered before it), then FUTEX_WAKE one sleeper if any announced itself.
 *
 * Bound on recovery: a waiter asleep on the futex wakes at least every sleep slice (10 ms by
 * default), evaluates its condition twice per slice and reads the clock every 8th evaluation, and
 * checks liveness at most every 50 ms; reading /proc/<pid>/stat takes tens of microseconds. So a
 * dead holder is replaced 50-100 ms after its death with the default slice, and within 1 s even
 * on a badly overloaded machine. (A slice raised with -Dmproc.wait.sliceNanos stretches this to
 * about four slices.) A process that dies is gone as soon as the kernel has reaped it or
 * made it a zombie (ProcessIdentity treats zombies as dead).
 */
final class RobustMutex {
    static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final long TOKEN = tokenOf(ProcessIdentity.current());

    private final MappedRegion region;
    /** Body offset of the mutex block (0 for a Lock file; elsewhere when embedded, see RegionMutex). */
    private final long base;
    private final WaitWord word;
    private final OwnerState local;
    private final boolean reentrant;
    private final WaitStrategy strategy;
    /** When this handle may next read /proc for the holder's liveness (racy by design). */
    private long nextLivenessCheck = System.nanoTime();

    RobustMutex(final MappedRegion region, final boolean reentrant, final WaitStrategy strategy) {
        this(region, 0, reentrant, strategy);
    }

    RobustMutex(final MappedRegion region, final long base, final boolean reentrant, final WaitStrategy strategy) {
        this.region = region;
        this.base = base;
        this.word = new WaitWord(region.segment(), base + MutexLayout.FUTEX_WORD_OFFSET,
            base + MutexLayout.SLEEPERS_OFFSET, Futex.system());
        this.local = OwnerState.forFile(base == 0 ? region.file().toString() : region.file() + "@" + base);
        this.reentrant = reentrant;
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
    }

    static long tokenOf(final ProcessIdentity identity) {
        return identity.token();
    }

    MappedRegion region() {
        return region;
    }

    // ---------------------------------------------------------------------------------------------
    // Acquiring
    // ---------------------------------------------------------------------------------------------

    void lock() {
        if (enterIfHeld()) {
            return;
        }
        if (region.compareAndSetLong(base + MutexLayout.OWNER_OFFSET, 0, TOKEN)) {
            own(false);
            return;
        }
        final Acquirer acquirer = new Acquirer();
        strategy.awaitUninterruptibly(word, acquirer);
        own(acquirer.recovered);
    }

    void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (enterIfHeld()) {
            return;
        }
        if (region.compareAndSetLong(base + MutexLayout.OWNER_OFFSET, 0, TOKEN)) {
            own(false);
            return;
        }
        final Acquirer acquirer = new Acquirer();
        strategy.await(word, acquirer, WaitStrategy.FOREVER, true);
        own(acquirer.recovered);
    }

    boolean tryLock() {
        if (local.owner() == Thread.currentThread()) {
            if (!reentrant) {
                return false;
            }
            local.holds++;
            return true;
        }
        final Acquirer acquirer = new Acquirer();
        if (acquirer.isSatisfied()) {
            own(acquirer.recovered);
            return true;
        }
        return false;
    }

    boolean tryLock(final long timeout, final TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (local.owner() == Thread.currentThread()) {
            if (!reentrant) {
                return false;
            }
            local.holds++;
            return true;
        }
        final Acquirer acquirer = new Acquirer();
        if (strategy.await(word, acquirer, Math.max(0, unit.toNanos(timeout)), true)) {
            own(acquirer.recovered);
            return true;
        }
        return false;
    }

    /**
     * As {@link #tryLock(long, TimeUnit)} for a non-re-entrant holder, but also gives up when
     * {@code cancelled} returns true (checked at least once per sleep slice): how a queue handle
     * closed by another thread releases the threads blocked on its mutex.
     */
    boolean tryLock(final long timeoutNanos, final java.util.function.BooleanSupplier cancelled)
        throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (enterIfHeld()) {
            return true;
        }
        // Uncontended: one CAS, no allocation.
        if (region.compareAndSetLong(base + MutexLayout.OWNER_OFFSET, 0, TOKEN)) {
            own(false);
            return true;
        }
        final Acquirer acquirer = new Acquirer();
        final WaitCondition acquiredOrCancelled = () -> acquirer.isSatisfied() || cancelled.getAsBoolean();
        if (strategy.await(word, acquiredOrCancelled, Math.max(0, timeoutNanos), true) && acquirer.acquired) {
            own(acquirer.recovered);
            return true;
        }
        return false;
    }

    /** Re-entry by the holding thread: counted for RLock, refused for Lock (it would deadlock). */
    private boolean enterIfHeld() {
        if (local.owner() != Thread.currentThread()) {
            return false;
        }
        if (!reentrant) {
            throw new IllegalMonitorStateException("Lock " + region.file()
                + " is already held by this thread and is not re-entrant (use an RLock)");
        }
        local.holds++;
        return true;
    }

    private void own(final boolean recovered) {
        local.holds = 1;
        local.recovered = recovered;
        local.owner(Thread.currentThread());
        if (recovered) {
            region.getAndAddLong(base + MutexLayout.RECOVERIES_OFFSET, 1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Releasing
    // ---------------------------------------------------------------------------------------------

    void unlock() {
        checkHeld();
        if (--local.holds > 0) {
            return;
        }
        release();
    }

    private void release() {
        local.recovered = false;
        local.owner(null);
        // Volatile: the store must be globally visible before the sleeper count is read.
        region.putLongVolatile(base + MutexLayout.OWNER_OFFSET, 0);
        // At most one wake in flight: while a woken waiter has not yet run (on a busy machine it
        // may wait for a CPU for milliseconds), further releases do not enter the kernel to wake
        // more waiters that would only find the lock taken again. The woken waiter clears the
        // flag when it evaluates, so the next release wakes again. A waiter that is never woken
        // (its wake went to a process that died asleep) still re-evaluates every sleep slice.
        if (word.sleepers() > 0 && region.getIntVolatile(base + MutexLayout.WAKE_PENDING_OFFSET) == 0) {
            region.putIntVolatile(base + MutexLayout.WAKE_PENDING_OFFSET, 1);
            word.wakeOne();
        }
    }

    private void checkHeld() {
        if (local.owner() != Thread.currentThread()) {
            throw new IllegalMonitorStateException((reentrant ? "RLock " : "Lock ") + region.file()
                + " is not held by the current thread (" + Thread.currentThread().getName() + ")");
        }
    }

    /** For Condition.await: releases every hold and returns how many there were. */
    int releaseFully() {
        checkHeld();
        final int holds = local.holds;
        local.holds = 0;
        release();
        return holds;
    }

    /** For Condition.await: takes the lock back, uninterruptibly, with the saved hold count. */
    void reacquire(final int holds) {
        lock();
        local.holds = holds;
    }

    // ---------------------------------------------------------------------------------------------
    // Queries
    // ---------------------------------------------------------------------------------------------

    boolean isLocked() {
        return region.getLongVolatile(base + MutexLayout.OWNER_OFFSET) != 0;
    }

    boolean isHeldByCurrentThread() {
        return local.owner() == Thread.currentThread();
    }

    int holdCount() {
        return isHeldByCurrentThread() ? local.holds : 0;
    }

    boolean previousHolderDied() {
        return isHeldByCurrentThread() && local.recovered;
    }

    long recoveries() {
        return region.getLongVolatile(base + MutexLayout.RECOVERIES_OFFSET);
    }

    /**
     * @return the pid of the holding process, or empty when free
     */
    Optional<Long> holderPid() {
        final long owner = region.getLongVolatile(base + MutexLayout.OWNER_OFFSET);
        return owner == 0 ? Optional.empty() : Optional.of(owner & 0xFFFF_FFFFL);
    }

    /** @return the raw owner word (pid | start time low bits << 32), 0 when free */
    long ownerWord() {
        return region.getLongVolatile(base + MutexLayout.OWNER_OFFSET);
    }

    static boolean isAlive(final long owner) {
        return ProcessIdentity.isAlive(owner);
    }

    /** The wait condition: take the lock if free, or from a holder found dead. */
    private final class Acquirer implements WaitCondition {
        boolean recovered;
        boolean acquired;
        private int evaluations;

        @Override
        public boolean isSatisfied() {
            if (region.getIntOpaque(base + MutexLayout.WAKE_PENDING_OFFSET) != 0) {
                region.putIntVolatile(base + MutexLayout.WAKE_PENDING_OFFSET, 0);
            }
            final long owner = region.getLongVolatile(base + MutexLayout.OWNER_OFFSET);
            if (owner == 0) {
                acquired = region.compareAndSetLong(base + MutexLayout.OWNER_OFFSET, 0, TOKEN);
                return acquired;
            }
            // The clock is read on the first evaluation and then every 8th: cheap while spinning,
            // and often enough while asleep (two evaluations per sleep slice, so every 4 slices,
            // 40 ms by default). /proc is read at most every LIVENESS_CHECK_NANOS per handle,
            // whichever call (lock, tryLock) gets there.
            if (owner == TOKEN || (evaluations++ & 7) != 0) {
                return false;
            }
            final long now = System.nanoTime();
            if (now - nextLivenessCheck < 0) {
                return false;
            }
            nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            if (!isAlive(owner) && region.compareAndSetLong(base + MutexLayout.OWNER_OFFSET, owner, TOKEN)) {
                recovered = true;
                acquired = true;
                return true;
            }
            return false;
        }
    }
}
