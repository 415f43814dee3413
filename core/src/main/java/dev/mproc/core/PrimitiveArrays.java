package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.mproc.core.DefaultCodecFormat.ARRAY_HEADER;
import static dev.mproc.core.DefaultCodecFormat.TAG_BOOLEAN_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_BYTES;
import static dev.mproc.core.DefaultCodecFormat.TAG_CHAR_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_DOUBLE_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_FLOAT_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_INT_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_LONG_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_SHORT_ARRAY;
import static dev.mproc.core.EncodingBuffer.CHAR_LE;
import static dev.mproc.core.EncodingBuffer.DOUBLE_LE;
import static dev.mproc.core.EncodingBuffer.FLOAT_LE;
import static dev.mproc.core.EncodingBuffer.INT_LE;
import static dev.mproc.core.EncodingBuffer.LONG_LE;
import static dev.mproc.core.EncodingBuffer.SHORT_LE;
import static dev.mproc.core.PayloadBounds.arrayCount;

/**
 * The primitive-array fast paths of {@link DefaultCodec}: a tag, an int32 element count and the
 * elements in one bulk copy.
 *
 * <p>Why: arrays of primitives are a large share of IPC traffic, and Java serialisation of one
 * costs a stream header, a class descriptor and several allocations per message. Here each is
 * one copy in each direction, with the count checked against the input before the array is
 * allocated (see {@link PayloadBounds}).
 */
final class PrimitiveArrays {

    private PrimitiveArrays() {
    }

    static void encode(final byte[] a, final EncodingBuffer out) {
        out.putByte(TAG_BYTES);
        out.putInt(a.length);
        out.putBytes(a, 0, a.length);
    }

    static void encode(final int[] a, final EncodingBuffer out) {
        encodeBulk(TAG_INT_ARRAY, a, a.length, INT_LE, out);
    }

    static void encode(final long[] a, final EncodingBuffer out) {
        encodeBulk(TAG_LONG_ARRAY, a, a.length, LONG_LE, out);
    }

    static void encode(final double[] a, final EncodingBuffer out) {
        encodeBulk(TAG_DOUBLE_ARRAY, a, a.length, DOUBLE_LE, out);
    }

    static void encode(final float[] a, final EncodingBuffer out) {
        encodeBulk(TAG_FLOAT_ARRAY, a, a.length, FLOAT_LE, out);
    }

    static void encode(final short[] a, final EncodingBuffer out) {
        encodeBulk(TAG_SHORT_ARRAY, a, a.length, SHORT_LE, out);
    }

    static void encode(final char[] a, final EncodingBuffer out) {
        encodeBulk(TAG_CHAR_ARRAY, a, a.length, CHAR_LE, out);
    }

    static void encode(final boolean[] a, final EncodingBuffer out) {
        // MemorySegment.copy has no boolean layout; one byte per element, written directly.
        out.putByte(TAG_BOOLEAN_ARRAY);
        out.putInt(a.length);
        final int at = out.reserve(a.length);
        final byte[] dst = out.array();
        for (int i = 0; i < a.length; i++) {
            dst[at + i] = a[i] ? (byte) 1 : (byte) 0;
        }
    }

    private static void encodeBulk(final byte tag, final Object array, final int count,
                                   final ValueLayout layout, final EncodingBuffer out) {
        final long bytes = (long) count * layout.byteSize();
        if (bytes > EncodingBuffer.MAX_LENGTH) {
            throw new CodecException("cannot encode " + DefaultCodecFormat.name(tag) + " of length " + count
                + ": " + bytes + " bytes exceeds maxLength " + EncodingBuffer.MAX_LENGTH);
        }
        out.putByte(tag);
        out.putInt(count);
        final int at = out.reserve((int) bytes);
        // One bulk copy; the layout's little-endian order makes the copy swap bytes on a
        // big-endian host and degenerate to a plain copy on a little-endian one.
        MemorySegment.copy(array, 0, out.heap(), layout, at, count);
    }

    static byte[] decodeBytes(final MemorySegment in) {
        return PayloadBounds.bytes(in, TAG_BYTES);
    }

    static int[] decodeInts(final MemorySegment in) {
        final int[] a = new int[arrayCount(in, TAG_INT_ARRAY, Integer.BYTES)];
        MemorySegment.copy(in, INT_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static long[] decodeLongs(final MemorySegment in) {
        final long[] a = new long[arrayCount(in, TAG_LONG_ARRAY, Long.BYTES)];
        MemorySegment.copy(in, LONG_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static double[] decodeDoubles(final MemorySegment in) {
        final double[] a = new double[arrayCount(in, TAG_DOUBLE_ARRAY, Double.BYTES)];
        MemorySegment.copy(in, DOUBLE_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static float[] decodeFloats(final MemorySegment in) {
        final float[] a = new float[arrayCount(in, TAG_FLOAT_ARRAY, Float.BYTES)];
        MemorySegment.copy(in, FLOAT_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static short[] decodeShorts(final MemorySegment in) {
        final short[] a = new short[arrayCount(in, TAG_SHORT_ARRAY, Short.BYTES)];
        MemorySegment.copy(in, SHORT_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static char[] decodeChars(final MemorySegment in) {
        final char[] a = new char[arrayCount(in, TAG_CHAR_ARRAY, Character.BYTES)];
        MemorySegment.copy(in, CHAR_LE, ARRAY_HEADER, a, 0, a.length);
        return a;
    }

    static boolean[] decodeBooleans(final MemorySegment in) {
        final boolean[] a = new boolean[arrayCount(in, TAG_BOOLEAN_ARRAY, 1)];
        for (int i = 0; i < a.length; i++) {
            // Any non-zero byte is true, as for a JNI jboolean.
            a[i] = in.get(ValueLayout.JAVA_BYTE, ARRAY_HEADER + i) != 0;
        }
        return a;
    }
}
