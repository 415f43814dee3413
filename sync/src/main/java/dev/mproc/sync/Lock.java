package dev.mproc.sync;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

/**
 * A mutual-exclusion lock shared by processes: Python's {@code multiprocessing.Lock}, as a
 * {@link java.util.concurrent.locks.Lock}. It is owned: only the thread that took it may release
 * it ({@link IllegalMonitorStateException} otherwise), and it is not re-entrant (taking it again
 * from the holding thread throws rather than deadlocks; use {@link RLock} for that).
 * <p>
 * <b>Robust.</b> If the holding process dies (SIGKILL, {@code Runtime.halt}, a crash) the lock
 * is not lost: a waiter finds the holder dead, takes the lock over, and
 * {@link #previousHolderDied()} tells the new holder so, so that it can repair whatever the lock
 * guarded. A waiter notices the death within about 100 ms (sleep slice 10 ms, liveness checked at
 * most every 50 ms) and in any case within 1 s with the default sleep slice. The holder is recorded as pid plus start time in
 * the same atomic step that takes the lock, so a pid recycled by an unrelated process is never
 * mistaken for the dead holder. A thread that ends without unlocking, in a process that lives
 * on, keeps the lock, as with {@link java.util.concurrent.locks.ReentrantLock}.
 * <p>
 * A {@code Lock} is a small serialisable handle: a task that captures it attaches to the same
 * lock file in the process that runs it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) before releasing the lock
 * <i>happen-before</i> actions after a subsequent successful acquisition of the same lock in any
 * thread of any process attached to it. Taking the lock over from a dead holder gives no such
 * guarantee about the dead holder's last writes, which may be incomplete: that is what
 * {@link #previousHolderDied()} is for.
 */
public final class Lock extends OwnedLock {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a lock file. */
    public static final RegionKind KIND = RegionKind.of("LOCK");

    private Lock(final MappedRegion region) {
        this(region, null);
    }

    private Lock(final MappedRegion region, final WaitStrategy strategy) {
        super(region, false, strategy);
    }

    /**
     * @param namespace where the lock file goes
     * @return a new lock with a generated name
     */
    public static Lock create(final Namespace namespace) {
        return new Lock(namespace.createRegion(namespace.uniqueName("lock"), KIND, MutexLayout.LAYOUT_VERSION,
            MutexLayout.LENGTH, region -> { }));
    }

    /**
     * @param namespace where the lock file goes
     * @param name      the lock's name in the namespace
     * @return the lock of that name, created if absent
     */
    public static Lock create(final Namespace namespace, final String name) {
        return new Lock(namespace.createOrAttachRegion(name, KIND, MutexLayout.LAYOUT_VERSION,
            MutexLayout.LENGTH, region -> { }));
    }

    /**
     * @param file a lock file
     * @return a handle on that lock
     */
    public static Lock attach(final Path file) {
        return new Lock(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND, MutexLayout.LAYOUT_VERSION));
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
    public Lock withWaitStrategy(final WaitStrategy strategy) {
        return new Lock(MappedRegion.attach(file(), KIND, MutexLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    @Serial
    private Object readResolve() {
        return attach(file());
    }
}
