package dev.mproc.sync;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

/**
 * A semaphore whose count may never exceed its initial value, shared by processes: Python's
 * {@code multiprocessing.BoundedSemaphore}. It behaves as {@link Semaphore} except that a release
 * that would take the count above the initial value (the bound) throws
 * {@link IllegalStateException} and releases nothing: releasing more than was acquired is almost
 * always a bug, and this turns it into an error at the faulty call rather than a slow leak of
 * extra permits. Asking for more permits than the bound, which could never succeed, throws
 * {@link IllegalArgumentException} instead of waiting forever.
 * <p>
 * Not fair, and all blocking forms are interruptible, as for {@link Semaphore}.
 * <p>
 * <b>Not robust:</b> a process that dies holding permits does not give them back; they are lost
 * until someone releases them on its behalf (which the bound still permits, since the count is
 * below it).
 * <p>
 * A {@code BoundedSemaphore} is a small serialisable handle: a task that captures it attaches to
 * the same file in the process that runs it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) prior to calling a "release"
 * method such as {@code release()} <i>happen-before</i> actions following a successful "acquire"
 * method such as {@code acquire()} in another thread of any process attached to the semaphore.
 * A release refused with {@link IllegalStateException} has no memory effect.
 */
/*
 * Algorithm: see PermitCounter, shared with Semaphore. The bound is the initial count, stored in
 * the region at creation; the release CAS loop checks available + n <= bound against the value it
 * is about to replace, so the check and the update are one atomic step and a refused release
 * leaves the count untouched.
 */
public final class BoundedSemaphore extends PermitHandle {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a bounded-semaphore file. */
    public static final RegionKind KIND = RegionKind.of("BSEM");

    private BoundedSemaphore(final MappedRegion region, final WaitStrategy strategy) {
        super(region, true, strategy);
    }

    /**
     * @param namespace where the semaphore file goes
     * @param permits   the initial number of permits, which is also the bound; at least 0
     * @return a new bounded semaphore with a generated name
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static BoundedSemaphore create(final Namespace namespace, final int permits) {
        PermitCounter.checkInitial(permits);
        return new BoundedSemaphore(namespace.createRegion(namespace.uniqueName("bsemaphore"), KIND,
            SemaphoreLayout.LAYOUT_VERSION, SemaphoreLayout.LENGTH,
            region -> Semaphore.initialise(region, permits)), null);
    }

    /**
     * @param namespace where the semaphore file goes
     * @param name      the semaphore's name in the namespace
     * @param permits   the initial number of permits and bound
     * @return the bounded semaphore of that name, created if absent
     * @throws IllegalArgumentException if {@code permits} is negative, or if a semaphore of that
     *                                  name exists with another bound
     */
    public static BoundedSemaphore create(final Namespace namespace, final String name, final int permits) {
        PermitCounter.checkInitial(permits);
        final MappedRegion region = namespace.createOrAttachRegion(name, KIND, SemaphoreLayout.LAYOUT_VERSION,
            SemaphoreLayout.LENGTH, r -> Semaphore.initialise(r, permits));
        final int bound = region.getInt(SemaphoreLayout.INITIAL_PERMITS_OFFSET);
        if (bound != permits) {
            region.close();
            throw new IllegalArgumentException("BoundedSemaphore " + region.file()
                + " exists with another bound: bound=" + bound + " permits=" + permits);
        }
        return new BoundedSemaphore(region, null);
    }

    /**
     * @param file a bounded-semaphore file
     * @return a handle on that semaphore
     */
    public static BoundedSemaphore attach(final Path file) {
        return new BoundedSemaphore(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            SemaphoreLayout.LAYOUT_VERSION), null);
    }

    /**
     * A second handle on the same semaphore whose blocking calls wait with {@code strategy}.
     * Handles are not serialised with their strategy: a deserialised handle uses the default.
     *
     * @param strategy how blocked callers of the new handle wait
     * @return a new handle on this semaphore
     */
    public BoundedSemaphore withWaitStrategy(final WaitStrategy strategy) {
        return new BoundedSemaphore(MappedRegion.attach(file(), KIND, SemaphoreLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * @return the bound: the initial number of permits, which releases may not exceed
     */
    public int bound() {
        return counter().initialPermits();
    }

    @Serial
    private Object readResolve() {
        return attach(file());
    }

    @Override
    public String toString() {
        return "BoundedSemaphore[" + file() + ", permits " + availablePermits() + " of " + bound() + "]";
    }
}
