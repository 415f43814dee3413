package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.mproc.core.DefaultCodecFormat.ARRAY_HEADER;
import static dev.mproc.core.DefaultCodecFormat.hex;
import static dev.mproc.core.DefaultCodecFormat.name;
import static dev.mproc.core.EncodingBuffer.INT_LE;

/**
 * The length checks of {@link DefaultCodec}'s decoding: every payload must account for exactly
 * the bytes given, and this is checked before anything is allocated.
 *
 * <p>Why: the bytes come from another process and may be truncated or corrupt. Checking first
 * turns a corrupt length into a {@link CodecException} naming the expected and actual sizes,
 * instead of a huge allocation or an out-of-bounds read escaping from the segment.
 */
final class PayloadBounds {

    private PayloadBounds() {
    }

    /**
     * Checks a fixed-size payload.
     *
     * @param in       the whole input, tag included
     * @param tag      its tag, named in the message
     * @param expected the exact size in bytes, tag included
     * @throws CodecException if the input is shorter or longer
     */
    static void expectSize(final MemorySegment in, final byte tag, final long expected) {
        if (in.byteSize() != expected) {
            throw new CodecException(lengthMismatch(in, tag, "", expected));
        }
    }

    /**
     * Reads and validates the element count of a variable-length payload: the input must be
     * exactly the header plus {@code count * elementSize} bytes.
     *
     * @param in          the whole input, tag included
     * @param tag         its tag, named in the message
     * @param elementSize bytes per element
     * @return the element count, safe to allocate
     * @throws CodecException if the header is truncated, the count negative, or the size wrong
     */
    static int arrayCount(final MemorySegment in, final byte tag, final int elementSize) {
        final long size = in.byteSize();
        if (size < ARRAY_HEADER) {
            throw new CodecException("cannot decode " + name(tag) + " (tag 0x" + hex(tag)
                + "): truncated input, expected at least " + ARRAY_HEADER + " bytes, got " + size);
        }
        final int count = in.get(INT_LE, 1);
        if (count < 0) {
            throw new CodecException("cannot decode " + name(tag) + " (tag 0x" + hex(tag)
                + "): corrupt input, negative length " + count);
        }
        final long expected = ARRAY_HEADER + (long) count * elementSize;
        if (size != expected) {
            throw new CodecException(lengthMismatch(in, tag, " of length " + count, expected));
        }
        return count;
    }

    /**
     * Copies out a length-prefixed run of bytes, after checking its length.
     *
     * @param in  the whole input, tag included
     * @param tag its tag, named in the message
     * @return the bytes after the header
     * @throws CodecException as {@link #arrayCount}
     */
    static byte[] bytes(final MemorySegment in, final byte tag) {
        final byte[] bytes = new byte[arrayCount(in, tag, 1)];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, ARRAY_HEADER, bytes, 0, bytes.length);
        return bytes;
    }

    private static String lengthMismatch(final MemorySegment in, final byte tag,
                                         final String what, final long expected) {
        final long actual = in.byteSize();
        return "cannot decode " + name(tag) + what + " (tag 0x" + hex(tag) + "): "
            + (actual < expected ? "truncated" : "overlong") + " input, expected " + expected
            + " bytes, got " + actual;
    }
}
