package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.sync.Lock;

/**
 * What one handle of a shared value or array has, whatever its element type: the mapped file,
 * the lock it maps lazily, closing both, its toString, and, for an array, the element count and
 * the element segment. Each public type ({@link SharedInt}, {@link SharedIntArray}, ...) holds one,
 * made by its {@link SharedType}, and adds only its typed accessors.
 * <p>
 * Those accessors are the hot path, and a public type keeps its own copies of the final fields
 * they use ({@link #region}, {@link #length}, {@link #elements}): reaching them through this
 * object would cost one more dependent load per access. Nothing here allocates after creation.
 */
final class SharedHandle {
    /** The mapped file; the typed accessors read and update it at body offsets. */
    final MappedRegion region;
    /** The number of elements of an array; 0 for a single value, which has no elements to index. */
    final int length;
    /** Exactly the elements of an array ({@code segment()}); empty for a single value. */
    final MemorySegment elements;

    /** The public class name, for {@link #describe}. */
    private final String typeName;
    private final SharedLockFile lock;

    private SharedHandle(final String typeName, final MappedRegion region, final int length,
                         final MemorySegment elements) {
        this.region = region;
        this.length = length;
        this.elements = elements;
        this.typeName = typeName;
        this.lock = new SharedLockFile(region.file());
    }

    /**
     * @param typeName the public class name
     * @param region   a value region ({@link SharedValueLayout})
     * @return a handle on it
     */
    static SharedHandle ofValue(final String typeName, final MappedRegion region) {
        return new SharedHandle(typeName, region, 0, MemorySegment.NULL);
    }

    /**
     * @param typeName    the public class name
     * @param region      an array region ({@link SharedArrayLayout}) whose length was checked
     * @param length      its number of elements
     * @param elementSize bytes per element
     * @return a handle on it
     */
    static SharedHandle ofArray(final String typeName, final MappedRegion region, final int length,
                                final int elementSize) {
        return new SharedHandle(typeName, region, length,
            region.segment().asSlice(SharedArrayLayout.ELEMENTS_OFFSET, (long) length * elementSize));
    }

    /**
     * Adds to the {@code double} stored as raw bits in the 64-bit word at {@code offset}. No
     * instruction adds doubles in memory, so this is a compare-and-exchange loop: each sum is
     * computed from the bits it replaces, and a concurrent update makes it retry from the bits
     * that won, so no addition is lost.
     *
     * @param offset a body offset, 8-byte aligned
     * @param delta  the amount to add
     * @return the previous value
     */
    double getAndAddDouble(final long offset, final double delta) {
        long bits = region.getLongVolatile(offset);
        while (true) {
            final long next = Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + delta);
            final long witness = region.compareAndExchangeLong(offset, bits, next);
            if (witness == bits) {
                return Double.longBitsToDouble(bits);
            }
            bits = witness;
        }
    }

    /**
     * @return the object's lock, created or attached on the first call (see {@link SharedLockFile})
     * @throws IllegalStateException if this handle was closed before the lock was first asked for
     */
    Lock lock() {
        return lock.get();
    }

    /**
     * @return the object's file
     */
    Path file() {
        return region.file();
    }

    /**
     * @return true once {@link #close()} was called
     */
    boolean isClosed() {
        return region.isClosed();
    }

    /** Unmaps the lock, if it was mapped, and the object, in this handle only. Idempotent. */
    void close() {
        try {
            lock.close();
        } finally {
            region.close();
        }
    }

    /**
     * @param detail what follows the file, starting with ", "
     * @return {@code TypeName[file, detail]}, the form of every shared value's and array's toString
     */
    String describe(final String detail) {
        return typeName + "[" + region.file() + detail + "]";
    }

    /**
     * @return the toString of an array handle: its type, file and length, and whether it is closed
     */
    String describeArray() {
        return describe(", length " + length + (region.isClosed() ? ", closed" : ""));
    }
}
