package dev.mproc.sync;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

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
public final class RLock extends OwnedLock {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a lock file. */
    public static final RegionKind KIND = RegionKind.of("RLCK");

    private RLock(final MappedRegion region) {
        this(region, null);
    }

    private RLock(final MappedRegion region, final WaitStrategy strategy) {
        super(region, true, strategy);
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
        return new RLock(MappedRegion.attach(file(), KIND, MutexLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * @return how many holds the current thread has (0 if it does not hold the lock)
     */
    public int getHoldCount() {
        return mutex().holdCount();
    }

    @Serial
    private Object readResolve() {
        return attach(file());
    }
}
