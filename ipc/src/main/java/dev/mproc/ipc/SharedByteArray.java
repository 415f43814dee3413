package dev.mproc.ipc;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.sync.Lock;

/**
 * A fixed-length array of {@code byte}s shared by processes: Python's
 * {@code multiprocessing.Array('b', ...)} (or {@code 'B'}: read an element as unsigned with
 * {@link Byte#toUnsignedInt}). Each element read and write is a single-byte volatile access.
 * <p>
 * {@link #segment()} exposes exactly the elements, for bulk work (copying, encoding, passing to
 * native code). Plain access through it is not ordered across threads; use {@link #getLock()} or
 * another synchronizer around it.
 * <p>
 * {@link #getLock()} returns a cross-process {@link Lock} that belongs to this array, as
 * Python's {@code get_lock()} does. The lock is advisory: {@code get} and {@code set} never take
 * it.
 * <p>
 * A {@code SharedByteArray} is a small serialisable handle: a task that captures it attaches to
 * the same array file in the process that runs it. {@link #close()} unmaps this handle only.
 * An index outside {@code [0, length())} throws {@link IndexOutOfBoundsException} naming the
 * index and the length. The file layout is described in {@code SharedArrayLayout}.
 * <p>
 * Memory consistency effects: per element: {@link #get(int)} is a volatile read and
 * {@link #set(int, byte)} a volatile write, so actions in a thread (of any process) prior to a
 * {@code set(i, v)} <i>happen-before</i> actions following a {@code get(i)} that reads the value
 * it wrote in another thread of any process. {@link #toArray()} reads element by element: it is
 * not a snapshot of the whole array. Access through {@link #segment()} has no such effects.
 */
public final class SharedByteArray implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a shared byte array file. */
    public static final RegionKind KIND = RegionKind.of("ABYT");

    private static final SharedType TYPE =
        SharedType.array("SharedByteArray", KIND, "bytearray", ValueLayout.JAVA_BYTE);
    /**
     * Volatile single-byte access to the element segment at a byte offset (the region's accessors
     * go no narrower than an int).
     */
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private final String file;
    private final transient SharedHandle handle;
    // Copies of the handle's, so that an element access loads no more fields than if this class
    // held everything itself: element accesses are the hot path.
    private final transient MemorySegment elements;
    private final transient int length;

    private SharedByteArray(final SharedHandle handle) {
        this.file = handle.file().toString();
        this.handle = handle;
        this.elements = handle.elements;
        this.length = handle.length;
    }

    /**
     * @param namespace where the array file goes
     * @param length    the number of elements, all zero
     * @return a new array with a generated name
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static SharedByteArray create(final Namespace namespace, final int length) {
        return new SharedByteArray(TYPE.createArray(namespace, SharedArrayLayout.checkLength(length), null));
    }

    /**
     * @param namespace where the array file goes
     * @param initial   the elements it starts with (copied)
     * @return a new array of {@code initial.length} elements with a generated name
     */
    public static SharedByteArray create(final Namespace namespace, final byte[] initial) {
        return new SharedByteArray(TYPE.createArray(namespace, Objects.requireNonNull(initial, "initial").length,
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
    public static SharedByteArray create(final Namespace namespace, final String name, final int length) {
        return new SharedByteArray(TYPE.createOrAttachArray(namespace, name, SharedArrayLayout.checkLength(length),
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
    public static SharedByteArray create(final Namespace namespace, final String name, final byte[] initial) {
        return new SharedByteArray(TYPE.createOrAttachArray(namespace, name,
            Objects.requireNonNull(initial, "initial").length, initial));
    }

    /**
     * @param file a shared byte array file
     * @return a new handle on that array, whatever its length
     */
    public static SharedByteArray attach(final Path file) {
        return new SharedByteArray(TYPE.attach(file));
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
    public byte get(final int index) {
        return (byte) BYTE.getVolatile(elements, SharedArrayLayout.checkIndex(index, length));
    }

    /**
     * @param index the element's index
     * @param value the element's new value
     */
    public void set(final int index, final byte value) {
        BYTE.setVolatile(elements, SharedArrayLayout.checkIndex(index, length), value);
    }

    /**
     * @return a new Java array with the elements, each read as by {@link #get(int)}, one after
     *         the other
     */
    public byte[] toArray() {
        final byte[] copy = new byte[length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (byte) BYTE.getVolatile(elements, (long) i);
        }
        return copy;
    }

    /**
     * The elements as a segment of exactly {@code length()} bytes, for bulk access. Plain access
     * through it is not ordered across threads or processes; the segment becomes inaccessible
     * ({@link IllegalStateException}) when this handle is closed.
     *
     * @return the elements' memory
     */
    public MemorySegment segment() {
        return elements;
    }

    /**
     * The lock of this array, Python's {@code get_lock()}, as {@link SharedIntArray#getLock()}: a
     * {@link Lock} in its own file beside the array's, the same for every handle in every process,
     * advisory ({@code get} and {@code set} do not take it), and unmapped by {@link #close()}; do
     * not close it yourself.
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
