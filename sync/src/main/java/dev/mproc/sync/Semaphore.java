package dev.mproc.sync;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}, with the
 * method names of {@link java.util.concurrent.Semaphore}. It holds a number of permits;
 * {@link #acquire()} takes one, waiting until one is available, and {@link #release()} gives one
 * back. Permits are not owned: any thread of any process may release, including one that never
 * acquired (use a {@link Lock} for ownership). The count starts at the initial permits and may
 * grow beyond them through releases, up to {@link Integer#MAX_VALUE}.
 * <p>
 * Not fair: there is no queue, and a thread waiting for many permits may be overtaken by threads
 * waiting for few, as with a non-fair {@link java.util.concurrent.Semaphore}. All blocking forms
 * are interruptible; an interrupted thread does not acquire even if permits are available.
 * <p>
 * <b>Not robust:</b> a process that dies holding permits does not give them back. The semaphore
 * cannot know who holds what (that is the point of an ownerless count), so the permits are lost
 * until someone releases them on the dead process's behalf. A thread that dies while waiting
 * takes nothing with it.
 * <p>
 * A {@code Semaphore} is a small serialisable handle: a task that captures it attaches to the
 * same semaphore file in the process that runs it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) prior to calling a "release"
 * method such as {@code release()} <i>happen-before</i> actions following a successful "acquire"
 * method such as {@code acquire()} in another thread of any process attached to the semaphore.
 */
/*
 * Algorithm: see PermitCounter. The permit count is the futex word; acquire is a CAS loop that
 * waits (spin, then futex sleep in slices) while fewer than n permits are available; release is
 * a CAS loop followed by waking every sleeper.
 */
public final class Semaphore extends PermitHandle {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a semaphore file. */
    public static final RegionKind KIND = RegionKind.of("SEMA");

    private Semaphore(final MappedRegion region, final WaitStrategy strategy) {
        super(region, false, strategy);
    }

    /**
     * @param namespace where the semaphore file goes
     * @param permits   the initial number of permits, at least 0
     * @return a new semaphore with a generated name
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore create(final Namespace namespace, final int permits) {
        PermitCounter.checkInitial(permits);
        return new Semaphore(namespace.createRegion(namespace.uniqueName("semaphore"), KIND,
            SemaphoreLayout.LAYOUT_VERSION, SemaphoreLayout.LENGTH, region -> initialise(region, permits)), null);
    }

    /**
     * @param namespace where the semaphore file goes
     * @param name      the semaphore's name in the namespace
     * @param permits   the initial number of permits if it is created (ignored when attaching to
     *                  an existing semaphore, whose count has its own history)
     * @return the semaphore of that name, created if absent
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore create(final Namespace namespace, final String name, final int permits) {
        PermitCounter.checkInitial(permits);
        return new Semaphore(namespace.createOrAttachRegion(name, KIND, SemaphoreLayout.LAYOUT_VERSION,
            SemaphoreLayout.LENGTH, region -> initialise(region, permits)), null);
    }

    /**
     * @param file a semaphore file
     * @return a handle on that semaphore
     */
    public static Semaphore attach(final Path file) {
        return new Semaphore(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            SemaphoreLayout.LAYOUT_VERSION), null);
    }

    static void initialise(final MappedRegion region, final int permits) {
        region.putInt(SemaphoreLayout.PERMITS_OFFSET, permits);
        region.putInt(SemaphoreLayout.INITIAL_PERMITS_OFFSET, permits);
    }

    /**
     * A second handle on the same semaphore whose blocking calls wait with {@code strategy} (for
     * example {@link dev.mproc.core.WaitStrategies#sleeping()} for waiters that should not spin).
     * Handles are not serialised with their strategy: a deserialised handle uses the default.
     *
     * @param strategy how blocked callers of the new handle wait
     * @return a new handle on this semaphore
     */
    public Semaphore withWaitStrategy(final WaitStrategy strategy) {
        return new Semaphore(MappedRegion.attach(file(), KIND, SemaphoreLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    @Serial
    private Object readResolve() {
        return attach(file());
    }

    @Override
    public String toString() {
        return "Semaphore[" + file() + ", permits " + availablePermits() + "]";
    }
}
