package dev.mproc.ipc;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.RegionFormatException;

/**
 * The body of a {@link SharedIntArray}, {@link SharedLongArray}, {@link SharedDoubleArray} or
 * {@link SharedByteArray} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Length (number of elements, >= 0)             |  0
 *  +---------------------------------------------------------------+
 *  |                 Element Size (bytes: 1, 4 or 8)               |  4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |  8
 *  +---------------------------------------------------------------+
 *  |                 Element 0                                     | 64
 *  +---------------------------------------------------------------+
 *  |                 Element 1 ...                                 | 64 + size
 *  +---------------------------------------------------------------+
 *  |                 Padding to a multiple of 8 bytes (zero)       |
 *  +---------------------------------------------------------------+
 * </pre>
 * Elements are packed at their own size, in native byte order: ints are 4-byte aligned, longs and
 * doubles (stored as their raw IEEE 754 bits) 8-byte aligned, so each element is read and
 * updated by one atomic instruction. The element area starts on a cache line (the body starts on
 * a page) and the length and element size, written once before the file is published, never
 * share a line with elements that are written.
 */
final class SharedArrayLayout {
    static final long LENGTH_OFFSET = 0;
    static final long ELEMENT_SIZE_OFFSET = 4;
    /** Offset of element 0 in the body: one cache line. */
    static final long ELEMENTS_OFFSET = 64;
    /** The body layout version written by this library and the newest it reads. */
    static final int LAYOUT_VERSION = 1;

    private SharedArrayLayout() {
    }

    /**
     * @param length      number of elements, already checked to be non-negative
     * @param elementSize bytes per element
     * @return the body length of an array of that shape, rounded up to 8 bytes
     */
    static long bodyLength(final int length, final int elementSize) {
        return (ELEMENTS_OFFSET + (long) length * elementSize + 7) & ~7L;
    }

    /**
     * @param length a requested array length
     * @return {@code length} if it is not negative
     * @throws IllegalArgumentException if it is
     */
    static int checkLength(final int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative array length: length=" + length);
        }
        return length;
    }

    /** Writes the fields of a new array body; the elements start zeroed. */
    static void writeHeader(final MappedRegion region, final int length, final int elementSize) {
        region.putInt(LENGTH_OFFSET, length);
        region.putInt(ELEMENT_SIZE_OFFSET, elementSize);
    }

    /**
     * Reads and checks the length of an array region just created or attached, closing the region
     * if a check fails so that a failed open leaves no mapping behind.
     *
     * @param region         the region
     * @param elementSize    the element size the caller's type uses
     * @param expectedLength the length the caller asked for, or -1 to accept any
     * @return the array length
     * @throws RegionFormatException    if the element size or length does not fit the file
     * @throws IllegalArgumentException if the length is not {@code expectedLength}
     */
    static int openLength(final MappedRegion region, final int elementSize, final int expectedLength) {
        try {
            // Plain reads suffice: both fields were written before READY was published (release),
            // and attaching read READY with acquire.
            final int length = region.getInt(LENGTH_OFFSET);
            final int size = region.getInt(ELEMENT_SIZE_OFFSET);
            if (size != elementSize) {
                throw new RegionFormatException(region.file(), "element size " + size + " is not "
                    + elementSize);
            }
            if (length < 0 || region.bodyLength() < ELEMENTS_OFFSET + (long) length * elementSize) {
                throw new RegionFormatException(region.file(), "array length " + length + " of "
                    + elementSize + "-byte elements does not fit a body of " + region.bodyLength() + " bytes");
            }
            if (expectedLength >= 0 && length != expectedLength) {
                throw new IllegalArgumentException(region.file() + ": an array of another length exists: expected length="
                    + expectedLength + " actual length=" + length);
            }
            return length;
        } catch (final RuntimeException e) {
            region.close();
            throw e;
        }
    }

    /**
     * @param index  an element index
     * @param length the array length
     * @return {@code index}, widened for offset arithmetic
     * @throws IndexOutOfBoundsException naming the index and the length, if {@code index} is
     *                                   outside {@code [0, length)}
     */
    static long checkIndex(final int index, final int length) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index out of range: index=" + index + " length=" + length);
        }
        return index;
    }

    /**
     * @param index       an element index
     * @param length      the array length
     * @param elementSize bytes per element (a constant where this is inlined, so the product is a shift)
     * @return the body offset of element {@code index}
     * @throws IndexOutOfBoundsException as {@link #checkIndex}
     */
    static long elementOffset(final int index, final int length, final int elementSize) {
        return ELEMENTS_OFFSET + checkIndex(index, length) * elementSize;
    }
}
