package dev.mproc.ipc;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.sync.Lock;

/**
 * A {@code double} shared by processes: Python's {@code multiprocessing.Value('d', ...)}. Every
 * operation is atomic across all threads of all processes attached to it, without any lock; the
 * value is stored as its raw IEEE 754 bits in one aligned 64-bit word.
 * <p>
 * {@link #compareAndSet} compares <em>bit patterns</em>, as
 * {@link java.lang.invoke.VarHandle#compareAndSet} on a {@code double} does, not with {@code ==}:
 * {@code 0.0} and {@code -0.0} are different values to it, and a NaN matches a NaN with the same
 * bits (every NaN produced by Java arithmetic and {@link Double#NaN} have the same bits).
 * <p>
 * {@link #getLock()} returns a cross-process {@link Lock} that belongs to this value, as Python's
 * {@code get_lock()} does. The lock is advisory: the atomic operations never take it.
 * <p>
 * A {@code SharedDouble} is a small serialisable handle: a task that captures it attaches to the
 * same value file in the process that runs it. {@link #close()} unmaps this handle only.
 * <p>
 * Memory consistency effects: every read is a volatile read and every write or update a
 * volatile write of the shared memory, so actions in a thread (of any process) prior to a
 * {@code set} or a successful update <i>happen-before</i> actions following a read of the value
 * it wrote in another thread of any process. Taking and releasing {@link #getLock()} gives the
 * guarantees of {@link Lock}.
 */
public final class SharedDouble implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a shared double file. */
    public static final RegionKind KIND = RegionKind.of("VDBL");

    private static final SharedType TYPE = SharedType.value("SharedDouble", KIND, "double");
    private static final long VALUE = SharedValueLayout.VALUE_OFFSET;

    private final String file;
    private final transient SharedHandle handle;
    // A copy of the handle's, so that an access loads no more fields than if this class held
    // everything itself: accesses are the hot path.
    private final transient MappedRegion region;

    private SharedDouble(final SharedHandle handle) {
        this.file = handle.file().toString();
        this.handle = handle;
        this.region = handle.region;
    }

    /**
     * @param namespace    where the value file goes
     * @param initialValue the value it starts with
     * @return a new shared double with a generated name
     */
    public static SharedDouble create(final Namespace namespace, final double initialValue) {
        return new SharedDouble(TYPE.createValue(namespace,
            region -> region.putLong(VALUE, Double.doubleToRawLongBits(initialValue))));
    }

    /**
     * Creates the shared double of that name, or attaches to it if it exists, in which case
     * {@code initialValue} is ignored.
     *
     * @param namespace    where the value file goes
     * @param name         the value's name in the namespace
     * @param initialValue the value it starts with, if created
     * @return the shared double of that name
     */
    public static SharedDouble create(final Namespace namespace, final String name, final double initialValue) {
        return new SharedDouble(TYPE.createOrAttachValue(namespace, name,
            region -> region.putLong(VALUE, Double.doubleToRawLongBits(initialValue))));
    }

    /**
     * @param file a shared double file
     * @return a new handle on that value
     */
    public static SharedDouble attach(final Path file) {
        return new SharedDouble(TYPE.attach(file));
    }

    /**
     * @return the current value
     */
    public double get() {
        return Double.longBitsToDouble(region.getLongVolatile(VALUE));
    }

    /**
     * @param value the new value
     */
    public void set(final double value) {
        region.putLongVolatile(VALUE, Double.doubleToRawLongBits(value));
    }

    /**
     * @param value the new value
     * @return the previous value
     */
    public double getAndSet(final double value) {
        return Double.longBitsToDouble(region.getAndSetLong(VALUE, Double.doubleToRawLongBits(value)));
    }

    /**
     * Sets the value to {@code newValue} if its bits are those of {@code expectedValue} (see the
     * class comment: {@code -0.0} does not match {@code 0.0}, NaN matches the same NaN).
     *
     * @param expectedValue the value expected, compared bit for bit
     * @param newValue      the new value
     * @return true if the value had the bits of {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(final double expectedValue, final double newValue) {
        return region.compareAndSetLong(VALUE, Double.doubleToRawLongBits(expectedValue),
            Double.doubleToRawLongBits(newValue));
    }

    /**
     * Adds atomically (a compare-and-set loop: the sum is computed from the value it replaces).
     *
     * @param delta the amount to add
     * @return the previous value
     */
    public double getAndAdd(final double delta) {
        return handle.getAndAddDouble(VALUE, delta);
    }

    /**
     * Adds atomically, as {@link #getAndAdd}.
     *
     * @param delta the amount to add
     * @return the updated value
     */
    public double addAndGet(final double delta) {
        return handle.getAndAddDouble(VALUE, delta) + delta;
    }

    /**
     * The lock of this value, Python's {@code get_lock()}, as {@link SharedInt#getLock()}: a
     * {@link Lock} in its own file beside the value's, the same for every handle in every process,
     * advisory (the atomic operations of this class do not take it), and unmapped by
     * {@link #close()}; do not close it yourself.
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
