package dev.mproc.ipc;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.sync.Lock;

/**
 * A fixed-length array of {@code int}s shared by processes: Python's
 * {@code multiprocessing.Array('i', ...)}, with the per-element methods of
 * {@link java.util.concurrent.atomic.AtomicIntegerArray}. Every element operation is atomic
 * across all threads of all processes attached to the array, without any lock.
 * <p>
 * {@link #segment()} exposes exactly the elements, for bulk work (copying, vector code, passing
 * to native code). Plain access through it is neither atomic with respect to the methods here
 * nor ordered across threads; use {@link #getLock()} or another synchronizer around it.
 * <p>
 * {@link #getLock()} returns a cross-process {@link Lock} that belongs to this array, as
 * Python's {@code get_lock()} does. The lock is advisory: the atomic operations never take it.
 * <p>
 * A {@code SharedIntArray} is a small serialisable handle: a task that captures it attaches to
 * the same array file in the process that runs it. {@link #close()} unmaps this handle only.
 * An index outside {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the
 * index and the length. The file layout is described in {@code SharedArrayLayout}.
 * <p>
 * Memory consistency effects: as for {@code AtomicIntegerArray}, per element: every read is a
 * volatile read and every write or update a volatile write, so actions in a thread (of any
 * process) prior to a {@code set(i, v)} or a successful update of element {@code i}
 * <i>happen-before</i> actions following a read of the value it wrote in another thread of any
 * process. {@link #toArray()} reads element by element: it is not a snapshot of the whole array.
 * Access through {@link #segment()} has no such effects.
 */
public final class SharedIntArray implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a shared int array file. */
    public static final RegionKind KIND = RegionKind.of("AINT");

    private static final SharedType TYPE =
        SharedType.array("SharedIntArray", KIND, "intarray", ValueLayout.JAVA_INT);

    private static final int ELEMENT_SIZE = Integer.BYTES;

    private final String file;
    private final transient SharedHandle handle;
    // Copies of the handle's, so that an element access loads no more fields than if this class
    // held everything itself: element accesses are the hot path.
    private final transient MappedRegion region;
    private final transient int length;

    private SharedIntArray(final SharedHandle handle) {
        this.file = handle.file().toString();
        this.handle = handle;
        this.region = handle.region;
        this.length = handle.length;
    }

    /**
     * @param namespace where the array file goes
     * @param length    the number of elements, all zero
     * @return a new array with a generated name
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static SharedIntArray create(final Namespace namespace, final int length) {
        return new SharedIntArray(TYPE.createArray(namespace, SharedArrayLayout.checkLength(length), null));
    }

    /**
     * @param namespace where the array file goes
     * @param initial   the elements it starts with (copied)
     * @return a new array of {@code initial.length} elements with a generated name
     */
    public static SharedIntArray create(final Namespace namespace, final int[] initial) {
        return new SharedIntArray(TYPE.createArray(namespace, Objects.requireNonNull(initial, "initial").length,
            initial));
    }

    /**
     * Creates the array of that name with {@code length} zero elements, or attaches to it if it
     * exists.
     *
     * @param namespace where the array file goes
     * @param name      the array's name in the namespace
     * @param length    the number of elements
     * @return the array of that name
     * @throws IllegalArgumentException if {@code length} is negative, or if the existing array
     *                                  has another length (the message names the file and both)
     */
    public static SharedIntArray create(final Namespace namespace, final String name, final int length) {
        return new SharedIntArray(TYPE.createOrAttachArray(namespace, name, SharedArrayLayout.checkLength(length),
            null));
    }

    /**
     * Creates the array of that name holding {@code initial}, or attaches to it if it exists, in
     * which case {@code initial} is ignored apart from its length.
     *
     * @param namespace where the array file goes
     * @param name      the array's name in the namespace
     * @param initial   the elements it starts with, if created (copied)
     * @return the array of that name
     * @throws IllegalArgumentException if the existing array's length is not {@code initial.length}
     */
    public static SharedIntArray create(final Namespace namespace, final String name, final int[] initial) {
        return new SharedIntArray(TYPE.createOrAttachArray(namespace, name,
            Objects.requireNonNull(initial, "initial").length, initial));
    }

    /**
     * @param file a shared int array file
     * @return a new handle on that array, whatever its length
     */
    public static SharedIntArray attach(final Path file) {
        return new SharedIntArray(TYPE.attach(file));
    }

    private long offset(final int index) {
        return SharedArrayLayout.elementOffset(index, length, ELEMENT_SIZE);
    }

    /**
     * @return the number of elements
     */
    public int length() {
        return length;
    }

    /**
     * @param index the element's index
     * @return the element's current value
     */
    public int get(final int index) {
        return region.getIntVolatile(offset(index));
    }

    /**
     * @param index the element's index
     * @param value the element's new value
     */
    public void set(final int index, final int value) {
        region.putIntVolatile(offset(index), value);
    }

    /**
     * @param index the element's index
     * @param value the element's new value
     * @return the element's previous value
     */
    public int getAndSet(final int index, final int value) {
        return region.getAndSetInt(offset(index), value);
    }

    /**
     * Sets element {@code index} to {@code newValue} if it is {@code expectedValue}.
     *
     * @param index         the element's index
     * @param expectedValue the value expected
     * @param newValue      the new value
     * @return true if the element was {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(final int index, final int expectedValue, final int newValue) {
        return region.compareAndSetInt(offset(index), expectedValue, newValue);
    }

    /**
     * @param index the element's index
     * @param delta the amount to add (wraps around on overflow)
     * @return the element's previous value
     */
    public int getAndAdd(final int index, final int delta) {
        return region.getAndAddInt(offset(index), delta);
    }

    /**
     * @param index the element's index
     * @param delta the amount to add (wraps around on overflow)
     * @return the element's updated value
     */
    public int addAndGet(final int index, final int delta) {
        return region.getAndAddInt(offset(index), delta) + delta;
    }

    /**
     * @param index the element's index
     * @return the element's updated value
     */
    public int incrementAndGet(final int index) {
        return region.getAndAddInt(offset(index), 1) + 1;
    }

    /**
     * @return a new Java array with the elements, each read as by {@link #get(int)}, one after
     *         the other
     */
    public int[] toArray() {
        final int[] copy = new int[length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = region.getIntVolatile(SharedArrayLayout.ELEMENTS_OFFSET + (long) i * ELEMENT_SIZE);
        }
        return copy;
    }

    /**
     * The elements as a segment of exactly {@code length() * 4} bytes, native byte order, for
     * bulk access. Plain access through it is not atomic with respect to this class's methods and
     * not ordered across threads or processes; the segment becomes inaccessible
     * ({@link IllegalStateException}) when this handle is closed.
     *
     * @return the elements' memory
     */
    public MemorySegment segment() {
        return handle.elements;
    }

    /**
     * The lock of this array, Python's {@code get_lock()}: a {@link Lock} in its own file beside
     * the array's ({@code <file>.lock}), created on the first call in any process; every handle of
     * this array, in every process, returns the same lock. It is advisory: the atomic operations
     * of this class do not take it. The handle returned belongs to this handle and is unmapped
     * by {@link #close()}; do not close it yourself.
     *
     * @return the array's lock
     * @throws IllegalStateException if this handle is closed and never mapped the lock
     */
    public Lock getLock() {
        return handle.lock();
    }

    /**
     * @return the array's file
     */
    public Path file() {
        return handle.file();
    }

    /**
     * Unmaps the array (and its lock, if {@link #getLock()} mapped it) in this handle; the array
     * lives on for other handles and processes. Later calls on this handle and accesses through
     * its {@link #segment()} throw {@link IllegalStateException}. Idempotent.
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
        return handle.describeArray();
    }
}
