package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

/**
 * A re-entrant lock shared by processes: Python's {@code multiprocessing.RLock}, as a
 * {@link java.util.concurrent.locks.Lock}. The holding thread may take it again; holds are
 * counted per (process, thread) and the lock is released when the count returns to zero.
 * Only the holding thread may release it ({@link IllegalMonitorStateException} otherwise).
 * <p>
 * <b>Robust</b>, as {@link Lock} is: if the holding process dies, a waiter takes the lock over
 * within about 100 ms (at most 1 s with the default sleep slice) and {@link #previousHolderDied()} tells it so; the holder is
 * recorded as pid plus start time, so a recycled pid is never mistaken for it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) before the release that
 * brings the hold count to zero <i>happen-before</i> actions after a subsequent successful
 * acquisition of the same lock in any thread of any process. Taking the lock over from a dead
 * holder gives no guarantee about the dead holder's last writes.
 */
public final class RLock implements java.util.concurrent.locks.Lock, AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a lock file. */
    public static final RegionKind KIND = RegionKind.of("RLCK");

    private final String file;
    private final transient RobustMutex mutex;

    private RLock(final MappedRegion region) {
        this(region, null);
    }

    private RLock(final MappedRegion region, final WaitStrategy strategy) {
        this.file = region.file().toString();
        this.mutex = new RobustMutex(region, true, strategy);
    }

    /**
     * @param namespace where the lock file goes
     * @return a new lock with a generated name
     */
    public static RLock create(final Namespace namespace) {
        return new RLock(namespace.createRegion(namespace.uniqueName("rlock"), KIND, MutexLayout.LAYOUT_VERSION,
            MutexLayout.LENGTH, region -> { }));
    }

    /**
     * @param namespace where the lock file goes
     * @param name      the lock's name in the namespace
     * @return the lock of that name, created if absent
     */
    public static RLock create(final Namespace namespace, final String name) {
        return new RLock(namespace.createOrAttachRegion(name, KIND, MutexLayout.LAYOUT_VERSION,
            MutexLayout.LENGTH, region -> { }));
    }

    /**
     * @param file a lock file
     * @return a handle on that lock
     */
    public static RLock attach(final Path file) {
        return new RLock(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND, MutexLayout.LAYOUT_VERSION));
    }

    /**
     * A second handle on the same lock whose blocking calls wait with {@code strategy} (for
     * example {@link dev.mproc.core.WaitStrategies#sleeping()} for waiters that should not spin,
     * or {@link dev.mproc.core.WaitStrategies#busySpin()} where each waiter owns a core). Handles
     * are not serialised with their strategy: a deserialised handle uses the default.
     *
     * @param strategy how blocked callers of the new handle wait
     * @return a new handle on this lock
     */
    public RLock withWaitStrategy(final WaitStrategy strategy) {
        return new RLock(MappedRegion.attach(Path.of(file), KIND, MutexLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
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
     * Takes the lock if it is free now, already held by this thread, or its holder is found
     * dead, without waiting.
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
     * @return how many holds the current thread has (0 if it does not hold the lock)
     */
    public int getHoldCount() {
        return mutex.holdCount();
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

    @Serial
    private Object readResolve() {
        return attach(Path.of(file));
    }

    @Override
    public String toString() {
        return "RLock[" + file + (isLocked() ? ", locked by pid " + holderPid().orElse(0L) : ", unlocked") + "]";
    }
}
