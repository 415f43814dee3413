package dev.mproc.ipc;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.sync.Lock;

/**
 * A {@code long} shared by processes: Python's {@code multiprocessing.Value('q', ...)}, with the
 * methods of {@link java.util.concurrent.atomic.AtomicLong}. Every operation is atomic across
 * all threads of all processes attached to it, without any lock.
 * <p>
 * {@link #getLock()} returns a cross-process {@link Lock} that belongs to this value, as Python's
 * {@code get_lock()} does. The lock is advisory: the atomic operations never take it, so it only
 * excludes code that takes it too, for compound updates such as "read, compute, write" that one
 * atomic call does not cover.
 * <p>
 * A {@code SharedLong} is a small serialisable handle: a task that captures it attaches to the
 * same value file in the process that runs it. {@link #close()} unmaps this handle only; the
 * value lives as long as its file (until its namespace is removed).
 * <p>
 * Memory consistency effects: as for {@link java.util.concurrent.atomic.AtomicLong}: every
 * read is a volatile read and every write or update a volatile write of the shared memory, so
 * actions in a thread (of any process) prior to a {@code set} or a successful update
 * <i>happen-before</i> actions following a read of the value it wrote in another thread of any
 * process. Taking and releasing {@link #getLock()} gives the guarantees of {@link Lock}.
 */
public final class SharedLong implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a shared long file. */
    public static final RegionKind KIND = RegionKind.of("VLNG");

    private static final SharedType TYPE = SharedType.value("SharedLong", KIND, "long");
    private static final long VALUE = SharedValueLayout.VALUE_OFFSET;

    private final String file;
    private final transient SharedHandle handle;
    // A copy of the handle's, so that an access loads no more fields than if this class held
    // everything itself: accesses are the hot path.
    private final transient MappedRegion region;

    private SharedLong(final SharedHandle handle) {
        this.file = handle.file().toString();
        this.handle = handle;
        this.region = handle.region;
    }

    /**
     * @param namespace    where the value file goes
     * @param initialValue the value it starts with
     * @return a new shared long with a generated name
     */
    public static SharedLong create(final Namespace namespace, final long initialValue) {
        return new SharedLong(TYPE.createValue(namespace, region -> region.putLong(VALUE, initialValue)));
    }

    /**
     * Creates the shared long of that name, or attaches to it if it exists, in which case
     * {@code initialValue} is ignored.
     *
     * @param namespace    where the value file goes
     * @param name         the value's name in the namespace
     * @param initialValue the value it starts with, if created
     * @return the shared long of that name
     */
    public static SharedLong create(final Namespace namespace, final String name, final long initialValue) {
        return new SharedLong(TYPE.createOrAttachValue(namespace, name, region -> region.putLong(VALUE, initialValue)));
    }

    /**
     * @param file a shared long file
     * @return a new handle on that value
     */
    public static SharedLong attach(final Path file) {
        return new SharedLong(TYPE.attach(file));
    }

    /**
     * @return the current value
     */
    public long get() {
        return region.getLongVolatile(VALUE);
    }

    /**
     * @param value the new value
     */
    public void set(final long value) {
        region.putLongVolatile(VALUE, value);
    }

    /**
     * @param value the new value
     * @return the previous value
     */
    public long getAndSet(final long value) {
        return region.getAndSetLong(VALUE, value);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}.
     *
     * @param expectedValue the value expected
     * @param newValue      the new value
     * @return true if the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(final long expectedValue, final long newValue) {
        return region.compareAndSetLong(VALUE, expectedValue, newValue);
    }

    /**
     * @param delta the amount to add (wraps around on overflow, as {@code long} arithmetic)
     * @return the previous value
     */
    public long getAndAdd(final long delta) {
        return region.getAndAddLong(VALUE, delta);
    }

    /**
     * @param delta the amount to add (wraps around on overflow, as {@code long} arithmetic)
     * @return the updated value
     */
    public long addAndGet(final long delta) {
        return region.getAndAddLong(VALUE, delta) + delta;
    }

    /**
     * @return the updated value
     */
    public long incrementAndGet() {
        return region.getAndAddLong(VALUE, 1) + 1;
    }

    /**
     * @return the previous value
     */
    public long getAndIncrement() {
        return region.getAndAddLong(VALUE, 1);
    }

    /**
     * @return the updated value
     */
    public long decrementAndGet() {
        return region.getAndAddLong(VALUE, -1) - 1;
    }

    /**
     * @return the previous value
     */
    public long getAndDecrement() {
        return region.getAndAddLong(VALUE, -1);
    }

    /**
     * The lock of this value, Python's {@code get_lock()}: a {@link Lock} in its own file beside
     * the value's ({@code <file>.lock}), created on the first call in any process; every handle of
     * this value, in every process, returns the same lock. It is advisory: the atomic operations
     * of this class do not take it. The handle returned belongs to this handle and is unmapped
     * by {@link #close()}; do not close it yourself.
     *
     * @return the value's lock
     * @throws IllegalStateException if this handle is closed and never mapped the lock
     */
    public Lock getLock() {
        return handle.lock();
    }

    /**
     * @return the value's file
     */
    public Path file() {
        return handle.file();
    }

    /**
     * Unmaps the value (and its lock, if {@link #getLock()} mapped it) in this handle; the value
     * lives on for other handles and processes. Later calls on this handle throw
     * {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        handle.close();
    }

    @Serial
    private Object readResolve() {
        return attach(Path.of(file));
    }

    @Override
    public String toString() {
        return handle.describe(handle.isClosed() ? ", closed" : ", value " + get());
    }
}
