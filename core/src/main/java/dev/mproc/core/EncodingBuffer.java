package dev.mproc.core;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte sink that {@link Codec}s write into and that the IPC layer then copies into
 * shared memory in one {@link MemorySegment#copy} (see {@link #copyTo}).
 *
 * <p>Why a heap buffer and not the shared ring directly: the encoded length is not known until a
 * codec has finished (Java serialisation above all), and a writer that encoded straight into a
 * ring would have to claim space before knowing how much. Encoding into private memory first
 * keeps the shared critical section down to a claim and one bulk copy, and a codec that fails
 * half-way leaves nothing behind in shared memory.
 *
 * <p>Why reusable: a producer keeps one buffer and calls {@link #clear()} before each message;
 * once the buffer has grown to the largest message it sees, encoding a message allocates
 * nothing here. The view objects ({@link #asOutputStream()}, the heap segment) are created once
 * per backing array, not per call.
 *
 * <p>Multi-byte values are written <b>little-endian</b> whatever the host order, so that the
 * byte layout is fixed and documented; on x86-64 and AArch64 (little-endian hosts) that costs
 * nothing.
 *
 * <p>Not thread-safe: one buffer belongs to one thread at a time.
 */
public final class EncodingBuffer {

    /*
     * Layout: bytes [0, length) of `array` are the content; [length, array.length) is spare
     * capacity. `heap` is MemorySegment.ofArray(array), kept so that typed puts go through a
     * VarHandle on a segment (bounds-checked, byte-order explicit) without creating a segment per
     * call; it is replaced only when the array is.
     *
     * Growth doubles the capacity (amortised O(1) per byte) up to MAX_LENGTH; that ceiling is
     * the largest array length that HotSpot reliably allocates (a few header words below
     * Integer.MAX_VALUE), the same limit that ArrayList and StringBuilder use.
     */

    /** The largest content this buffer can hold: {@code Integer.MAX_VALUE - 8} bytes. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    /** Capacity used by {@link #EncodingBuffer()}: large enough for most small messages. */
    public static final int DEFAULT_CAPACITY = 256;

    // Little-endian, unaligned: content offsets are arbitrary and a heap byte[] segment only
    // guarantees byte alignment, so the aligned layouts would throw.
    static final ValueLayout.OfShort SHORT_LE =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfChar CHAR_LE =
        ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE =
        ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE =
        ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLE_LE =
        ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private byte[] array;
    private MemorySegment heap;
    private int length;
    private final OutputStream stream = new BufferOutputStream();

    /** Creates an empty buffer with {@link #DEFAULT_CAPACITY} bytes of capacity. */
    public EncodingBuffer() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates an empty buffer with the given capacity, so that a producer that knows its typical
     * message size never grows.
     *
     * @param initialCapacity bytes to allocate now, {@code 0..MAX_LENGTH}
     * @throws IllegalArgumentException if {@code initialCapacity} is out of range
     */
    public EncodingBuffer(final int initialCapacity) {
        if (initialCapacity < 0 || initialCapacity > MAX_LENGTH) {
            throw new IllegalArgumentException(
                "initialCapacity out of range: initialCapacity=" + initialCapacity
                    + " maxLength=" + MAX_LENGTH);
        }
        this.array = new byte[initialCapacity];
        this.heap = MemorySegment.ofArray(array);
    }

    /**
     * Returns the number of bytes written since the last {@link #clear()}.
     *
     * @return the content length in bytes
     */
    public int length() {
        return length;
    }

    /**
     * Returns the number of bytes the buffer can hold before it must grow.
     *
     * @return the size of the backing array
     */
    public int capacity() {
        return array.length;
    }

    /** Empties the buffer, keeping its capacity so that the next message does not allocate. */
    public void clear() {
        length = 0;
    }

    /**
     * Discards the content from {@code newLength} on; a codec that fails half-way uses this to
     * drop the partial encoding it appended.
     *
     * @param newLength the length to keep, {@code 0..length()}
     * @throws IndexOutOfBoundsException if {@code newLength} is negative or above {@link #length()}
     */
    public void truncate(final int newLength) {
        Objects.checkIndex(newLength, length + 1);
        length = newLength;
    }

    /**
     * Returns a view of the content, bytes {@code [0, length())}. The view reads the live backing
     * array: it is valid until the buffer is next written to, grown or cleared.
     *
     * @return a heap segment over the content
     */
    public MemorySegment segment() {
        return heap.asSlice(0, length);
    }

    /**
     * Copies the content to {@code dst} at {@code dstOffset} in one bulk copy, without creating
     * a view: this is how the IPC layer moves an encoded message into shared memory.
     *
     * @param dst       the destination, typically a slice of a mapped file
     * @param dstOffset where in {@code dst} to write the first byte
     * @throws IndexOutOfBoundsException if the content does not fit in {@code dst} at that offset
     */
    public void copyTo(final MemorySegment dst, final long dstOffset) {
        MemorySegment.copy(array, 0, dst, ValueLayout.JAVA_BYTE, dstOffset, length);
    }

    /**
     * Returns a copy of the content.
     *
     * @return a new array of {@link #length()} bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(array, length);
    }

    /**
     * Appends one byte.
     *
     * @param value the byte
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putByte(final byte value) {
        final int at = reserve(Byte.BYTES);
        array[at] = value;
    }

    /**
     * Appends a {@code boolean} as one byte, {@code 1} or {@code 0}.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putBoolean(final boolean value) {
        putByte(value ? (byte) 1 : (byte) 0);
    }

    /**
     * Appends a {@code short}, little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putShort(final short value) {
        final int at = reserve(Short.BYTES);
        heap.set(SHORT_LE, at, value);
    }

    /**
     * Appends a {@code char} as its UTF-16 code unit, little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putChar(final char value) {
        final int at = reserve(Character.BYTES);
        heap.set(CHAR_LE, at, value);
    }

    /**
     * Appends an {@code int}, little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putInt(final int value) {
        final int at = reserve(Integer.BYTES);
        heap.set(INT_LE, at, value);
    }

    /**
     * Overwrites the {@code int} at {@code index}, little-endian: how a codec fills in a length
     * prefix it reserved before encoding what the length counts.
     *
     * @param index where the value starts, within the content
     * @param value the value
     * @throws IndexOutOfBoundsException if the four bytes are not all within {@code [0, length())}
     */
    public void putIntAt(final int index, final int value) {
        Objects.checkFromIndexSize(index, Integer.BYTES, length);
        heap.set(INT_LE, index, value);
    }

    /**
     * Appends a {@code long}, little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putLong(final long value) {
        final int at = reserve(Long.BYTES);
        heap.set(LONG_LE, at, value);
    }

    /**
     * Appends a {@code float} as its IEEE 754 bits (NaN payloads preserved), little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putFloat(final float value) {
        final int at = reserve(Float.BYTES);
        heap.set(FLOAT_LE, at, value);
    }

    /**
     * Appends a {@code double} as its IEEE 754 bits (NaN payloads preserved), little-endian.
     *
     * @param value the value
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putDouble(final double value) {
        final int at = reserve(Double.BYTES);
        heap.set(DOUBLE_LE, at, value);
    }

    /**
     * Appends all of {@code src}.
     *
     * @param src the bytes to append
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putBytes(final byte[] src) {
        putBytes(src, 0, src.length);
    }

    /**
     * Appends {@code len} bytes of {@code src} starting at {@code off}.
     *
     * @param src the bytes to append from
     * @param off index of the first byte in {@code src}
     * @param len number of bytes
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit in {@code src}
     * @throws CodecException            if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putBytes(final byte[] src, final int off, final int len) {
        // Check before reserving, so a bad range leaves the buffer unchanged.
        Objects.checkFromIndexSize(off, len, src.length);
        final int at = reserve(len);
        System.arraycopy(src, off, array, at, len);
    }

    /**
     * Appends all bytes of {@code src}, which may be on-heap or off-heap.
     *
     * @param src the bytes to append
     * @throws CodecException if the buffer would exceed {@link #MAX_LENGTH}
     */
    public void putSegment(final MemorySegment src) {
        final long size = src.byteSize();
        // Check in long arithmetic before narrowing: a segment can be larger than any array.
        if (size > MAX_LENGTH - (long) length) {
            throw tooLarge(size);
        }
        final int at = reserve((int) size);
        MemorySegment.copy(src, 0, heap, at, size);
    }

    /**
     * Returns an {@link OutputStream} that appends to this buffer, for encoders such as
     * {@link java.io.ObjectOutputStream} that need a stream. The same instance is returned on
     * every call; closing it does nothing.
     *
     * @return a stream view of this buffer
     */
    public OutputStream asOutputStream() {
        return stream;
    }

    /**
     * Grows if needed, then extends the content by {@code n} bytes and returns the offset of the
     * first of them: codecs that write many small pieces (UTF-8) reserve once and then store
     * into {@link #array()} directly instead of paying a capacity check per byte.
     */
    int reserve(final int n) {
        final int at = length;
        // Long arithmetic: at + n can overflow int when both are near the limit.
        final long required = (long) at + n;
        if (required > array.length) {
            grow(required);
        }
        length = (int) required;
        return at;
    }

    /** The live backing array; valid only until the next call that may grow the buffer. */
    byte[] array() {
        return array;
    }

    /** The live heap segment over the whole backing array, replaced whenever the array is. */
    MemorySegment heap() {
        return heap;
    }

    private void grow(final long required) {
        if (required > MAX_LENGTH) {
            throw tooLarge(required - length);
        }
        final byte[] bigger = Arrays.copyOf(array, grownCapacity(array.length, required));
        array = bigger;
        heap = MemorySegment.ofArray(bigger);
    }

    /**
     * The capacity to grow to: double, or exactly what is required if doubling is not enough,
     * clamped to {@link #MAX_LENGTH}. Package-private so that tests can check the clamp without
     * allocating two gigabytes.
     */
    static int grownCapacity(final int capacity, final long required) {
        final long doubled = Math.max(2L * capacity, DEFAULT_CAPACITY);
        return (int) Math.min(Math.max(doubled, required), MAX_LENGTH);
    }

    private CodecException tooLarge(final long adding) {
        return new CodecException("encoding too large: length=" + length + " adding=" + adding
            + " maxLength=" + MAX_LENGTH);
    }

    /** The stream view: every write appends, so the stream's position is the buffer's length. */
    private final class BufferOutputStream extends OutputStream {
        @Override
        public void write(final int b) {
            putByte((byte) b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) {
            putBytes(b, off, len);
        }
    }
}
