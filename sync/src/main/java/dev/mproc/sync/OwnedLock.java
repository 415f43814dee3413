package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategy;

/**
 * What {@link Lock} and {@link RLock} have in common: a serialisable handle on a robust mutex
 * file ({@link RobustMutex}), and every method that only delegates to it. The two public classes
 * add their kind, their factories and what differs (re-entry, hold counts). Sealed, so that the
 * only locks a {@link Condition} can be bound to are these two.
 */
abstract sealed class OwnedLock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable
    permits Lock, RLock {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String file;
    private final transient RobustMutex mutex;

    OwnedLock(final MappedRegion region, final boolean reentrant, final WaitStrategy strategy) {
        this.file = region.file().toString();
        this.mutex = new RobustMutex(region, reentrant, strategy);
    }

    /** Takes the lock, waiting as long as it takes; interrupts are kept for later. */
    @Override
    public void lock() {
        mutex.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        mutex.lockInterruptibly();
    }

    /**
     * Takes the lock if it is free now (or its holder is found dead), without waiting; an
     * {@link RLock} is also taken again by the thread holding it.
     *
     * @return true if taken
     */
    @Override
    public boolean tryLock() {
        return mutex.tryLock();
    }

    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException {
        return mutex.tryLock(time, unit);
    }

    /**
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void unlock() {
        mutex.unlock();
    }

    /**
     * @return a new cross-process condition bound to this lock, in the lock's namespace
     */
    @Override
    public Condition newCondition() {
        return Condition.create(Namespace.attach(Path.of(file).getParent()), this);
    }

    /**
     * @return true if some thread of some process holds the lock
     */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /**
     * @return true if the current thread holds the lock
     */
    public boolean isHeldByCurrentThread() {
        return mutex.isHeldByCurrentThread();
    }

    /**
     * @return true if the current thread holds the lock and took it over from a holder that died
     *         while holding it; the data the lock guards may be inconsistent
     */
    public boolean previousHolderDied() {
        return mutex.previousHolderDied();
    }

    /**
     * @return how many times, over the lock's life, a dead holder was replaced
     */
    public long recoveries() {
        return mutex.recoveries();
    }

    /**
     * @return the pid of the process holding the lock, or empty if it is free
     */
    public Optional<Long> holderPid() {
        return mutex.holderPid();
    }

    /**
     * @return the lock's file
     */
    public Path file() {
        return Path.of(file);
    }

    RobustMutex mutex() {
        return mutex;
    }

    /** Unmaps the lock in this process; the lock itself lives on for other processes. */
    @Override
    public void close() {
        mutex.region().close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + file
            + (isLocked() ? ", locked by pid " + holderPid().orElse(0L) : ", unlocked") + "]";
    }

}
